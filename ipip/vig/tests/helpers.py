"""Building VIG records through the actions, as production does. Fake data only."""

from collections.abc import Mapping
from datetime import UTC, date, datetime
from decimal import Decimal

from ipip.accounts.models import User
from ipip.audit.models import AuditEvent
from ipip.cases.models import Case
from ipip.consent.actions import do_record_consent
from ipip.consent.models import ConsentDecision, ConsentRecord, Purpose
from ipip.goals.actions import Rating, do_set_goal
from ipip.goals.models import Goal
from ipip.vig.actions import (
    do_add_clip,
    do_record_filming,
    do_record_review,
    do_start_cycle,
)
from ipip.vig.models import Clip, Filming, SharedReview, VigCycle

NOW = datetime(2026, 4, 15, 10, 0, tzinfo=UTC)
TODAY = date(2026, 4, 15)
CONSENT_ON = date(2026, 3, 20)
STARTED_ON = date(2026, 3, 25)
FILMED_ON = date(2026, 3, 27)
REVIEWED_ON = date(2026, 4, 1)


def last_event() -> AuditEvent:
    event = AuditEvent.objects.order_by("-id").first()
    assert event is not None
    return event


def consent(
    case: Case,
    purpose: Purpose,
    user: User,
    *,
    on: date = CONSENT_ON,
    decision: ConsentDecision = ConsentDecision.GIVEN,
) -> ConsentRecord:
    return do_record_consent(
        case,
        purpose=purpose,
        decision=decision,
        decided_on=on,
        given_by=case.family.carers.get(),
        note="",
        acting_user=user,
    )


def goal(case: Case, user: User, text: str = "Calmer bedtimes", on: date = CONSENT_ON) -> Goal:
    return do_set_goal(case, text=text, set_on=on, rating=Rating(now=3, hoped=8), acting_user=user)


def start(
    case: Case,
    user: User,
    *,
    on: date = STARTED_ON,
    question: str = "How can I help my son settle at bedtime?",
    goals: tuple[Goal, ...] = (),
) -> VigCycle:
    return do_start_cycle(
        case, helping_question=question, started_on=on, goals=goals, acting_user=user
    )


def film(
    cycle: VigCycle, user: User, *, on: date = FILMED_ON, length: int = 600, activity: str = "play"
) -> Filming:
    family = cycle.case.family
    return do_record_filming(
        cycle,
        filmed_on=on,
        activity=activity,
        length_seconds=length,
        filmed_carers=list(family.carers.all()),
        filmed_children=list(family.children.all()),
        note="",
        acting_user=user,
    )


def add_clip(
    filming: Filming,
    user: User,
    *,
    start_s: str = "65",
    end_s: str = "100",
    principles: tuple[str, ...] = ("attentive",),
    elements: tuple[str, ...] = ("looking_interested",),
    note: str = "",
) -> Clip:
    return do_add_clip(
        filming,
        start_seconds=Decimal(start_s),
        end_seconds=Decimal(end_s),
        principles=principles,
        elements=elements,
        note=note,
        acting_user=user,
    )


def review(
    cycle: VigCycle,
    user: User,
    *,
    on: date = REVIEWED_ON,
    ratings: Mapping[Goal, Rating] | None = None,
) -> SharedReview:
    return do_record_review(
        cycle,
        reviewed_on=on,
        parent_reflections="I waited for him and he showed me his drawing.",
        celebrated="Lovely turn-taking.",
        next_goals="More waiting.",
        ratings=ratings or {},
        acting_user=user,
    )
