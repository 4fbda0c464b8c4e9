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
    # visits
    VISIT_SCHEDULED = "visit.scheduled", "Visit scheduled"
    VISIT_RECORDED = "visit.recorded", "Visit recorded"
    VISITS_VIEWED = "visit.list_viewed", "Visits viewed"
    # consent
    CONSENT_GIVEN = "consent.given", "Consent given"
    CONSENT_WITHDRAWN = "consent.withdrawn", "Consent withdrawn"
    CONSENT_VIEWED = "consent.viewed", "Consent viewed"
    # accounts
    API_TOKEN_CREATED = "account.api_token_created", "API token created"
    API_TOKEN_REVOKED = "account.api_token_revoked", "API token revoked"
    USER_CREATED = "account.user_created", "User account created"
    USER_CHANGED = "account.user_changed", "User account changed"
    USER_MFA_RESET = "account.user_mfa_reset", "User's second factor reset"
    DATA_GENERATED = "system.data_generated", "Synthetic data generated"
    AUDIT_LOG_VIEWED = "audit.log_viewed", "Audit log viewed"
