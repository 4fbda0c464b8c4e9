"""The time points page (national lead only) and its action: changing the windows and which
questionnaires are due, the optimistic lock, validation, and the audit row."""

import re

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from ipip.accounts.models import User
from ipip.audit.events import Action
from ipip.audit.models import AuditEvent
from ipip.core.errors import ConcurrentEdit, DomainError
from ipip.core.testing.clock import frozen_at
from ipip.questionnaires.actions_settings import do_change_schedule
from ipip.questionnaires.models import ScheduledInstrument, ScheduleSettings, TimePoint
from ipip.questionnaires.queries import current_settings, load_plan, scheduled_codes
from ipip.questionnaires.schedule import Point, Windows
from ipip.questionnaires.tests.test_queries import NOW, default_schedule
from ipip.referrals.tests.test_views_referral_create import error_summary

pytestmark = pytest.mark.django_db

frozen = frozen_at(NOW)
schedule = default_schedule()

URL = "/settings/questionnaires/"
DEFAULTS = {
    "baseline": ["sdq", "parenting_scale", "pcri", "dass21"],
    "end": ["sdq", "parenting_scale", "pcri", "dass21"],
    "follow_up": ["sdq", "parenting_scale"],
}


def form_data(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "version": "1",
        "baseline_due_days": "21",
        "baseline_grace_days": "14",
        "end_opens_after_days": "56",
        "end_window_after_days": "28",
        "follow_up_months": "6",
        "follow_up_window_days": "30",
        **DEFAULTS,
    }
    return data | overrides


def checked(html: str, name: str) -> set[str]:
    return set(re.findall(rf'name="{name}" type="checkbox" value="([^"]+)" checked', html))


def messages_of(response: object) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]  # type: ignore[attr-defined]


def stored() -> dict[str, set[str]]:
    return {point.value: set(codes) for point, codes in scheduled_codes().items()}


def test_the_lead_sees_the_windows_and_the_questionnaires_due(client: Client, lena: User) -> None:
    client.force_login(lena)
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Questionnaire time points" in html
    assert re.search(r'name="baseline_due_days" value="21"', html)
    assert re.search(r'name="follow_up_months" value="6"', html)
    for point, codes in DEFAULTS.items():
        assert checked(html, point) == set(codes)
    assert 'value="phq9"' in html  # every instrument of the library is offered
    assert "SDQ (about a child)" in html


def test_the_lead_changes_the_time_points(client: Client, lena: User) -> None:
    client.force_login(lena)
    response = client.post(
        URL,
        form_data(
            baseline_due_days="28",
            follow_up_months="12",
            end=["sdq", "parenting_scale", "dass21", "phq9"],
        ),
    )
    assert response.status_code == 302
    assert response["Location"] == URL
    assert messages_of(response) == ["Time points saved. They apply to every case now."]
    row = current_settings()
    assert (row.baseline_due_days, row.follow_up_months, row.version) == (28, 12, 2)
    assert stored()["end"] == {"sdq", "parenting_scale", "dass21", "phq9"}
    assert stored()["baseline"] == set(DEFAULTS["baseline"])
    event = AuditEvent.objects.get(action=Action.QUESTIONNAIRE_SCHEDULE_CHANGED)
    assert (event.actor, event.subject_public_id) == (lena, row.public_id)
    assert event.data == {
        "version": 2,
        "windows": {"baseline_due_days": [21, 28], "follow_up_months": [6, 12]},
        "added": {"end": ["phq9"]},
        "removed": {"end": ["pcri"]},
    }
    assert load_plan().windows.baseline_due_days == 28


def test_a_stale_page_is_refused(client: Client, lena: User) -> None:
    client.force_login(lena)
    assert client.post(URL, form_data(baseline_due_days="28")).status_code == 302
    response = client.post(URL, form_data(baseline_due_days="7"))  # still version 1
    assert response.status_code == 200
    assert "Someone else changed this schedule" in error_summary(response.content.decode())
    assert current_settings().baseline_due_days == 28
    assert AuditEvent.objects.filter(action=Action.QUESTIONNAIRE_SCHEDULE_CHANGED).count() == 1


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("baseline_due_days", "", "Enter a number: baseline is due this many days"),
        ("baseline_due_days", "three", "Enter a whole number from 1 to 90: baseline is due"),
        ("baseline_due_days", "0", "Enter a whole number from 1 to 90: baseline is due"),
        ("follow_up_months", "25", "Enter a whole number from 1 to 24: follow-up is due"),
        ("end", ["nonesuch"], "Choose only questionnaires from the list"),
    ],
)
def test_invalid_input_shows_an_error_and_changes_nothing(
    client: Client, lena: User, field: str, value: object, message: str
) -> None:
    client.force_login(lena)
    response = client.post(URL, form_data(**{field: value}))
    assert response.status_code == 200
    html = response.content.decode()
    assert message in error_summary(html)
    assert html.startswith("<!DOCTYPE html>")
    assert "<title>Error: Questionnaire time points" in html
    assert current_settings().version == 1
    assert stored() == {point: set(codes) for point, codes in DEFAULTS.items()}


def test_the_follow_up_window_must_open_after_closure(client: Client, lena: User) -> None:
    client.force_login(lena)
    response = client.post(URL, form_data(follow_up_months="1", follow_up_window_days="28"))
    assert response.status_code == 200
    assert "The follow-up window must open after the case closes" in error_summary(
        response.content.decode()
    )
    assert current_settings().follow_up_months == 6


def test_saving_without_a_change_writes_nothing(client: Client, lena: User) -> None:
    client.force_login(lena)
    response = client.post(URL, form_data())
    assert messages_of(response) == ["Nothing was changed."]
    assert current_settings().version == 1
    assert not AuditEvent.objects.filter(action=Action.QUESTIONNAIRE_SCHEDULE_CHANGED).exists()


def test_a_stored_code_the_library_lacks_can_stay_or_go(client: Client, lena: User) -> None:
    ScheduledInstrument.objects.create(time_point=TimePoint.FOLLOW_UP, instrument_code="retired")
    client.force_login(lena)
    html = client.get(URL).content.decode()
    assert "retired (not in the questionnaire library)" in html
    assert "retired" in checked(html, "follow_up")
    kept = [*DEFAULTS["follow_up"], "retired"]
    client.post(URL, form_data(follow_up=kept, baseline_due_days="20"))
    assert "retired" in stored()["follow_up"]
    client.post(URL, form_data(version="2"))
    assert "retired" not in stored()["follow_up"]


@pytest.mark.parametrize("persona", ["alice", "bob", "charlie", "dave", "erin", "adam", "rita"])
def test_no_one_else_sees_or_changes_it(
    client: Client, persona: str, request: pytest.FixtureRequest
) -> None:
    client.force_login(request.getfixturevalue(persona))
    assert client.get(URL).status_code == 404
    assert client.post(URL, form_data(baseline_due_days="28")).status_code == 404
    assert current_settings().baseline_due_days == 21


def test_the_time_points_link_is_the_settings_page() -> None:
    assert reverse("questionnaire_settings:edit") == URL
    assert reverse("accounts:users") == "/settings/users/"  # the accounts pages still resolve


# -- the action -----------------------------------------------------------------------------


def test_only_the_lead_may_change_the_schedule(bob: User) -> None:
    with pytest.raises(PermissionDenied):
        do_change_schedule(windows=Windows(), instruments={}, expected_version=1, acting_user=bob)


def test_the_action_refuses_a_code_not_in_the_library(lena: User) -> None:
    with pytest.raises(DomainError, match="Choose only questionnaires from the list"):
        do_change_schedule(
            windows=Windows(),
            instruments={Point.END: ["nonesuch"]},
            expected_version=1,
            acting_user=lena,
        )
    with pytest.raises(ConcurrentEdit):
        do_change_schedule(
            windows=Windows(baseline_due_days=5),
            instruments={},
            expected_version=3,
            acting_user=lena,
        )


def test_the_action_leaves_time_points_not_given_alone(lena: User) -> None:
    change = do_change_schedule(
        windows=Windows(),
        instruments={Point.FOLLOW_UP: ["sdq"]},
        expected_version=1,
        acting_user=lena,
    )
    assert change.removed == {"follow_up": ["parenting_scale"]}
    assert stored()["baseline"] == set(DEFAULTS["baseline"])


def test_the_action_makes_the_settings_row_if_it_is_missing(lena: User) -> None:
    ScheduleSettings.objects.all().delete()
    change = do_change_schedule(
        windows=Windows(end_window_after_days=14),
        instruments={},
        expected_version=1,
        acting_user=lena,
    )
    assert ScheduleSettings.objects.get() == change.settings
    assert (change.settings.end_window_after_days, change.settings.version) == (14, 2)
