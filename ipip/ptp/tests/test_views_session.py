"""`ptp:record`, `ptp:session`, `ptp:edit`: recording a session with the parent's goal
ratings, one session's page, correcting it. Errors name the field; nothing typed is lost."""

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from ipip.accounts.models import User
from ipip.audit.events import Action
from ipip.audit.models import AuditEvent
from ipip.cases.models import Case
from ipip.goals.actions import Rating
from ipip.goals.models import Goal, GoalRating, Occasion
from ipip.ptp.models import PtpSession
from ipip.ptp.tests.helpers import record, set_goal

pytestmark = pytest.mark.django_db

GOOD = {
    "held_on_0": "16",
    "held_on_1": "3",
    "held_on_2": "2026",
    "minutes": "75",
    "content_level": "level_5",
    "modules": ["attribution", "behaviour"],
    "homework_review": "none_set",
    "homework_review_note": "First session",
    "homework_set": "Praise twice a day",
    "note": "Engaged well",
}


def record_url(case: Case) -> str:
    return reverse("ptp:record", kwargs={"case_id": case.public_id})


def session_url(session: PtpSession) -> str:
    return reverse(
        "ptp:session", kwargs={"case_id": session.case.public_id, "session_id": session.public_id}
    )


def edit_url(session: PtpSession) -> str:
    return reverse(
        "ptp:edit", kwargs={"case_id": session.case.public_id, "session_id": session.public_id}
    )


def rated(goal: Goal, now: str, hoped: str) -> dict[str, str]:
    return {f"goals-now_{goal.pk}": now, f"goals-hoped_{goal.pk}": hoped}


# -- recording ---------------------------------------------------------------------------


def test_record_form_shows_the_fields_and_goals(client: Client, case: Case, alice: User) -> None:
    goal = set_goal(case, alice, "Bedtime without shouting")
    client.force_login(alice)
    html = client.get(record_url(case)).content.decode()
    assert "This will be session 1." in html
    assert "From 60 to 90 minutes" in html
    assert escape("Strategies for managing children's behaviour") in html
    assert "Level 3 (Primary Care)" in html
    assert 'value="none_set" checked' in html  # no earlier session, so no homework was set
    assert "Bedtime without shouting" in html
    assert f'name="goals-now_{goal.pk}"' in html
    event = AuditEvent.objects.get(action=Action.PTP_VIEWED)
    assert event.data == {
        "page": "record",
        "last_session_id": None,
        "goal_ids": [str(goal.public_id)],
    }


def test_record_saves_the_session_and_the_goal_ratings(
    client: Client, case: Case, alice: User
) -> None:
    first = set_goal(case, alice, "Bedtime without shouting")
    second = set_goal(case, alice, "Play together every day")
    client.force_login(alice)
    response = client.post(
        record_url(case), {**GOOD, **rated(first, "4", "8"), **rated(second, "", "")}
    )
    session = PtpSession.objects.get()
    assert response.status_code == 302
    assert response["Location"] == session_url(session)
    assert (session.number, session.held_on, session.minutes) == (1, date(2026, 3, 16), 75)
    assert (session.homework_set, session.note) == ("Praise twice a day", "Engaged well")
    assert sorted(session.modules_covered.values_list("module", flat=True)) == [
        "attribution",
        "behaviour",
    ]
    rating = GoalRating.objects.get(occasion=Occasion.PTP_SESSION)
    assert (rating.goal, rating.now, rating.hoped) == (first, 4, 8)
    assert (rating.rated_on, rating.source_public_id) == (session.held_on, session.public_id)
    html = client.get(session_url(session)).content.decode()
    assert "Session 1 recorded." in html
    assert "Bedtime without shouting" in html
    assert "Play together every day" not in html  # not rated at this session


def test_second_session_reviews_last_homework(client: Client, case: Case, alice: User) -> None:
    record(case, alice, homework_set="Notice two calm moments each day")
    client.force_login(alice)
    html = client.get(record_url(case)).content.decode()
    assert "This will be session 2. Session 1 was on 16 March 2026." in html
    assert "Homework set then: Notice two calm moments each day" in html
    assert 'value="none_set" checked' not in html
    response = client.post(record_url(case), {**GOOD, "homework_review": "partly_done"})
    assert response.status_code == 302
    assert PtpSession.objects.get(number=2).homework_review == "partly_done"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("minutes", "59", "Length of the session must be from 60 to 90 minutes"),
        ("minutes", "91", "Length of the session must be from 60 to 90 minutes"),
        ("minutes", "", "Enter the length of the session, in minutes"),
        ("minutes", "an hour", "Length of the session must be a whole number of minutes"),
        ("modules", [], "Select at least one module covered in the session"),
        ("modules", ["juggling"], "Choose only modules from the list"),
        ("content_level", "", "Select which level&#x27;s content the session used"),
        ("homework_review", "", "Select how the homework set at the last session went"),
        ("held_on_1", "", "Date of the session must include a month"),
        ("held_on_0", "21", "Date of the session must be today or in the past"),
    ],
)
def test_record_errors_name_the_field_and_keep_values(
    client: Client, case: Case, alice: User, field: str, value: object, message: str
) -> None:
    goal = set_goal(case, alice)
    data: dict[str, object] = {**GOOD, **rated(goal, "5", "9"), field: value}
    client.force_login(alice)
    response = client.post(record_url(case), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: Record a session" in html
    assert message in html
    for name in ("held_on_0", "held_on_1", "held_on_2", "minutes", f"goals-now_{goal.pk}"):
        typed = data[name]
        if typed:
            assert f'value="{typed}"' in html, name
    for name in ("homework_review_note", "homework_set", "note"):
        assert f"{data[name]}</textarea>" in html
    if field != "modules":
        assert 'value="attribution" checked' in html
    assert not PtpSession.objects.exists()
    assert not GoalRating.objects.filter(occasion=Occasion.PTP_SESSION).exists()


def test_a_goal_rating_error_names_the_goal_and_saves_nothing(
    client: Client, case: Case, alice: User
) -> None:
    goal = set_goal(case, alice)
    client.force_login(alice)
    response = client.post(record_url(case), {**GOOD, **rated(goal, "4", "")})
    html = response.content.decode()
    assert "Enter what the parent hopes for on goal 1" in html
    assert f'href="#id_goals-hoped_{goal.pk}"' in html
    assert "Engaged well</textarea>" in html
    assert not PtpSession.objects.exists()


def test_a_refused_rating_rolls_back_the_session(client: Client, case: Case, alice: User) -> None:
    goal = set_goal(case, alice, on=date(2026, 3, 18))  # set after the session's date
    client.force_login(alice)
    response = client.post(record_url(case), {**GOOD, **rated(goal, "4", "8")})
    html = response.content.decode()
    assert "A goal cannot be rated before the day it was set" in html
    assert "Engaged well</textarea>" in html
    assert not PtpSession.objects.exists()
    assert not GoalRating.objects.filter(occasion=Occasion.PTP_SESSION).exists()


def test_a_date_before_the_last_session_is_explained(
    client: Client, case: Case, alice: User
) -> None:
    record(case, alice, held_on=date(2026, 3, 17))
    client.force_login(alice)
    response = client.post(record_url(case), GOOD)
    assert "after the date of session 1 (17 March 2026)" in response.content.decode()
    assert PtpSession.objects.count() == 1


def test_record_on_a_vig_case_says_why(client: Client, vig_case: Case, alice: User) -> None:
    client.force_login(alice)
    assert "not Pathways Triple P" in client.get(record_url(vig_case)).content.decode()
    response = client.post(record_url(vig_case), GOOD)
    assert "not Pathways Triple P" in response.content.decode()
    assert not PtpSession.objects.exists()


# -- one session -------------------------------------------------------------------------


def test_session_page_shows_everything_and_is_audited(
    client: Client, case: Case, alice: User
) -> None:
    goal = set_goal(case, alice, "Bedtime without shouting")
    session = record(
        case,
        alice,
        modules=["stress", "anger"],
        homework_review_note="Had a busy week",
        ratings={goal: Rating(now=5, hoped=9)},
    )
    client.force_login(alice)
    html = client.get(session_url(session)).content.decode()
    assert '<h1 class="govuk-heading-xl">Session 1</h1>' in html
    assert "16 March 2026" in html
    assert "75 minutes" in html
    assert "Level 5 (Pathways and Enhanced)" in html
    assert html.index("Anger management") < html.index("Stress coping")  # catalogue order
    assert "No homework was set" in html
    assert "Had a busy week" in html
    assert "Notice two calm moments each day" in html
    assert "Went well" in html
    assert "Bedtime without shouting" in html
    assert ">5</td>" in html and ">9</td>" in html
    assert edit_url(session) in html
    event = AuditEvent.objects.get(action=Action.PTP_VIEWED)
    assert event.data == {"page": "session", "session_id": str(session.public_id)}


def test_a_session_of_another_case_is_404(
    client: Client, case: Case, other_case: Case, alice: User
) -> None:
    session = record(case, alice)
    client.force_login(alice)
    for name in ("ptp:session", "ptp:edit"):
        url = reverse(
            name, kwargs={"case_id": other_case.public_id, "session_id": session.public_id}
        )
        assert client.get(url).status_code == 404


# -- correcting --------------------------------------------------------------------------


def test_edit_shows_the_session_and_saves_a_correction(
    client: Client, case: Case, alice: User, bob: User
) -> None:
    session = record(case, alice, modules=["anger"])
    client.force_login(bob)
    html = client.get(edit_url(session)).content.decode()
    assert "<title>Correct session 1" in html
    assert 'value="75"' in html
    assert 'value="anger" checked' in html
    assert "Went well</textarea>" in html
    assert 'name="version" value="1"' in html
    response = client.post(edit_url(session), {**GOOD, "minutes": "90", "version": "1"})
    assert response.status_code == 302
    assert response["Location"] == session_url(session)
    session.refresh_from_db()
    assert (session.minutes, session.version, session.note) == (90, 2, "Engaged well")
    assert sorted(session.modules_covered.values_list("module", flat=True)) == [
        "attribution",
        "behaviour",
    ]
    event = AuditEvent.objects.filter(action=Action.PTP_SESSION_RECORDED).latest("id")
    assert (event.actor, event.data["corrected"]) == (bob, True)


def test_edit_errors_keep_values_and_stale_versions_are_refused(
    client: Client, case: Case, alice: User
) -> None:
    session = record(case, alice)
    client.force_login(alice)
    response = client.post(edit_url(session), {**GOOD, "minutes": "95", "version": "1"})
    html = response.content.decode()
    assert "<title>Error: Correct session 1" in html
    assert "Length of the session must be from 60 to 90 minutes" in html
    assert 'value="95"' in html
    assert "Engaged well</textarea>" in html
    client.post(edit_url(session), {**GOOD, "version": "1"})
    stale = client.post(edit_url(session), {**GOOD, "minutes": "60", "version": "1"})
    assert "Someone else changed this session" in stale.content.decode()
    session.refresh_from_db()
    assert (session.minutes, session.version) == (75, 2)
