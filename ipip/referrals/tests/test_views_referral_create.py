"""The referral form: a referrer's happy path, errors that keep every value typed, a manager's form."""

import re
from datetime import date, timedelta
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ipip.accounts.models import Area, User
from ipip.audit.events import Action
from ipip.audit.models import AuditEvent
from ipip.cases.models import Carer, Child, EarlyHelpAssessment, Family
from ipip.referrals.models import Outcome, Referral, ReferralStatus

pytestmark = pytest.mark.django_db

CREATE = "/referrals/new/"


def date_boxes(name: str, value: date) -> dict[str, str]:
    """A GOV.UK date input's three boxes: day, month and year."""
    return {
        f"{name}_0": str(value.day),
        f"{name}_1": str(value.month),
        f"{name}_2": str(value.year),
    }


def empty_date(name: str) -> dict[str, str]:
    return {f"{name}_0": "", f"{name}_1": "", f"{name}_2": ""}


def other_children_management(total: int = 3) -> dict[str, str]:
    data = {
        "child-TOTAL_FORMS": str(total),
        "child-INITIAL_FORMS": "0",
        "child-MIN_NUM_FORMS": "0",
        "child-MAX_NUM_FORMS": "8",
    }
    for i in range(total):
        data |= {f"child-{i}-first_name": "", f"child-{i}-last_name": ""}
        for name in ("date_of_birth", "plan_started_on", "plan_ended_on"):
            data |= empty_date(f"child-{i}-{name}")
    return data


def six_year_old_born() -> date:
    """A date of birth that makes the child 6 today (the referral date for a referrer)."""
    return timezone.localdate() - timedelta(days=6 * 365 + 100)


def referral_form(area: Area, **changes: str) -> dict[str, str]:
    """The whole referral form as a referrer posts it: an eligible 6-year-old."""
    today = timezone.localdate()
    data = {
        "area": str(area.pk),
        "other_area_name": "",
        "address_line_1": "12 Acacia Avenue",
        "address_line_2": "Flat 3",
        "town": "Sheffield",
        "postcode": "S1 2AB",
        "carer_first_name": "Jane",
        "carer_last_name": "Testperson",
        "carer_relationship": "mother",
        "carer_phone": "0114 496 0000",
        "carer_email": "jane@example.org",
        "first_name": "Kit",
        "last_name": "Testperson",
        **date_boxes("date_of_birth", six_year_old_born()),
        "ever_on_plan": "no",
        **empty_date("plan_started_on"),
        **empty_date("plan_ended_on"),
        "care_proceedings": "none",
        "assessment_kind": "eha",
        **date_boxes("assessment_completed_on", today - timedelta(days=30)),
        "shows_neglect_concerns": "yes",
        "reason": "Concerns about the child's care at home.\nHome visits tried.",
        **other_children_management(),
    }
    data.update(changes)
    return data


class FormValues(HTMLParser):
    """The values a page's form would post: inputs, checked radios, selected options, textareas."""

    def __init__(self) -> None:
        super().__init__()
        self.values: dict[str, str] = {}
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        name = a.get("name", "")
        if tag == "input" and name:
            if a.get("type") in ("radio", "checkbox"):
                if "checked" in a:
                    self.values[name] = a.get("value", "on")
            else:
                self.values[name] = a.get("value", "")
        elif tag == "select":
            self._select = name
        elif tag == "option" and self._select is not None and "selected" in a:
            self.values[self._select] = a.get("value", "")
        elif tag == "textarea":
            self._textarea = name
            self.values[name] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self.values[self._textarea] += data


def form_values(html: str) -> dict[str, str]:
    parser = FormValues()
    parser.feed(html)
    parser.close()
    values = parser.values
    for name, value in values.items():
        # Django's textarea starts with a newline, which browsers drop.
        if value.startswith("\n"):
            values[name] = value[1:]
    return values


def error_summary(html: str) -> str:
    match = re.search(r'<div class="govuk-error-summary".*?</ul>', html, re.S)
    assert match is not None, "no error summary on the page"
    return match.group(0)


def sheffield() -> Area:
    return Area.objects.get(name="Sheffield")


def test_referrer_sees_the_form_without_agency_fields(client: Client, rita: User) -> None:
    client.force_login(rita)
    response = client.get(CREATE)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="agency_type"' not in html
    assert 'name="received_on_0"' not in html
    assert 'name="date_of_birth_0"' in html
    assert 'name="child-TOTAL_FORMS"' in html
    assert 'value="other"' in html  # a referrer may refer a family outside the areas served
    assert "There is a problem" not in html


def test_referrer_happy_path_shows_the_decision(client: Client, rita: User) -> None:
    client.force_login(rita)
    response = client.post(CREATE, referral_form(sheffield()))

    referral = Referral.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("referrals:detail", args=[referral.public_id])
    assert referral.referred_by == rita
    assert referral.agency_type == "health_visitor"  # from rita's account
    assert referral.agency_name == "HV team"
    assert referral.received_on == timezone.localdate()
    assert referral.status == ReferralStatus.SCREENED
    assert referral.family.postcode == "S1 2AB"
    assert referral.family.address_line_2 == "Flat 3"
    assert Carer.objects.get().email == "jane@example.org"
    assert referral.referred_child.date_of_birth == six_year_old_born()
    assert EarlyHelpAssessment.objects.get().shows_neglect_concerns == "yes"
    assert Child.objects.count() == 1  # empty rows of other children are ignored
    decision = referral.current_decision
    assert decision is not None
    assert decision.outcome == Outcome.ELIGIBLE

    page = client.get(response["Location"])
    html = page.content.decode()
    assert page.status_code == 200
    assert "Referral received and screened." in html
    assert "Eligibility decision" in html
    assert html.count(' data-criterion="') == 6
    assert ">Eligible</strong>" in html
    assert html.count(">Met</strong>") == 6


def test_referrer_can_add_another_child(client: Client, rita: User) -> None:
    client.force_login(rita)
    data = referral_form(
        sheffield(),
        **{
            "child-0-first_name": "Sam",
            "child-0-last_name": "Testperson",
            **date_boxes("child-0-date_of_birth", date(2015, 5, 1)),
            "child-0-ever_on_plan": "no",
            "child-0-care_proceedings": "none",
        },
    )
    response = client.post(CREATE, data)
    assert response.status_code == 302
    assert sorted(Child.objects.values_list("first_name", flat=True)) == ["Kit", "Sam"]


def test_a_half_filled_other_child_is_named_and_kept(client: Client, rita: User) -> None:
    client.force_login(rita)
    data = referral_form(
        sheffield(),
        **{"child-1-first_name": "Sam", **date_boxes("child-1-date_of_birth", date(2015, 5, 1))},
    )
    response = client.post(CREATE, data)
    assert response.status_code == 200
    html = response.content.decode()
    summary = error_summary(html)
    assert "Enter the other child&#x27;s last name" in summary
    assert 'href="#id_child-1-last_name"' in summary
    assert "Say whether the other child has ever been on a child protection plan" in summary
    shown = form_values(html)
    assert {k: shown.get(k) for k in data if shown.get(k) != data[k]} == {}
    assert Family.objects.count() == 0


@pytest.mark.parametrize(
    ("changes", "message", "href"),
    [
        ({"postcode": ""}, "Enter the postcode", "#id_postcode"),
        (
            date_boxes("date_of_birth", date(2020, 2, 1)) | {"date_of_birth_0": "31"},
            "Child&#x27;s date of birth must be a real date",
            "#id_date_of_birth_0",
        ),
        (
            {"assessment_kind": "unocini"},
            "UNOCINI assessment (Northern Ireland) is not used in England",
            "#id_assessment_kind",
        ),
    ],
    ids=["missing-postcode", "impossible-date-of-birth", "unocini-in-sheffield"],
)
def test_invalid_input_keeps_every_value_typed(
    client: Client, rita: User, changes: dict[str, str], message: str, href: str
) -> None:
    client.force_login(rita)
    data = referral_form(sheffield(), **changes)
    response = client.post(CREATE, data)

    assert response.status_code == 200
    html = response.content.decode()
    summary = error_summary(html)
    assert "There is a problem" in summary
    assert message in summary
    assert f'href="{href}"' in summary
    assert "govuk-form-group--error" in html
    shown = form_values(html)
    lost = {k: (v, shown.get(k)) for k, v in data.items() if shown.get(k) != v}
    assert lost == {}, "values typed were lost when the page was shown again"
    assert Family.objects.count() == 0
    assert Referral.objects.count() == 0
    assert not AuditEvent.objects.filter(action=Action.REFERRAL_CREATED).exists()


def test_impossible_date_highlights_the_day_only(client: Client, rita: User) -> None:
    client.force_login(rita)
    data = referral_form(sheffield(), date_of_birth_0="31", date_of_birth_1="2")
    html = client.post(CREATE, data).content.decode()
    day = re.search(r'<input[^>]*id="id_date_of_birth_0"[^>]*>', html)
    month = re.search(r'<input[^>]*id="id_date_of_birth_1"[^>]*>', html)
    assert day is not None and "govuk-input--error" in day.group(0)
    assert month is not None and "govuk-input--error" not in month.group(0)


def test_every_missing_required_field_is_named(client: Client, rita: User) -> None:
    client.force_login(rita)
    data = dict.fromkeys(referral_form(sheffield()), "") | other_children_management()
    response = client.post(CREATE, data)
    assert response.status_code == 200
    summary = error_summary(response.content.decode())
    assert "This field is required" not in summary
    for message in (
        "Enter the address line 1",
        "Enter the town or city",
        "Enter the postcode",
        "Enter the parent or carer&#x27;s first name",
        "Choose the area the family lives in",
        "Enter the child&#x27;s first name",
        "Enter the reason for referral",
    ):
        assert message in summary
    assert Family.objects.count() == 0


def test_centre_manager_sees_agency_fields_and_only_their_area(client: Client, bob: User) -> None:
    client.force_login(bob)
    html = client.get(CREATE).content.decode()
    assert 'name="agency_type"' in html
    assert 'name="agency_name"' in html
    assert 'name="received_on_0"' in html
    area_select = re.search(r'<select[^>]*name="area".*?</select>', html, re.S)
    assert area_select is not None
    options = re.findall(r"<option[^>]*>([^<]*)</option>", area_select.group(0))
    assert options == ["Choose an area", "Sheffield"]


def test_centre_manager_records_a_referral_with_agency_and_date(client: Client, bob: User) -> None:
    client.force_login(bob)
    received = timezone.localdate() - timedelta(days=3)
    data = referral_form(
        sheffield(),
        agency_type="school",
        agency_name="Primary school",
        **date_boxes("received_on", received),
    )
    response = client.post(CREATE, data)
    assert response.status_code == 302
    referral = Referral.objects.get()
    assert referral.agency_type == "school"
    assert referral.agency_name == "Primary school"
    assert referral.received_on == received
    assert referral.referred_by == bob


def test_centre_manager_cannot_choose_another_area(client: Client, bob: User) -> None:
    client.force_login(bob)
    hull = Area.objects.get(name="Hull")
    data = referral_form(
        hull,
        agency_type="school",
        agency_name="Primary school",
        **date_boxes("received_on", timezone.localdate()),
    )
    response = client.post(CREATE, data)
    assert response.status_code == 200
    assert 'href="#id_area"' in error_summary(response.content.decode())
    assert Family.objects.count() == 0


def test_centre_manager_received_date_cannot_be_in_the_future(client: Client, bob: User) -> None:
    client.force_login(bob)
    data = referral_form(
        sheffield(),
        agency_type="school",
        **date_boxes("received_on", timezone.localdate() + timedelta(days=1)),
    )
    response = client.post(CREATE, data)
    assert response.status_code == 200
    summary = error_summary(response.content.decode())
    assert "Date the referral was received must be today or in the past" in summary
    assert Family.objects.count() == 0


def test_practitioner_cannot_open_the_form(client: Client, alice: User) -> None:
    client.force_login(alice)
    assert client.get(CREATE).status_code == 404
