"""The registry of audit event types, grouped by domain."""

from django.db import models


class Action(models.TextChoices):
    # referrals
    REFERRAL_CREATED = "referral.created", "Referral received"
    REFERRAL_VIEWED = "referral.viewed", "Referral viewed"
    REFERRAL_SCREENED = "referral.screened", "Eligibility screened"
    REFERRAL_OVERRIDDEN = "referral.overridden", "Eligibility decision overridden"
    REFERRAL_ACCEPTED = "referral.accepted", "Referral accepted"
    REFERRAL_DECLINED = "referral.declined", "Referral declined"
    REFERRAL_DUPLICATE_LINKED = "referral.duplicate_linked", "Linked to an existing family"
    REFERRAL_DUPLICATE_DISMISSED = "referral.duplicate_dismissed", "Confirmed as a new family"
    REFERRAL_LIST_VIEWED = "referral.list_viewed", "Referral list viewed"
    # families and children
    FAMILY_CREATED = "family.created", "Family recorded"
    FAMILY_VIEWED = "family.viewed", "Family viewed"
    FAMILY_CHANGED = "family.changed", "Family changed"
    CHILD_CREATED = "child.created", "Child recorded"
    CHILD_VIEWED = "child.viewed", "Child viewed"
    CHILD_CHANGED = "child.changed", "Child changed"
    # cases
    CASE_OPENED = "case.opened", "Case opened"
    CASE_VIEWED = "case.viewed", "Case viewed"
    CASE_ALLOCATED = "case.allocated", "Case allocated"
    CASE_ACTIVATED = "case.activated", "Case made active"
    CASE_CLOSED = "case.closed", "Case closed"
    CASE_LIST_VIEWED = "case.list_viewed", "Case list viewed"
    CASE_AUDIT_VIEWED = "case.audit_viewed", "Audit trail viewed"
    CASE_PAGE_VIEWED = "case.page_viewed", "Case page viewed"
    # visits
    VISIT_SCHEDULED = "visit.scheduled", "Visit scheduled"
    VISIT_RECORDED = "visit.recorded", "Visit recorded"
    VISITS_VIEWED = "visit.list_viewed", "Visits viewed"
    # consent
    CONSENT_GIVEN = "consent.given", "Consent given"
    CONSENT_WITHDRAWN = "consent.withdrawn", "Consent withdrawn"
    CONSENT_VIEWED = "consent.viewed", "Consent viewed"
    # allocation and the trial
    CAPACITY_SET = "allocation.capacity_set", "Practitioner capacity set"
    WAITING_LIST_VIEWED = "allocation.waiting_list_viewed", "Waiting list viewed"
    TRIAL_MODE_CHANGED = "allocation.trial_mode_changed", "Trial mode changed"
    TRIAL_ARM_ASSIGNED = "allocation.trial_arm_assigned", "Trial arm assigned"
    # VIG
    VIG_CYCLE_STARTED = "vig.cycle_started", "VIG cycle started"
    VIG_CYCLE_CHANGED = "vig.cycle_changed", "VIG cycle changed"
    VIG_FILMING_RECORDED = "vig.filming_recorded", "Filming recorded"
    VIG_CLIP_ADDED = "vig.clip_added", "Clip added"
    VIG_CLIP_REMOVED = "vig.clip_removed", "Clip removed"
    VIG_REVIEW_RECORDED = "vig.review_recorded", "Shared review recorded"
    VIG_VIEWED = "vig.viewed", "VIG cycles viewed"
    # Pathways Triple P
    PTP_PLAN_SET = "ptp.plan_set", "PTP session plan set"
    PTP_SESSION_RECORDED = "ptp.session_recorded", "PTP session recorded"
    PTP_VIEWED = "ptp.viewed", "PTP sessions viewed"
    # goals
    GOAL_SET = "goal.set", "Goal set"
    GOAL_CHANGED = "goal.changed", "Goal changed"
    GOALS_RATED = "goal.rated", "Goals rated"
    GOALS_VIEWED = "goal.viewed", "Goals viewed"
    # safeguarding
    CONCERN_RAISED = "safeguarding.concern_raised", "Safeguarding concern raised"
    ESCALATION_RECORDED = "safeguarding.escalated", "Escalated to children's social care"
    ESCALATION_OUTCOME_RECORDED = "safeguarding.outcome_recorded", "Escalation outcome recorded"
    CONCERN_CLOSED = "safeguarding.concern_closed", "Safeguarding concern closed"
    SAFEGUARDING_VIEWED = "safeguarding.viewed", "Safeguarding record viewed"
    ALERT_RAISED = "alert.raised", "Alert raised"
    ALERT_ACKNOWLEDGED = "alert.acknowledged", "Alert acknowledged"
    ALERTS_VIEWED = "alert.list_viewed", "Alerts viewed"
    # questionnaires
    QUESTIONNAIRE_STARTED = "questionnaire.started", "Questionnaire started"
    QUESTIONNAIRE_SAVED = "questionnaire.saved", "Questionnaire answers saved"
    QUESTIONNAIRE_COMPLETED = "questionnaire.completed", "Questionnaire completed"
    QUESTIONNAIRE_CORRECTED = "questionnaire.corrected", "Questionnaire corrected"
    QUESTIONNAIRE_VIEWED = "questionnaire.viewed", "Questionnaire viewed"
    QUESTIONNAIRE_RESULTS_VIEWED = "questionnaire.results_viewed", "Questionnaire results viewed"
    QUESTIONNAIRE_RISK_FOUND = "questionnaire.risk_found", "Questionnaire risk found"
    QUESTIONNAIRE_SCHEDULE_CHANGED = "questionnaire.schedule_changed", "Time points changed"
    # dashboard
    DASHBOARD_VIEWED = "dashboard.viewed", "Area dashboard viewed"
    # accounts
    API_TOKEN_CREATED = "account.api_token_created", "API token created"
    API_TOKEN_REVOKED = "account.api_token_revoked", "API token revoked"
    USER_CREATED = "account.user_created", "User account created"
    USER_CHANGED = "account.user_changed", "User account changed"
    USER_MFA_RESET = "account.user_mfa_reset", "User's second factor reset"
    DATA_GENERATED = "system.data_generated", "Synthetic data generated"
    AUDIT_LOG_VIEWED = "audit.log_viewed", "Audit log viewed"
