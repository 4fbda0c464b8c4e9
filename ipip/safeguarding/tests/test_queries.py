"""Whose alerts are open for whom, and the dashboard counts."""

import pytest

from ipip.accounts.models import Role, User
from ipip.cases.models import Case
from ipip.core.testing.personas import make_user
from ipip.safeguarding.actions import do_acknowledge_alert
from ipip.safeguarding.models import Alert, EscalationOutcome
from ipip.safeguarding.queries import (
    open_alerts_for,
    open_escalations_for_area,
    safeguarding_counts,
)
from ipip.safeguarding.tests.conftest import escalate, raise_concern, settle

pytestmark = pytest.mark.django_db


@pytest.fixture
def alerts(case: Case, hull_case: Case, bob: User, dave: User) -> dict[str, Alert]:
    """One alert in Sheffield (addressed to alice), one in Hull (addressed to charlie)."""
    raise_concern(case, bob)
    raise_concern(hull_case, dave)
    return {
        "sheffield": Alert.objects.get(case=case),
        "hull": Alert.objects.get(case=hull_case),
    }


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("alice", {"sheffield"}),
        ("bob", {"sheffield"}),
        ("charlie", {"hull"}),
        ("dave", {"hull"}),
        ("lena", {"sheffield", "hull"}),
        ("erin", set()),
        ("adam", set()),
        ("rita", set()),
    ],
)
def test_open_alerts_are_scoped_by_role(
    alerts: dict[str, Alert], persona: str, expected: set[str], request: pytest.FixtureRequest
) -> None:
    user = request.getfixturevalue(persona)
    got = {name for name, alert in alerts.items() if alert in open_alerts_for(user)}
    assert got == expected


def test_acknowledged_alerts_are_not_open(alerts: dict[str, Alert], bob: User, lena: User) -> None:
    do_acknowledge_alert(alerts["sheffield"], acting_user=bob)
    assert list(open_alerts_for(lena)) == [alerts["hull"]]
    assert not open_alerts_for(bob).exists()


def test_a_practitioner_sees_no_alerts_raised_by_herself(case: Case, alice: User) -> None:
    raise_concern(case, alice)
    assert not open_alerts_for(alice).exists()


def test_alerts_stay_with_the_case_when_it_is_reallocated(
    alerts: dict[str, Alert], case: Case, alice: User, bob: User
) -> None:
    other = make_user("pat@example.org", Role.PRACTITIONER, "Sheffield")
    # Set directly: reallocation (and its reason) belongs to the allocation feature.
    Case.objects.filter(pk=case.pk).update(allocated_to=other)
    assert not open_alerts_for(alice).exists()  # no longer her case
    assert alerts["sheffield"] in open_alerts_for(bob)


def test_an_inactive_manager_sees_none(alerts: dict[str, Alert], bob: User) -> None:
    bob.is_active = False
    bob.save(update_fields=["is_active"])
    assert not open_alerts_for(bob).exists()


def test_open_escalations_and_counts(
    case: Case, hull_case: Case, alice: User, bob: User, charlie: User
) -> None:
    waiting = escalate(raise_concern(case, alice), alice)
    settled = escalate(raise_concern(case, alice), alice)
    settle(settled, alice, EscalationOutcome.EARLY_HELP)
    raise_concern(case, bob)  # open, not escalated
    hull = escalate(raise_concern(hull_case, charlie), charlie)
    sheffield_id = case.area_id
    assert list(open_escalations_for_area(sheffield_id)) == [waiting]
    assert set(open_escalations_for_area(None)) == {waiting, hull}
    counts = safeguarding_counts(sheffield_id)
    assert counts.open_concerns == 1
    assert counts.escalations_awaiting_outcome == 1
    # Alerts in Sheffield: 3 concerns raised and 2 escalations.
    assert counts.open_alerts == 5
    everywhere = safeguarding_counts(None)
    assert everywhere.escalations_awaiting_outcome == 2
    assert everywhere.open_alerts == 7
