"""`manage.py create_user`: the first administrator, and anyone else from the command line."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from ipip.accounts.models import Area, Role, User
from ipip.audit.events import Action
from ipip.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command("create_user", *args, stdout=out)
    return out.getvalue()


def test_first_administrator(db: None) -> None:
    output = run(
        "admin@example.org", "--role", "administrator", "--first-name", "Ada", "--last-name", "Min"
    )

    user = User.objects.get(email="admin@example.org")
    assert user.role == Role.ADMINISTRATOR
    assert (user.first_name, user.last_name) == ("Ada", "Min")
    assert not user.has_usable_password()
    assert "/accounts/password/reset/" in output
    assert "authenticator app" in output
    assert "admin@example.org" not in output  # the account is named by number and role
    event = AuditEvent.objects.get(action=Action.USER_CREATED)
    assert event.actor is None
    assert event.data == {"user_id": user.pk, "role": "administrator", "area_id": None}


def test_practitioner_with_area_in_any_case(db: None) -> None:
    run("p@example.org", "--role", "practitioner", "--area", "sheffield")
    assert User.objects.get(email="p@example.org").area == Area.objects.get(name="Sheffield")


def test_referrer_with_agency(db: None) -> None:
    run("r@example.org", "--role", "referrer", "--agency-type", "school", "--agency-name", "Oak")
    user = User.objects.get(email="r@example.org")
    assert (user.agency_type, user.agency_name) == ("school", "Oak")


def test_unknown_area_lists_the_areas(db: None) -> None:
    with pytest.raises(CommandError, match="Areas: Belfast, Cardiff"):
        run("p@example.org", "--role", "practitioner", "--area", "Atlantis")
    assert not User.objects.exists()


def test_rule_errors_name_the_field(db: None) -> None:
    with pytest.raises(CommandError, match="area: Choose the area"):
        run("p@example.org", "--role", "practitioner")
    with pytest.raises(CommandError, match="agency_type: Choose the agency type"):
        run("r@example.org", "--role", "referrer", "--agency-name", "Oak")
    assert not User.objects.exists()


def test_duplicate_email_is_refused(alice: User) -> None:
    with pytest.raises(CommandError, match="email: There is already an account"):
        run("Alice@Example.org", "--role", "evaluator")
