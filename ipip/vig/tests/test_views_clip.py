"""Adding a clip and removing one: happy paths, clear errors, nothing typed is lost."""

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from ipip.accounts.models import User
from ipip.cases.models import Case
from ipip.consent.models import ConsentDecision, Purpose
from ipip.vig.models import Clip, Filming
from ipip.vig.tests.helpers import TODAY, add_clip, consent, film, start

pytestmark = pytest.mark.django_db


def clip_url(filming: Filming) -> str:
    return reverse(
        "vig:clip",
        kwargs={"case_id": filming.cycle.case.public_id, "filming_id": filming.public_id},
    )


def remove_url(clip: Clip) -> str:
    return reverse(
        "vig:remove-clip",
        kwargs={"case_id": clip.filming.cycle.case.public_id, "clip_id": clip.public_id},
    )


def valid() -> dict[str, object]:
    return {
        "start": "1:05",
        "end": "1:40.5",
        "principles": ["attentive", "receiving_initiatives"],
        "elements_attentive": ["looking_interested", "wondering"],
        "elements_receiving_initiatives": ["using_their_words"],
        "note": "She repeated his words",
    }


def test_clip_page_groups_elements_under_each_principle(
    client: Client, case: Case, alice: User
) -> None:
    filming = film(start(case, alice), alice)
    client.force_login(alice)
    html = client.get(clip_url(filming)).content.decode()
    assert "(10:00 long)" in html
    assert 'name="principles" type="checkbox" value="deepening_discussion"' in html
    assert 'name="elements_guiding" type="checkbox" value="scaffolding"' in html
    assert html.index("Being attentive") < html.index("Giving time and space for the other")


def test_add_clip_happy_path(client: Client, case: Case, alice: User) -> None:
    filming = film(start(case, alice), alice)
    client.force_login(alice)
    response = client.post(clip_url(filming), valid())
    assert response.status_code == 302
    clip = Clip.objects.get()
    assert (clip.start_seconds, clip.end_seconds) == (Decimal("65"), Decimal("100.5"))
    assert clip.principles == ["attentive", "receiving_initiatives"]
    assert clip.elements == ["looking_interested", "wondering", "using_their_words"]
    assert clip.note == "She repeated his words"
    html = client.get(response["Location"]).content.decode()
    assert "Clip added." in html
    assert "1:05–1:40.5" in html


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("start", "", "Enter the start of the clip"),
        ("start", "65", "Start of the clip must be minutes and seconds, like 1:05"),
        ("end", "1:5", "End of the clip must be minutes and seconds, like 1:05"),
        ("end", "1:00", "End of the clip must be after its start"),
        ("end", "10:00.5", "End of the clip must be within the film, which is 10:00 long"),
        ("principles", [], "Select at least one principle of attuned interaction"),
        (
            "elements_guiding",
            ["scaffolding"],
            "Select &#x27;Guiding&#x27; as a principle, or untick its elements",
        ),
    ],
)
def test_clip_errors_name_the_field_and_keep_values(
    client: Client, case: Case, alice: User, field: str, value: object, message: str
) -> None:
    filming = film(start(case, alice), alice, length=600)
    data = valid()
    data[field] = value
    client.force_login(alice)
    html = client.post(clip_url(filming), data).content.decode()
    assert "<title>Error: Add a clip, cycle 1" in html
    assert message in html
    for name in ("start", "end"):
        if data[name]:
            assert f'value="{data[name]}"' in html, name
    assert 'value="looking_interested" checked' in html
    assert "She repeated his words</textarea>" in html
    assert not Clip.objects.exists()


def test_clip_without_filming_consent_says_why(client: Client, case: Case, alice: User) -> None:
    filming = film(start(case, alice), alice)
    consent(case, Purpose.FILMING, alice, on=TODAY, decision=ConsentDecision.WITHDRAWN)
    client.force_login(alice)
    html = client.post(clip_url(filming), valid()).content.decode()
    assert "consent to filming first" in html
    assert 'value="1:05"' in html
    assert not Clip.objects.exists()


def test_remove_clip_happy_path(client: Client, case: Case, bob: User) -> None:
    clip = add_clip(film(start(case, bob), bob), bob)
    client.force_login(bob)
    response = client.post(remove_url(clip), {"version": "1"})
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "vig:cycle", kwargs={"case_id": case.public_id, "cycle_id": clip.filming.cycle.public_id}
    )
    clip.refresh_from_db()
    assert clip.removed_by == bob
    assert "Clip 1:05–1:40 removed." in client.get(response["Location"]).content.decode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"version": "2"}, "Someone else changed this clip"),
        ({}, "The clip was not removed: reload the page and try again."),
    ],
)
def test_remove_clip_refused_says_why(
    client: Client, case: Case, alice: User, data: dict[str, str], message: str
) -> None:
    clip = add_clip(film(start(case, alice), alice), alice)
    client.force_login(alice)
    response = client.post(remove_url(clip), data, follow=True)
    assert message in response.content.decode()
    clip.refresh_from_db()
    assert not clip.is_removed


def test_remove_clip_is_post_only(client: Client, case: Case, alice: User) -> None:
    clip = add_clip(film(start(case, alice), alice), alice)
    client.force_login(alice)
    assert client.get(remove_url(clip)).status_code == 405
