"""The GOV.UK form tags, the date field and the display filters. No database needed."""

import re
from datetime import UTC, date, datetime
from typing import Any

import pytest
import time_machine
from django import forms
from django.core.paginator import Paginator
from django.template import Context, Template
from django.test import RequestFactory

from ipip.core.forms import GovukDateField, GovukForm
from ipip.core.templatetags.govuk import error_items, govuk_tag_colour, long_date


def render(source: str, **context: Any) -> str:
    return Template("{% load govuk %}" + source).render(Context(context))


def squash(html: str) -> str:
    return re.sub(r"\s+", " ", html)


class PersonForm(GovukForm):
    name = forms.CharField(label="Full name", help_text="As on their passport")
    email = forms.EmailField(label="Email address", required=False)
    notes = forms.CharField(label="Notes", widget=forms.Textarea, required=False)
    colour = forms.ChoiceField(
        label="Colour", choices=[("", "Choose"), ("red", "Red"), ("blue", "Blue")], required=False
    )
    contact = forms.ChoiceField(
        label="How should we contact them?",
        choices=[("email", "Email"), ("phone", "Phone")],
        widget=forms.RadioSelect,
    )
    agree = forms.BooleanField(label="I agree", required=False)
    days = forms.MultipleChoiceField(
        label="Which days?",
        choices=[("mon", "Monday"), ("tue", "Tuesday"), ("wed", "Wednesday")],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    token = forms.CharField(widget=forms.HiddenInput, required=False)
    date_of_birth = GovukDateField(label="Date of birth")
    plan_ended_on = GovukDateField(label="Plan end date", required=False)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("name") == "Refused":
            raise forms.ValidationError("This person cannot be added")
        return cleaned


VALID: dict[str, Any] = {
    "name": "Sam Smith",
    "contact": "email",
    "date_of_birth_0": "12",
    "date_of_birth_1": "3",
    "date_of_birth_2": "2020",
}


def bound(**changes: Any) -> PersonForm:
    data = {**VALID, **changes}
    for key in [k for k, v in data.items() if v is None]:
        del data[key]
    form = PersonForm(data)
    form.is_valid()
    return form


# --- text inputs -------------------------------------------------------------------------


def test_text_input_has_label_hint_and_no_error_when_valid() -> None:
    form = bound()
    html = render("{% govuk_field form.name %}", form=form)
    assert '<label class="govuk-label" for="id_name">Full name</label>' in html
    assert '<div id="id_name-hint" class="govuk-hint">As on their passport</div>' in html
    assert 'class="govuk-input"' in html
    assert 'aria-describedby="id_name-hint"' in html
    assert 'value="Sam Smith"' in html
    assert "govuk-form-group--error" not in html
    assert "required" not in html  # GovukForm: no browser validation


def test_text_input_error_keeps_value_and_links_describedby() -> None:
    form = bound(email="not an email")
    html = squash(render("{% govuk_field form.email %}", form=form))
    assert "govuk-form-group govuk-form-group--error" in html
    assert 'class="govuk-input govuk-input--error"' in html
    assert 'id="id_email"' in html
    assert 'value="not an email"' in html  # nothing typed is lost
    assert 'aria-describedby="id_email-error"' in html
    assert (
        '<p id="id_email-error" class="govuk-error-message">'
        '<span class="govuk-visually-hidden">Error:</span> Enter a valid email address.</p>'
    ) in html


def test_placeholder_is_dropped_and_extra_classes_added() -> None:
    class F(forms.Form):
        code = forms.CharField(
            widget=forms.TextInput(attrs={"placeholder": "Code", "autocomplete": "one-time-code"})
        )

    html = render(
        '{% govuk_field form.code classes="govuk-input--width-10" label="Security code" %}',
        form=F(),
    )
    assert "placeholder" not in html
    assert 'autocomplete="one-time-code"' in html
    assert 'class="govuk-input govuk-input--width-10"' in html
    assert ">Security code</label>" in html


def test_label_size_and_page_heading() -> None:
    html = squash(
        render('{% govuk_field form.name label_size="l" page_heading=True %}', form=PersonForm())
    )
    assert (
        '<h1 class="govuk-label-wrapper"> <label class="govuk-label govuk-label--l" for="id_name">'
        in html
    )


def test_bad_label_size_is_an_error() -> None:
    with pytest.raises(Exception, match="label_size"):
        render('{% govuk_field form.name label_size="huge" %}', form=PersonForm())


def test_textarea_and_select() -> None:
    form = bound(notes="Some notes", colour="purple")
    textarea = render("{% govuk_field form.notes %}", form=form)
    assert 'class="govuk-textarea"' in textarea
    assert ">\nSome notes</textarea>" in textarea
    select = render("{% govuk_field form.colour %}", form=form)
    assert 'class="govuk-select govuk-select--error"' in select
    kept = render("{% govuk_field form.colour %}", form=bound(colour="blue"))
    assert '<option value="blue" selected>Blue</option>' in kept


def test_hidden_input_is_just_the_input() -> None:
    html = render("{% govuk_field form.token %}", form=bound(token="abc"))
    assert html == '<input type="hidden" name="token" value="abc" id="id_token">'


# --- radios and checkboxes -----------------------------------------------------------------


def test_radios_fieldset_legend_ids_and_checked_value() -> None:
    form = bound(contact="phone")
    html = squash(render("{% govuk_field form.contact %}", form=form))
    assert '<legend class="govuk-fieldset__legend">How should we contact them?</legend>' in html
    assert '<div class="govuk-radios" data-module="govuk-radios">' in html
    assert (
        '<input class="govuk-radios__input" id="id_contact_0" name="contact" type="radio" value="email">'
        in html
    )
    assert 'id="id_contact_1" name="contact" type="radio" value="phone" checked>' in html
    assert (
        '<label class="govuk-label govuk-radios__label" for="id_contact_1">Phone</label>' in html
    )


def test_radios_error_and_inline() -> None:
    class F(forms.Form):
        answer = forms.ChoiceField(
            label="Met?",
            choices=[("", "---------"), ("yes", "Yes"), ("no", "No")],
            widget=forms.RadioSelect(attrs={"inline": True}),
        )

    form = F({})
    assert not form.is_valid()
    html = squash(render("{% govuk_field form.answer %}", form=form))
    assert 'class="govuk-radios govuk-radios--inline"' in html
    assert "---------" not in html  # the blank choice is not a radio
    assert 'aria-describedby="id_answer-error"' in html
    assert "Error:</span> This field is required." in html
    assert 'inline="' not in html and " inline>" not in html
    # The error summary links to the first radio shown.
    assert error_items(form) == [{"text": "This field is required.", "href": "#id_answer_1"}]


def test_single_checkbox_keeps_ticked_state() -> None:
    html = squash(render("{% govuk_field form.agree %}", form=bound(agree="on")))
    assert '<div class="govuk-checkboxes" data-module="govuk-checkboxes">' in html
    assert 'class="govuk-checkboxes__input"' in html
    assert "checked" in html
    assert (
        '<label class="govuk-label govuk-checkboxes__label" for="id_agree">I agree</label>' in html
    )
    assert "checked" not in render("{% govuk_field form.agree %}", form=bound())


def test_checkboxes_keep_ticked_values() -> None:
    form = PersonForm({**VALID, "days": ["mon", "wed"]})
    form.is_valid()
    html = squash(render("{% govuk_field form.days %}", form=form))
    assert '<div class="govuk-checkboxes" data-module="govuk-checkboxes">' in html
    assert 'id="id_days_0" name="days" type="checkbox" value="mon" checked>' in html
    assert 'id="id_days_1" name="days" type="checkbox" value="tue">' in html
    assert 'id="id_days_2" name="days" type="checkbox" value="wed" checked>' in html


# --- the date field ------------------------------------------------------------------------


def clean_date(day: str, month: str, year: str, **kwargs: Any) -> date | None:
    field = GovukDateField(label="Date of birth", **kwargs)
    return field.clean([day, month, year])


def date_error(day: str, month: str, year: str, **kwargs: Any) -> tuple[str, tuple[str, ...]]:
    field = GovukDateField(label="Date of birth", **kwargs)
    with pytest.raises(forms.ValidationError) as caught:
        field.clean([day, month, year])
    error = caught.value.error_list[0]
    assert error.params is not None
    return caught.value.messages[0], tuple(error.params["parts"])


def test_date_valid() -> None:
    assert clean_date("12", "3", "2026") == date(2026, 3, 12)
    assert clean_date(" 01 ", "03", "2026") == date(2026, 3, 1)
    assert clean_date("12", "March", "2026") == date(2026, 3, 12)
    assert clean_date("12", "mar", "2026") == date(2026, 3, 12)


def test_date_empty() -> None:
    assert clean_date("", "", "", required=False) is None
    assert date_error("", "", "") == ("Enter the date of birth", ("day", "month", "year"))
    field = GovukDateField(label="Child's date of birth")
    with pytest.raises(forms.ValidationError, match="Enter the child's date of birth"):
        field.clean(["", "", ""])


@pytest.mark.parametrize(
    ("parts", "message", "highlight"),
    [
        (("12", "", "2026"), "Date of birth must include a month", ("month",)),
        (("", "3", "2026"), "Date of birth must include a day", ("day",)),
        (("12", "3", ""), "Date of birth must include a year", ("year",)),
        (("", "", "2026"), "Date of birth must include a day and month", ("day", "month")),
        (("12", "", ""), "Date of birth must include a month and year", ("month", "year")),
    ],
)
def test_date_partial(
    parts: tuple[str, str, str], message: str, highlight: tuple[str, ...]
) -> None:
    assert date_error(*parts) == (message, highlight)
    # Optional fields still insist on a whole date once something is typed.
    assert date_error(*parts, required=False) == (message, highlight)


@pytest.mark.parametrize(
    ("parts", "highlight"),
    [
        (("31", "2", "2026"), ("day",)),
        (("12", "13", "2026"), ("month",)),
        (("x", "3", "2026"), ("day",)),
        (("12", "Marchember", "2026"), ("month",)),
        (("12", "3", "20a6"), ("year",)),
        (("12", "3", "0000"), ("year",)),
    ],
)
def test_date_not_real(parts: tuple[str, str, str], highlight: tuple[str, ...]) -> None:
    assert date_error(*parts) == ("Date of birth must be a real date", highlight)


def test_date_year_must_have_four_digits() -> None:
    assert date_error("12", "3", "26") == ("Year must include 4 numbers", ("year",))


@time_machine.travel(datetime(2026, 3, 12, 12, 0, tzinfo=UTC), tick=False)
def test_date_past_only_and_limits() -> None:
    assert clean_date("12", "3", "2026", past_only=True) == date(2026, 3, 12)
    assert date_error("13", "3", "2026", past_only=True)[0] == (
        "Date of birth must be today or in the past"
    )
    assert date_error("1", "1", "1999", min_value=date(2000, 1, 1))[0] == (
        "Date of birth must be the same as or after 1 January 2000"
    )
    assert date_error("2", "1", "2000", max_value=date(2000, 1, 1))[0] == (
        "Date of birth must be the same as or before 1 January 2000"
    )


def test_date_custom_messages_and_percent_in_label() -> None:
    field = GovukDateField(label="100% date", error_messages={"required": "Tell us when"})
    with pytest.raises(forms.ValidationError, match="Tell us when"):
        field.clean(["", "", ""])
    with pytest.raises(forms.ValidationError, match="100% date must be a real date"):
        field.clean(["40", "1", "2020"])


def test_date_in_a_form_cleans_to_a_date() -> None:
    form = bound()
    assert form.is_valid(), form.errors
    assert form.cleaned_data["date_of_birth"] == date(2020, 3, 12)
    assert form.cleaned_data["plan_ended_on"] is None


def test_date_renders_initial_value_from_a_date() -> None:
    form = PersonForm(initial={"date_of_birth": date(2019, 7, 4)})
    html = render("{% govuk_field form.date_of_birth %}", form=form)
    assert (
        'name="date_of_birth_0" type="text" inputmode="numeric" autocomplete="off" value="4"'
        in html
    )
    assert (
        'name="date_of_birth_1" type="text" inputmode="numeric" autocomplete="off" value="7"'
        in html
    )
    assert (
        'name="date_of_birth_2" type="text" inputmode="numeric" autocomplete="off" value="2019"'
        in html
    )


def test_date_error_keeps_typed_values_and_highlights_the_missing_box() -> None:
    form = bound(date_of_birth_0="12", date_of_birth_1="", date_of_birth_2="2020")
    assert not form.is_valid()
    html = squash(render("{% govuk_field form.date_of_birth %}", form=form))
    assert "govuk-form-group govuk-form-group--error" in html
    assert (
        '<fieldset class="govuk-fieldset" role="group" aria-describedby="id_date_of_birth-error">'
        in html
    )
    assert '<legend class="govuk-fieldset__legend">Date of birth</legend>' in html
    assert "Error:</span> Date of birth must include a month</p>" in html
    assert '<div class="govuk-date-input" id="id_date_of_birth">' in html
    day = re.search(r'<input [^>]*id="id_date_of_birth_0"[^>]*>', html)
    month = re.search(r'<input [^>]*id="id_date_of_birth_1"[^>]*>', html)
    year = re.search(r'<input [^>]*id="id_date_of_birth_2"[^>]*>', html)
    assert day and month and year
    assert 'value="12"' in day.group() and "govuk-input--error" not in day.group()
    assert 'value=""' in month.group() and "govuk-input--error" in month.group()
    assert 'value="2020"' in year.group() and "govuk-input--width-4" in year.group()
    assert (
        '<label class="govuk-label govuk-date-input__label" for="id_date_of_birth_1">Month</label>'
        in html
    )
    # The summary links to the day box.
    assert {"text": "Date of birth must include a month", "href": "#id_date_of_birth_0"} in (
        error_items(form)
    )


def test_date_error_from_elsewhere_highlights_all_boxes() -> None:
    form = bound()
    form.is_valid()
    form.add_error("date_of_birth", "Date of birth must be after the referral")
    html = render("{% govuk_field form.date_of_birth %}", form=form)
    assert html.count("govuk-input--error") == 3


# --- error summary -------------------------------------------------------------------------


def test_error_summary_lists_non_field_and_field_errors_in_order() -> None:
    form = bound(name="Refused", email="bad", contact=None, date_of_birth_2="")
    html = squash(render("{% govuk_error_summary form %}", form=form))
    assert (
        '<div class="govuk-error-summary" data-module="govuk-error-summary"> <div role="alert">'
        in html
    )
    assert '<h2 class="govuk-error-summary__title">There is a problem</h2>' in html
    items = re.findall(r"<li>(.*?)</li>", html)
    assert items == [
        "This person cannot be added",
        '<a href="#id_email">Enter a valid email address.</a>',
        '<a href="#id_contact_0">This field is required.</a>',
        '<a href="#id_date_of_birth_0">Date of birth must include a year</a>',
    ]


def test_error_summary_empty_for_valid_or_unbound_forms() -> None:
    assert render("{% govuk_error_summary form %}", form=bound()) == ""
    assert render("{% govuk_error_summary form %}", form=PersonForm()) == ""
    assert render("{% govuk_error_prefix form %}", form=bound()) == ""
    assert render("{% govuk_error_prefix form %}", form=bound(email="x")) == "Error: "


def test_error_summary_formsets_and_lists() -> None:
    class ChildForm(forms.Form):
        age = forms.IntegerField(label="Age")

    child_formset = forms.formset_factory(ChildForm, extra=0, min_num=1, validate_min=True)
    data = {
        "children-TOTAL_FORMS": "2",
        "children-INITIAL_FORMS": "0",
        "children-MIN_NUM_FORMS": "1",
        "children-MAX_NUM_FORMS": "1000",
        "children-0-age": "3",
        "children-1-age": "three",
    }
    formset = child_formset(data, prefix="children")
    assert not formset.is_valid()
    items = error_items([bound(email="bad"), formset])
    assert items == [
        {"text": "Enter a valid email address.", "href": "#id_email"},
        {"text": "Enter a whole number.", "href": "#id_children-1-age"},
    ]
    html = render('{% govuk_error_summary forms title="Check the children" %}', forms=[formset])
    assert "Check the children" in html
    assert '<a href="#id_children-1-age">Enter a whole number.</a>' in html


def test_error_summary_hidden_field_errors_have_no_link() -> None:
    class F(forms.Form):
        version = forms.IntegerField(widget=forms.HiddenInput)

    assert error_items(F({"version": "x"})) == [{"text": "Enter a whole number.", "href": ""}]


# --- filters and pagination ----------------------------------------------------------------


def test_long_date() -> None:
    assert long_date(date(2026, 3, 12)) == "12 March 2026"
    assert long_date(None) == ""
    # An aware datetime shows its date in London: 23:30 UTC on 30 June is 1 July.
    assert long_date(datetime(2026, 6, 30, 23, 30, tzinfo=UTC)) == "1 July 2026"
    assert render("{{ d|long_date }}", d=date(2026, 1, 5)) == "5 January 2026"


@pytest.mark.parametrize(
    ("code", "colour"),
    [
        ("eligible", "govuk-tag--green"),
        ("not_eligible", "govuk-tag--red"),
        ("needs_information", "govuk-tag--yellow"),
        ("met", "govuk-tag--green"),
        ("not_met", "govuk-tag--red"),
        ("unknown", "govuk-tag--yellow"),
        ("received", "govuk-tag--blue"),
        ("screened", "govuk-tag--light-blue"),
        ("accepted", "govuk-tag--green"),
        ("declined", "govuk-tag--grey"),
        ("allocated", "govuk-tag--turquoise"),
        ("active", "govuk-tag--green"),
        ("closed", "govuk-tag--grey"),
        ("something_else", ""),
        (None, ""),
    ],
)
def test_govuk_tag_colour(code: str | None, colour: str) -> None:
    assert govuk_tag_colour(code) == colour


def test_pagination_include() -> None:
    page = Paginator(list(range(100)), 10).page(5)
    html = squash(
        render(
            '{% include "includes/_pagination.html" with page_obj=page base_query=q %}',
            page=page,
            q="status=received&area=3",
        )
    )
    assert '<nav class="govuk-pagination" aria-label="Pagination">' in html
    assert 'href="?status=received&amp;area=3&amp;page=4" rel="prev"' in html
    assert 'href="?status=received&amp;area=3&amp;page=6" rel="next"' in html
    assert 'aria-label="Page 5" aria-current="page">5</a>' in html
    assert html.count("govuk-pagination__item--ellipsis") == 2
    assert 'aria-label="Page 10">10</a>' in html
    first = squash(
        render(
            '{% include "includes/_pagination.html" with page_obj=page %}',
            page=Paginator(list(range(30)), 10).page(1),
        )
    )
    assert 'rel="prev"' not in first
    assert 'href="?page=2" rel="next"' in first
    single = render(
        '{% include "includes/_pagination.html" with page_obj=page %}',
        page=Paginator([1], 10).page(1),
    )
    assert single.strip() == ""


# --- the page template ---------------------------------------------------------------------


class FakeUser:
    """Enough of accounts.User for the page template, without the database."""

    is_authenticated = True
    display_name = "Pat Practitioner"
    area = None
    agency_name = ""

    def __init__(self, role: str) -> None:
        self.role = role
        self.is_referrer = role == "referrer"
        self.is_practitioner = role == "practitioner"
        self.is_evaluator = role == "evaluator"
        self.is_national_lead = role == "national_lead"
        self.manages_referrals = role in ("centre_manager", "national_lead")

    def get_role_display(self) -> str:
        return self.role.replace("_", " ").capitalize()


def render_home(role: str, *, demo: bool = False) -> str:
    from django.template.loader import render_to_string

    request = RequestFactory().get("/")
    user = FakeUser(role)
    request.user = user  # type: ignore[assignment]
    return render_to_string("core/home.html", {"user": user, "IPIP_DEMO": demo}, request=request)


@pytest.mark.parametrize(
    ("role", "shown", "hidden"),
    [
        ("referrer", ["My referrals", "New referral"], ["Cases"]),
        ("practitioner", ["Cases"], ["Referrals", "New referral"]),
        ("centre_manager", ["Referrals", "New referral", "Cases"], ["My referrals"]),
        ("evaluator", ["Cases"], ["Referrals", "New referral"]),
        ("administrator", [], ["Referrals", "New referral", "Cases"]),
    ],
)
def test_navigation_depends_on_role(role: str, shown: list[str], hidden: list[str]) -> None:
    html = render_home(role)
    nav = html[html.index('<ul class="govuk-service-navigation__list"') : html.index("</nav>")]
    for text in ["Home", *shown]:
        assert f">{text}<" in nav
    for text in hidden:
        assert f">{text}<" not in nav
    assert "Welcome, Pat Practitioner" in html
    assert 'action="/accounts/logout/"' in html and "csrfmiddlewaretoken" in html


def test_page_template_has_no_inline_script_and_shows_demo_banner() -> None:
    html = render_home("practitioner", demo=True)
    assert '<html lang="en-GB" class="govuk-template">' in html
    assert '<a href="#main-content" class="govuk-skip-link"' in html
    assert "Demo: fake data only" in html
    assert "Fake data only in the demo" in html
    scripts = re.findall(r"<script[^>]*>", html)
    assert scripts == [
        '<script src="/static/dist/htmx.min.js" defer>',
        '<script type="module" src="/static/js/init.js">',
    ]
    assert "<style" not in html and "GDS Transport" not in html
    assert "Demo: fake data only" not in render_home("practitioner")
