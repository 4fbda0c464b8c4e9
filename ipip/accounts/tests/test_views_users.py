"""User management pages (administrators only): list, create, edit, reset the second factor."""

import re
from typing import TYPE_CHECKING

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.core import mail
from django.test import Client
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries, Settings

from ipip.accounts.actions import SELF_DEACTIVATION, SELF_DEMOTION
from ipip.accounts.models import Area, Role, User
from ipip.audit.events import Action
from ipip.audit.models import AuditEvent
from ipip.core.testing.personas import make_user

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as Response

pytestmark = pytest.mark.django_db

USERS = reverse("accounts:users")
CREATE = reverse("accounts:create-user")
NON_ADMINS = ("alice", "bob", "charlie", "dave", "lena", "erin", "rita", "ross")
# Session, user, second-factor check, the areas of the filter, count, one page of users with
# their area and second-factor flag (one query): the same for 3 users or 20.
USER_LIST_QUERIES = 6
EDIT_LINK = re.compile(r'href="/settings/users/([0-9a-f-]{36})/"')


def edit_url(user: User) -> str:
    return reverse("accounts:edit-user", args=[user.public_id])


def reset_mfa_url(user: User) -> str:
    return reverse("accounts:reset-user-mfa", args=[user.public_id])


def text(response: "Response") -> str:
    return response.content.decode()


def area_id(name: str) -> str:
    return str(Area.objects.get(name=name).public_id)


def new_user_post(**overrides: str) -> dict[str, str]:
    data = {
        "email": "pat.new@example.org",
        "first_name": "Pat",
        "last_name": "Newton",
        "role": "practitioner",
        "area": area_id("Sheffield"),
        "agency_type": "",
        "agency_name": "",
    }
    data.update(overrides)
    return data


def edit_post(user: User, **overrides: str) -> dict[str, str]:
    data = {
        "first_name": user.first_name,
        "last_name": user.last_name,
        "role": user.role,
        "area": str(user.area.public_id) if user.area else "",
        "agency_type": user.agency_type,
        "agency_name": user.agency_name,
        "is_active": "on" if user.is_active else "",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if not (k == "is_active" and v == "")}


def errors_of(response: "Response") -> dict[str, list[str]]:
    form = response.context["form"]
    return {field: [str(e) for e in errors] for field, errors in form.errors.items()}


# ---------------------------------------------------------------------------------------
# Outsiders
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", NON_ADMINS)
def test_only_administrators_reach_any_user_page(
    client: Client, persona: str, adam: User, alice: User, request: pytest.FixtureRequest
) -> None:
    client.force_login(request.getfixturevalue(persona))
    before = AuditEvent.objects.count()
    assert client.get(USERS).status_code == 404
    assert client.get(CREATE).status_code == 404
    assert client.post(CREATE, new_user_post()).status_code == 404
    assert client.get(edit_url(adam)).status_code == 404
    assert client.post(edit_url(alice), edit_post(alice, last_name="Hacked")).status_code == 404
    assert client.post(reset_mfa_url(alice)).status_code == 404
    assert not User.objects.filter(email="pat.new@example.org").exists()
    alice.refresh_from_db()
    assert alice.last_name == "Example"
    assert Authenticator.objects.filter(user=alice).exists()
    assert AuditEvent.objects.count() == before


def test_unknown_user_is_404(client: Client, adam: User) -> None:
    client.force_login(adam)
    url = reverse("accounts:edit-user", args=["00000000-0000-4000-8000-000000000000"])
    assert client.get(url).status_code == 404


def test_signed_out_is_sent_to_sign_in(client: Client, alice: User) -> None:
    for url in (USERS, CREATE, edit_url(alice)):
        response = client.get(url)
        assert response.status_code == 302
        assert reverse("account_login") in response["Location"]


# ---------------------------------------------------------------------------------------
# The list
# ---------------------------------------------------------------------------------------


def test_list_shows_everyone_by_last_name(client: Client, adam: User, alice: User) -> None:
    zed = make_user("zed@example.org", Role.EVALUATOR, with_totp=False)
    zed.last_name = "Aardvark"
    zed.save(update_fields=["last_name"])
    gone = make_user("gone@example.org", Role.REFERRER, agency_type="school", agency_name="Oak")
    gone.is_active = False
    gone.save(update_fields=["is_active"])
    client.force_login(adam)

    response = client.get(USERS)

    assert response.status_code == 200
    page = text(response)
    assert EDIT_LINK.findall(page)[0] == str(zed.public_id)  # Aardvark before Example
    assert {str(u.public_id) for u in (adam, alice, zed, gone)} == set(EDIT_LINK.findall(page))
    assert "alice@example.org" in page
    assert "Sheffield" in page
    assert "Oak (School)" in page
    assert "Deactivated" in page
    rows = {u.email: u for u in response.context["page_obj"].object_list}
    assert rows["alice@example.org"].has_totp
    assert not rows["zed@example.org"].has_totp


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?role=practitioner", {"alice", "charlie"}),
        ("?area={sheffield}", {"alice", "bob"}),
        ("?active=no", {"gone"}),
        ("?active=yes&role=administrator", {"adam"}),
        ("?role=nonsense", {"adam", "alice", "bob", "charlie", "gone"}),  # ignored
    ],
)
def test_list_filters(
    client: Client,
    adam: User,
    alice: User,
    bob: User,
    charlie: User,
    query: str,
    expected: set[str],
) -> None:
    gone = make_user("gone@example.org", Role.EVALUATOR)
    gone.is_active = False
    gone.save(update_fields=["is_active"])
    client.force_login(adam)

    response = client.get(USERS + query.format(sheffield=area_id("Sheffield")))

    shown = {u.email.split("@")[0] for u in response.context["page_obj"].object_list}
    assert shown == expected


def test_list_is_paginated(client: Client, adam: User, settings: Settings) -> None:
    settings.IPIP_PAGE_SIZE = 2
    for i in range(4):
        make_user(f"u{i}@example.org", Role.EVALUATOR, with_totp=False)
    client.force_login(adam)
    first = client.get(USERS + "?role=evaluator")
    assert len(EDIT_LINK.findall(text(first))) == 2
    assert "role=evaluator&amp;page=2" in text(first)
    second = client.get(USERS + "?role=evaluator&page=2")
    assert not set(EDIT_LINK.findall(text(first))) & set(EDIT_LINK.findall(text(second)))


@pytest.mark.parametrize("count", [3, 20])
def test_list_query_count_does_not_grow_with_users(
    client: Client, adam: User, count: int, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    for i in range(count):
        area = ("Sheffield", "Hull", None)[i % 3]
        role = Role.PRACTITIONER if area else Role.EVALUATOR
        make_user(f"user{i}@example.org", role, area, with_totp=bool(i % 2))
    client.force_login(adam)
    with django_assert_num_queries(USER_LIST_QUERIES):
        response = client.get(USERS)
    assert response.status_code == 200
    assert len(EDIT_LINK.findall(text(response))) == count + 1


# ---------------------------------------------------------------------------------------
# Creating an account
# ---------------------------------------------------------------------------------------


def test_create_user_then_shows_the_next_step(client: Client, adam: User) -> None:
    client.force_login(adam)
    page = client.get(CREATE)
    assert page.status_code == 200
    assert 'name="email"' in text(page)

    response = client.post(CREATE, new_user_post())

    user = User.objects.get(email="pat.new@example.org")
    assert response.status_code == 302
    assert response["Location"] == edit_url(user)
    assert user.role == Role.PRACTITIONER
    assert user.area == Area.objects.get(name="Sheffield")
    assert not user.has_usable_password()
    event = AuditEvent.objects.get(action=Action.USER_CREATED)
    assert event.actor == adam
    assert event.data == {"user_id": user.pk, "role": "practitioner", "area_id": user.area_id}
    assert mail.outbox == []  # nothing is emailed when an account is made

    next_page = text(client.get(response["Location"]))
    assert "Account created for Pat Newton." in next_page
    assert "ipip has not emailed" in next_page
    assert "http://testserver" + reverse("account_reset_password") in next_page
    assert "set up an authenticator app" in next_page


def test_the_next_step_works_password_reset_reaches_the_new_user(
    client: Client, adam: User
) -> None:
    client.force_login(adam)
    client.post(CREATE, new_user_post())
    client.logout()

    client.post(reverse("account_reset_password"), {"email": "pat.new@example.org"})

    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["pat.new@example.org"]


def test_create_referrer(client: Client, adam: User) -> None:
    client.force_login(adam)
    data = new_user_post(role="referrer", area="", agency_type="school", agency_name="Oak School")
    response = client.post(CREATE, data)
    assert response.status_code == 302
    user = User.objects.get(email="pat.new@example.org")
    assert (user.role, user.agency_type, user.agency_name) == ("referrer", "school", "Oak School")


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"email": ""}, "email", "Enter their email address"),
        ({"email": "not-an-email"}, "email", "Enter an email address in the correct format"),
        ({"email": "ALICE@Example.org"}, "email", "There is already an account with this email"),
        ({"first_name": ""}, "first_name", "Enter their first name"),
        ({"last_name": ""}, "last_name", "Enter their last name"),
        ({"role": ""}, "role", "Choose a role"),
        ({"area": ""}, "area", "Choose the area"),
        ({"role": "evaluator"}, "area", "Leave the area empty"),
        ({"role": "centre_manager", "area": ""}, "area", "Choose the area"),
        (
            {"role": "referrer", "area": "", "agency_name": "Oak"},
            "agency_type",
            "Choose the agency type",
        ),
        (
            {"role": "referrer", "area": "", "agency_type": "school"},
            "agency_name",
            "Enter the agency name",
        ),
        ({"agency_type": "school"}, "agency_type", "Leave the agency type empty"),
        ({"agency_name": "Oak"}, "agency_name", "Leave the agency name empty"),
        ({"area": "00000000-0000-4000-8000-000000000000"}, "area", "Choose one of the areas"),
    ],
)
def test_create_errors_name_the_field_and_keep_what_was_typed(
    client: Client, adam: User, alice: User, overrides: dict[str, str], field: str, message: str
) -> None:
    client.force_login(adam)
    data = new_user_post(**overrides)
    users_before = User.objects.count()

    response = client.post(CREATE, data)

    assert response.status_code == 200
    errors = errors_of(response)
    assert list(errors) == [field]
    assert errors[field][0].startswith(message)
    page = text(response)
    assert "govuk-error-summary" in page
    assert "<title>Error: " in page
    # Nothing typed is lost: every text box and choice comes back as it was posted.
    for name in ("email", "first_name", "last_name", "agency_name"):
        assert f'name="{name}" value="{data[name]}"' in page or not data[name]
    if data["role"]:
        assert f'value="{data["role"]}" checked' in page
    if data["agency_type"]:
        assert f'value="{data["agency_type"]}" selected' in page
    if data["area"] and Area.objects.filter(public_id=data["area"]).exists():
        assert f'value="{data["area"]}" selected' in page
    assert User.objects.count() == users_before
    assert not AuditEvent.objects.filter(action=Action.USER_CREATED).exists()


def test_create_shows_every_error_at_once(client: Client, adam: User) -> None:
    client.force_login(adam)
    response = client.post(CREATE, new_user_post(first_name="", role="referrer", agency_name=""))
    assert set(errors_of(response)) == {"first_name", "area", "agency_type", "agency_name"}


# ---------------------------------------------------------------------------------------
# Changing an account
# ---------------------------------------------------------------------------------------


def test_edit_page_shows_the_account(client: Client, adam: User, alice: User) -> None:
    client.force_login(adam)
    response = client.get(edit_url(alice))
    assert response.status_code == 200
    page = text(response)
    assert "alice@example.org" in page
    assert response.context["form"]["role"].value() == "practitioner"
    assert response.context["has_totp"] is True
    assert response.context["password_set"] is True
    assert "What happens next" not in page  # she has a password already


def test_edit_user(client: Client, adam: User, alice: User) -> None:
    client.force_login(adam)
    data = edit_post(alice, role="centre_manager", area=area_id("Hull"))

    response = client.post(edit_url(alice), data)

    assert response.status_code == 302
    assert response["Location"] == edit_url(alice)
    alice.refresh_from_db()
    assert (alice.role, alice.area) == ("centre_manager", Area.objects.get(name="Hull"))
    event = AuditEvent.objects.get(action=Action.USER_CHANGED)
    assert event.actor == adam
    assert event.data == {"user_id": alice.pk, "fields": ["role", "area"]}
    assert "Changes saved" in text(client.get(edit_url(alice)))


def test_deactivate_user(client: Client, adam: User, alice: User) -> None:
    client.force_login(adam)
    response = client.post(edit_url(alice), edit_post(alice, is_active=""))
    assert response.status_code == 302
    alice.refresh_from_db()
    assert not alice.is_active
    assert User.objects.filter(pk=alice.pk).exists()
    assert AuditEvent.objects.get(action=Action.USER_CHANGED).data["fields"] == ["is_active"]
    # A deactivated account's session no longer counts as signed in.
    other = Client()
    other.force_login(alice)
    assert other.get(reverse("core:home")).status_code == 302


def test_edit_errors_name_the_field_and_keep_what_was_typed(
    client: Client, adam: User, alice: User
) -> None:
    client.force_login(adam)
    response = client.post(edit_url(alice), edit_post(alice, role="evaluator", last_name="Typed"))
    assert response.status_code == 200
    assert list(errors_of(response)) == ["area"]
    assert 'value="Typed"' in text(response)
    alice.refresh_from_db()
    assert alice.role == "practitioner"
    assert not AuditEvent.objects.filter(action=Action.USER_CHANGED).exists()


def test_administrator_cannot_deactivate_themselves(client: Client, adam: User) -> None:
    make_user("ada@example.org", Role.ADMINISTRATOR)
    client.force_login(adam)
    response = client.post(edit_url(adam), edit_post(adam, is_active=""))
    assert response.status_code == 200
    assert errors_of(response) == {"is_active": [SELF_DEACTIVATION]}
    assert SELF_DEACTIVATION in text(response)
    adam.refresh_from_db()
    assert adam.is_active


def test_administrator_cannot_demote_themselves(client: Client, adam: User) -> None:
    client.force_login(adam)
    response = client.post(edit_url(adam), edit_post(adam, role="evaluator"))
    assert errors_of(response) == {"role": [SELF_DEMOTION]}


# ---------------------------------------------------------------------------------------
# Resetting the second factor
# ---------------------------------------------------------------------------------------


def test_reset_mfa(client: Client, adam: User, alice: User) -> None:
    RecoveryCodes.activate(alice)
    client.force_login(adam)

    response = client.post(reset_mfa_url(alice))

    assert response.status_code == 302
    assert response["Location"] == edit_url(alice)
    assert not Authenticator.objects.filter(user=alice).exists()
    event = AuditEvent.objects.get(action=Action.USER_MFA_RESET)
    assert event.actor == adam
    assert event.data == {"user_id": alice.pk, "removed": ["recovery_codes", "totp"]}
    page = text(client.get(edit_url(alice)))
    assert "Second factor removed" in page
    assert "Not set up" in page


def test_reset_mfa_with_nothing_to_remove(client: Client, adam: User) -> None:
    newbie = make_user("newbie@example.org", Role.EVALUATOR, with_totp=False)
    client.force_login(adam)
    response = client.post(reset_mfa_url(newbie), follow=True)
    assert "had no second factor to remove" in text(response)


def test_reset_mfa_is_post_only(client: Client, adam: User, alice: User) -> None:
    client.force_login(adam)
    assert client.get(reset_mfa_url(alice)).status_code == 405
    assert Authenticator.objects.filter(user=alice).exists()
