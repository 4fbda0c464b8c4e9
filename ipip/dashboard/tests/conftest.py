"""Cases at known points of delivery, for the dashboard and the fidelity queries."""

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

import pytest

from ipip.accounts.models import User
from ipip.cases.models import Approach, Case
from ipip.core.testing.builders import allocated_case, referral_input
from ipip.ptp.models import ContentLevel, HomeworkReview, PtpSession, SessionModule
from ipip.vig.models import VigCycle
from ipip.visits.models import Visit, VisitOutcome

NOW = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)

MakeCase = Callable[..., Case]


@pytest.fixture
def make_case(rita: User, bob: User, alice: User) -> MakeCase:
    """An allocated Sheffield case, allocated `days_ago` before NOW."""

    def make(
        approach: Approach = Approach.VIG,
        *,
        days_ago: int = 10,
        practitioner: User | None = None,
        manager: User | None = None,
        area: str = "Sheffield",
    ) -> Case:
        case = allocated_case(
            rita,
            manager or bob,
            practitioner or alice,
            approach=approach,
            referral=referral_input(area=area),
        )
        Case.objects.filter(pk=case.pk).update(allocated_at=NOW - timedelta(days=days_ago))
        case.refresh_from_db()
        return case

    return make


def add_cycles(case: Case, *, completed: int, open_: int = 0) -> None:
    for n in range(1, completed + open_ + 1):
        VigCycle.objects.create(
            case=case,
            number=n,
            helping_question="How can I notice what she wants?",
            started_on=date(2026, 3, 1),
            completed_on=date(2026, 3, 20) if n <= completed else None,
        )


def add_sessions(case: Case, modules: list[list[str]]) -> None:
    for n, covered in enumerate(modules, start=1):
        session = PtpSession.objects.create(
            case=case,
            number=n,
            held_on=date(2026, 3, n),
            minutes=75,
            content_level=ContentLevel.LEVEL_5,
            homework_review=HomeworkReview.NONE_SET,
        )
        for module in covered:
            SessionModule.objects.create(session=session, module=module)


def add_visits(case: Case, outcomes: list[VisitOutcome]) -> None:
    for n, outcome in enumerate(outcomes):
        took_place = outcome == VisitOutcome.TOOK_PLACE
        Visit.objects.create(
            case=case,
            scheduled_at=NOW - timedelta(days=30 - n),
            planned_minutes=60,
            outcome=outcome,
            actual_minutes=60 if took_place else None,
            recorded_at=NOW - timedelta(days=30 - n),
        )
