"""Writes to Pathways Triple P: set the session plan, record a session (with the parent's
goal ratings, in the same transaction), correct a session. Each writes its audit event."""

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from ipip.accounts.models import User
from ipip.audit.events import Action
from ipip.audit.record import record
from ipip.cases.access import may_work_on_case
from ipip.cases.actions import check_version
from ipip.cases.models import Approach, Case, CaseStatus
from ipip.core.errors import DomainError
from ipip.goals.actions import Rating, rate_goals
from ipip.goals.models import Goal, Occasion
from ipip.ptp.models import ContentLevel, HomeworkReview, PtpSession, SessionModule, SessionPlan
from ipip.ptp.modules import in_catalogue_order, unknown_codes
from ipip.ptp.rules import (
    MINUTES_ERROR,
    PLANNED_SESSIONS_ERROR,
    Neighbour,
    minutes_ok,
    planned_sessions_ok,
    session_date_problem,
)

_WHAT = "its Pathways Triple P records"


@dataclass(frozen=True)
class SessionInput:
    """What happened at a session, as typed (text is stripped by the action)."""

    held_on: date
    minutes: int
    content_level: ContentLevel
    modules: Collection[str]
    homework_review: HomeworkReview
    homework_set: str = ""
    homework_review_note: str = ""
    note: str = ""


def check_ptp_case(case: Case) -> None:
    """PTP records belong to an open case allocated to Pathways Triple P (allocated or active)."""
    case.ensure_open(_WHAT)
    if case.status not in (CaseStatus.ALLOCATED, CaseStatus.ACTIVE):
        raise DomainError(
            "Allocate the case to a practitioner and to Pathways Triple P before "
            "recording its plan or sessions."
        )
    if case.approach != Approach.PTP:
        raise DomainError(
            f"This case's approach is {Approach(case.approach).label}, not Pathways Triple P: "
            "it has no Pathways Triple P plan or sessions."
        )


def _locked_ptp_case(case_id: int, acting_user: User) -> Case:
    case = Case.objects.select_for_update(of=("self",)).select_related("family").get(pk=case_id)
    if not may_work_on_case(acting_user, case):
        raise PermissionDenied
    check_ptp_case(case)
    return case


def _checked_modules(codes: Collection[str], *, none_message: str) -> list[str]:
    if not codes:
        raise DomainError(none_message)
    if unknown_codes(list(codes)):
        raise DomainError("Choose only modules from the list.")
    return in_catalogue_order(list(codes))


def _checked_session(
    data: SessionInput, *, previous: Neighbour | None, following: Neighbour | None
) -> list[str]:
    """Refuse a session that breaks a rule; return its module codes in catalogue order."""
    if not minutes_ok(data.minutes):
        raise DomainError(f"{MINUTES_ERROR}.")
    if data.content_level not in ContentLevel.values:
        raise DomainError("Select which level's content the session used.")
    if data.homework_review not in HomeworkReview.values:
        raise DomainError("Select how the homework set at the last session went.")
    problem = session_date_problem(
        data.held_on, today=timezone.localdate(), previous=previous, following=following
    )
    if problem is not None:
        raise DomainError(f"{problem}.")
    return _checked_modules(
        data.modules, none_message="Select at least one module covered in the session."
    )


def _audit_session(
    session: PtpSession, case: Case, modules: list[str], actor: User, **extra: object
) -> None:
    record(
        Action.PTP_SESSION_RECORDED,
        actor=actor,
        subject=session,
        family_public_id=case.family.public_id,
        data={
            "session_id": str(session.public_id),
            "number": session.number,
            "minutes": session.minutes,
            "content_level": session.content_level,
            "modules": modules,
            "homework_review": session.homework_review,
            **extra,
        },
    )


@transaction.atomic(durable=True)
def do_set_plan(
    case: Case,
    *,
    planned_sessions: int,
    planned_modules: Collection[str],
    starts_on: date,
    note: str,
    acting_user: User,
    expected_version: int | None = None,
) -> SessionPlan:
    """Set the case's session plan, or change it (one plan per case).

    `expected_version` is the plan's version the page showed, 0 when there was no plan yet.
    Called by the allocated practitioner, a manager of the area or the national lead, for an
    open PTP case. Writes PTP_PLAN_SET with the counts and module codes (never the note).
    """
    case = _locked_ptp_case(case.pk, acting_user)
    plan = SessionPlan.objects.select_for_update(of=("self",)).filter(case=case).first()
    check_version(plan.version if plan else 0, expected_version, what="session plan")
    if not planned_sessions_ok(planned_sessions):
        raise DomainError(f"{PLANNED_SESSIONS_ERROR}.")
    modules = _checked_modules(planned_modules, none_message="Select at least one module to plan.")
    changed = plan is not None
    if plan is None:
        plan = SessionPlan(case=case, created_by=acting_user, version=0)
    plan.planned_sessions = planned_sessions
    plan.planned_modules = modules
    plan.starts_on = starts_on
    plan.note = note.strip()
    plan.version += 1
    plan.modified_by = acting_user
    plan.check_modules()
    if changed:
        plan.save(
            update_fields=[
                "planned_sessions",
                "planned_modules",
                "starts_on",
                "note",
                "version",
                "modified_by",
                "modified_at",
            ]
        )
    else:
        plan.save()
    record(
        Action.PTP_PLAN_SET,
        actor=acting_user,
        subject=plan,
        family_public_id=case.family.public_id,
        data={
            "plan_id": str(plan.public_id),
            "planned_sessions": planned_sessions,
            "planned_modules": modules,
            "changed": changed,
        },
    )
    return plan


@transaction.atomic(durable=True)
def do_record_session(
    case: Case,
    data: SessionInput,
    *,
    ratings: Mapping[Goal, Rating],
    acting_user: User,
) -> PtpSession:
    """Record a session held with the parent, and the parent's goal ratings made at it.

    The session is numbered next for the case (under the case lock). 60 to 90 minutes, at
    least one module, not in the future nor before the last session. The ratings go through
    `goals.actions.rate_goals` in this transaction: if either is refused, neither is saved.
    Same callers as `do_set_plan`. Writes PTP_SESSION_RECORDED (codes and ids only) and,
    when goals are rated, GOALS_RATED.
    """
    case = _locked_ptp_case(case.pk, acting_user)
    last = PtpSession.objects.filter(case=case).order_by("-number").first()
    modules = _checked_session(
        data,
        previous=Neighbour(last.number, last.held_on) if last else None,
        following=None,
    )
    session = PtpSession.objects.create(
        case=case,
        number=last.number + 1 if last else 1,
        held_on=data.held_on,
        minutes=data.minutes,
        content_level=data.content_level,
        homework_set=data.homework_set.strip(),
        homework_review=data.homework_review,
        homework_review_note=data.homework_review_note.strip(),
        note=data.note.strip(),
        created_by=acting_user,
        modified_by=acting_user,
    )
    SessionModule.objects.bulk_create(SessionModule(session=session, module=m) for m in modules)
    _audit_session(session, case, modules, acting_user)
    rate_goals(
        case,
        ratings,
        rated_on=data.held_on,
        occasion=Occasion.PTP_SESSION,
        source_public_id=session.public_id,
        acting_user=acting_user,
    )
    return session


@transaction.atomic(durable=True)
def do_correct_session(
    session: PtpSession,
    data: SessionInput,
    *,
    acting_user: User,
    expected_version: int | None = None,
) -> PtpSession:
    """Correct a recorded session (its number stays). Same rules and callers as recording;
    the date must stay between the sessions before and after it. The goal ratings made at
    the session are not changed (ratings are never edited). Writes PTP_SESSION_RECORDED with
    `"corrected": true`.
    """
    case = _locked_ptp_case(session.case_id, acting_user)
    session = PtpSession.objects.select_for_update(of=("self",)).get(pk=session.pk, case=case)
    check_version(session.version, expected_version, what="session")
    others = PtpSession.objects.filter(case=case)
    before = others.filter(number__lt=session.number).order_by("-number").first()
    after = others.filter(number__gt=session.number).order_by("number").first()
    modules = _checked_session(
        data,
        previous=Neighbour(before.number, before.held_on) if before else None,
        following=Neighbour(after.number, after.held_on) if after else None,
    )
    session.held_on = data.held_on
    session.minutes = data.minutes
    session.content_level = data.content_level
    session.homework_set = data.homework_set.strip()
    session.homework_review = data.homework_review
    session.homework_review_note = data.homework_review_note.strip()
    session.note = data.note.strip()
    session.version += 1
    session.modified_by = acting_user
    session.save(
        update_fields=[
            "held_on",
            "minutes",
            "content_level",
            "homework_set",
            "homework_review",
            "homework_review_note",
            "note",
            "version",
            "modified_by",
            "modified_at",
        ]
    )
    session.modules_covered.exclude(module__in=modules).delete()
    kept = set(session.modules_covered.values_list("module", flat=True))
    SessionModule.objects.bulk_create(
        SessionModule(session=session, module=m) for m in modules if m not in kept
    )
    _audit_session(session, case, modules, acting_user, corrected=True)
    return session
