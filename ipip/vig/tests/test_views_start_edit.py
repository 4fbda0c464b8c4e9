"""Starting a cycle and changing one: happy paths, errors that keep what was typed."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from ipip.accounts.models import User
from ipip.audit.events import Action
from ipip.audit.models import AuditEvent
from ipip.cases.models import Case
from ipip.goals.actions import do_change_goal_status
from ipip.goals.models import GoalStatus
from ipip.vig.models import VigCycle
from ipip.vig.tests.helpers import STARTED_ON, goal, start

pytestmark = pytest.mark.django_db


def start_url(case: Case) -> str:
    return reverse("vig:start", kwargs={"case_id": case.public_id})


def edit_url(cycle: VigCycle) -> str:
    return reverse(
        "vig:edit", kwargs={"case_id": cycle.case.public_id, "cycle_id": cycle.public_id}
    )


def test_start_happy_path(client: Client, case: Case, alice: User) -> None:
    calmer, other = goal(case, alice, "Calmer bedtimes"), goal(case, alice, "Play outside")
    client.force_login(alice)
    html = client.get(start_url(case)).content.decode()
    assert "Calmer bedtimes" in html
    assert "Play outside" in html
    response = client.post(
        start_url(case),
        {
            "helping_question": "How do I help him settle?",
            "started_on_0": "25",
            "started_on_1": "3",
            "started_on_2": "2026",
            "goals": [str(calmer.public_id)],
        },
    )
    cycle = VigCycle.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "vig:cycle", kwargs={"case_id": case.public_id, "cycle_id": cycle.public_id}
    )
    assert (cycle.number, cycle.started_on) == (1, STARTED_ON)
    assert list(cycle.goals.all()) == [calmer]
    assert other not in cycle.goals.all()
    assert AuditEvent.objects.filter(action=Action.VIG_CYCLE_STARTED, actor=alice).count() == 1
    assert "Cycle 1 started." in client.get(response["Location"]).content.decode()


def test_start_without_goals_says_how_to_add_them(client: Client, case: Case, alice: User) -> None:
    client.force_login(alice)
    assert "has no goals being worked on yet" in client.get(start_url(case)).content.decode()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("helping_question", "", "Enter the helping question"),
        ("started_on_0", "", "Date the cycle started must include a day"),
        ("started_on_1", "13", "Date the cycle started must be a real date"),
        ("started_on_2", "2027", "Date the cycle started must be today or in the past"),
    ],
)
def test_start_errors_name_the_field_and_keep_values(
    client: Client, case: Case, alice: User, field: str, value: str, message: str
) -> None:
    data = {
        "helping_question": "Typed question kept",
        "started_on_0": "25",
        "started_on_1": "3",
        "started_on_2": "2026",
    }
    data[field] = value
    client.force_login(alice)
    html = client.post(start_url(case), data).content.decode()
    assert "<title>Error: Start a VIG cycle" in html
    assert message in html
    for name, typed in data.items():
        if typed and name != "helping_question":
            assert f'value="{typed}"' in html, name
    if data["helping_question"]:
        assert "Typed question kept</textarea>" in html
    assert not VigCycle.objects.exists()


def test_start_refused_by_a_rule_says_why_and_keeps_values(
    client: Client, case: Case, alice: User
) -> None:
    start(case, alice)
    client.force_login(alice)
    html = client.post(
        start_url(case),
        {
            "helping_question": "A second question",
            "started_on_0": "26",
            "started_on_1": "3",
            "started_on_2": "2026",
        },
    ).content.decode()
    assert "Cycle 1 is not complete: record its shared review before starting cycle 2." in html
    assert "A second question</textarea>" in html
    assert VigCycle.objects.count() == 1


def test_edit_happy_path_keeps_an_achieved_goal_on_offer(
    client: Client, case: Case, alice: User
) -> None:
    chosen = goal(case, alice, "Calmer bedtimes")
    cycle = start(case, alice, goals=(chosen,))
    do_change_goal_status(chosen, status=GoalStatus.ACHIEVED, acting_user=alice)
    client.force_login(alice)
    html = client.get(edit_url(cycle)).content.decode()
    assert "Calmer bedtimes" in html
    assert f'value="{chosen.public_id}" checked' in html
    assert escape("How can I help my son settle at bedtime?") in html
    response = client.post(
        edit_url(cycle),
        {
            "version": "1",
            "helping_question": "A better question",
            "goals": [str(chosen.public_id)],
        },
    )
    assert response.status_code == 302
    cycle.refresh_from_db()
    assert (cycle.helping_question, cycle.version) == ("A better question", 2)


def test_edit_from_a_stale_page_is_refused_and_keeps_values(
    client: Client, case: Case, alice: User, bob: User
) -> None:
    cycle = start(case, alice)
    client.force_login(bob)
    client.post(edit_url(cycle), {"version": "1", "helping_question": "Bob's change"})
    client.force_login(alice)
    html = client.post(
        edit_url(cycle), {"version": "1", "helping_question": "Alice's change"}
    ).content.decode()
    assert "Someone else changed this cycle" in html
    assert "Alice&#x27;s change</textarea>" in html
    cycle.refresh_from_db()
    assert cycle.helping_question == "Bob's change"


def test_edit_empty_question(client: Client, case: Case, alice: User) -> None:
    cycle = start(case, alice)
    client.force_login(alice)
    html = client.post(edit_url(cycle), {"version": "1", "helping_question": ""}).content.decode()
    assert "<title>Error: Change cycle 1" in html
    assert "Enter the helping question" in html
