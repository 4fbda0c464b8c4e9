"""Recording a filming: happy path, errors keep what was typed, no consent says what to do."""

import pytest
from django.test import Client
from django.urls import reverse

from ipip.accounts.models import User
from ipip.cases.models import Case
from ipip.vig.models import Filming, VigCycle
from ipip.vig.tests.helpers import FILMED_ON, start

pytestmark = pytest.mark.django_db


def filming_url(cycle: VigCycle) -> str:
    return reverse(
        "vig:filming", kwargs={"case_id": cycle.case.public_id, "cycle_id": cycle.public_id}
    )


def valid(case: Case) -> dict[str, object]:
    return {
        "filmed_on_0": "27",
        "filmed_on_1": "3",
        "filmed_on_2": "2026",
        "activity": "Reading a story",
        "length": "10:30",
        "filmed_carers": [str(case.family.carers.get().public_id)],
        "filmed_children": [str(case.family.children.get().public_id)],
        "note": "Living room",
    }


def test_filming_happy_path(client: Client, case: Case, alice: User) -> None:
    cycle = start(case, alice)
    client.force_login(alice)
    html = client.get(filming_url(cycle)).content.decode()
    assert "There is no consent to filming" not in html
    response = client.post(filming_url(cycle), valid(case))
    assert response.status_code == 302
    filming = Filming.objects.get()
    assert (filming.filmed_on, filming.length_seconds, filming.activity) == (
        FILMED_ON,
        630,
        "Reading a story",
    )
    assert filming.note == "Living room"
    assert "Filming recorded." in client.get(response["Location"]).content.decode()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("activity", "", "Enter the activity that was filmed"),
        ("length", "", "Enter the length of the film"),
        ("length", "ten minutes", "Length of the film must be minutes and seconds, like 1:05"),
        ("length", "10:75", "Length of the film must be minutes and seconds, like 1:05"),
        ("length", "10:30.5", "Length of the film must be in whole seconds, like 10:30"),
        ("length", "0:00", "Length of the film must be from 0:01 to 120:00"),
        ("length", "130:00", "Length of the film must be from 0:01 to 120:00"),
        ("filmed_on_2", "", "Date of filming must include a year"),
        ("filmed_carers", [], "Select the parent or carer who was filmed"),
        ("filmed_children", [], "Select the child who was filmed"),
    ],
)
def test_filming_errors_name_the_field_and_keep_values(
    client: Client, case: Case, alice: User, field: str, value: object, message: str
) -> None:
    cycle = start(case, alice)
    data = valid(case)
    data[field] = value
    client.force_login(alice)
    html = client.post(filming_url(cycle), data).content.decode()
    assert "<title>Error: Record a filming, cycle 1" in html
    assert message in html
    for name in ("filmed_on_0", "filmed_on_1", "activity", "length"):
        if data[name]:
            assert f'value="{data[name]}"' in html, name
    assert "Living room</textarea>" in html
    assert not Filming.objects.exists()


def test_filming_without_consent_says_to_record_it_and_keeps_values(
    client: Client, bare_case: Case, alice: User
) -> None:
    cycle = start(bare_case, alice)
    client.force_login(alice)
    html = client.get(filming_url(cycle)).content.decode()
    assert "There is no consent to filming for this family today" in html
    assert reverse("consent:record", kwargs={"case_id": bare_case.public_id}) in html
    html = client.post(filming_url(cycle), valid(bare_case)).content.decode()
    assert (
        "Record the family&#x27;s consent to filming first: there is no consent to filming "
        "on 27 March 2026." in html
    )
    assert 'value="Reading a story"' in html
    assert not Filming.objects.exists()
