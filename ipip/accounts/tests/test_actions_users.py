"""Account actions: state and audit for each; the rules per role; the administrator guards."""

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.core.exceptions import PermissionDenied

from ipip.accounts.actions import (
    EMAIL_TAKEN,
    LAST_ADMINISTRATOR,
    SELF_DEACTIVATION,
    SELF_DEMOTION,
    do_create_user,
    do_reset_user_mfa,
    do_update_user,
)
from ipip.accounts.models import Area, Role, User
from ipip.accounts.rules import InvalidAccount
from ipip.audit.events import Action
from ipip.audit.models import AuditEvent
from ipip.core.testing.personas import make_user

pytestmark = pytest.mark.django_db


def last_event() -> AuditEvent:
    event = AuditEvent.objects.order_by("-id").first()
    assert event is not None
    return event


def sheffield() -> Area:
    return Area.objects.get(name="Sheffield")


def create(acting_user: User | None, **overrides: object) -> User:
    details: dict[str, object] = {
        "email": "new.person@example.org",
        "first_name": " New ",
        "last_name": "Person",
        "role": Role.PRACTITIONER,
        "area": sheffield(),
        "agency_type": "",
        "agency_name": "",
    }
    details.update(overrides)
    return do_create_user(acting_user=acting_user, **details)  # type: ignore[arg-type]


def update(user: User, acting_user: User, **overrides: object) -> User:
    details: dict[str, object] = {
        "first_name": user.first_name,
        "last_name": user.last_name,
        "role": Role(user.role),
        "area": user.area,
        "agency_type": user.agency_type,
        "agency_name": user.agency_name,
        "is_active": user.is_active,
    }
    details.update(overrides)
    return do_update_user(user, acting_user=acting_user, **details)  # type: ignore[arg-type]


# ---------------------------------------------------------------------------------------
# do_create_user
# ---------------------------------------------------------------------------------------


def test_create_makes_an_account_with_no_usable_password(adam: User) -> None:
    user = create(adam, email="New.Person@EXAMPLE.org")

    user.refresh_from_db()
    assert user.email == "New.Person@example.org"  # the domain is lower-cased
    assert (user.first_name, user.last_name) == ("New", "Person")
    assert user.role == Role.PRACTITIONER
    assert user.area == sheffield()
    assert user.is_active
    assert not user.has_usable_password()
    assert user.public_id is not None
    event = last_event()
    assert event.action == Action.USER_CREATED
    assert event.actor == adam
    assert event.subject_type == "User"
    assert event.subject_public_id == user.public_id
    assert event.data == {"user_id": user.pk, "role": "practitioner", "area_id": sheffield().pk}
    assert "Person" not in str(event.data) and "example.org" not in str(event.data)


def test_create_by_the_command_line_has_no_actor(db: None) -> None:
    user = create(None, role=Role.ADMINISTRATOR, area=None)
    event = last_event()
    assert event.actor is None
    assert event.data == {"user_id": user.pk, "role": "administrator", "area_id": None}


def test_create_referrer_with_agency(adam: User) -> None:
    user = create(
        adam, role=Role.REFERRER, area=None, agency_type="school", agency_name=" Oak School "
    )
    assert (user.agency_type, user.agency_name) == ("school", "Oak School")


def test_duplicate_email_in_any_case_is_refused(adam: User, alice: User) -> None:
    with pytest.raises(InvalidAccount) as err:
        create(adam, email="ALICE@example.ORG")
    assert err.value.errors == {"email": EMAIL_TAKEN}
    assert not AuditEvent.objects.filter(action=Action.USER_CREATED).exists()


@pytest.mark.parametrize(
    ("overrides", "fields"),
    [
        ({"role": Role.PRACTITIONER, "area": None}, {"area"}),
        ({"role": Role.CENTRE_MANAGER, "area": None}, {"area"}),
        ({"role": Role.EVALUATOR}, {"area"}),
        ({"role": Role.REFERRER}, {"area", "agency_type", "agency_name"}),
        ({"role": Role.REFERRER, "area": None, "agency_type": "school"}, {"agency_name"}),
        ({"role": Role.REFERRER, "area": None, "agency_name": "X"}, {"agency_type"}),
        ({"agency_type": "school"}, {"agency_type"}),
        ({"agency_name": "HV team"}, {"agency_name"}),
    ],
)
def test_details_must_fit_the_role(
    adam: User, overrides: dict[str, object], fields: set[str]
) -> None:
    with pytest.raises(InvalidAccount) as err:
        create(adam, **overrides)
    assert set(err.value.errors) == fields
    assert not User.objects.filter(email="new.person@example.org").exists()


@pytest.mark.parametrize("persona", ["bob", "lena", "rita"])
def test_only_administrators_create(persona: str, request: pytest.FixtureRequest) -> None:
    with pytest.raises(PermissionDenied):
        create(request.getfixturevalue(persona))


def test_a_deactivated_administrator_cannot_create(adam: User) -> None:
    adam.is_active = False
    with pytest.raises(PermissionDenied):
        create(adam)


# ---------------------------------------------------------------------------------------
# do_update_user
# ---------------------------------------------------------------------------------------


def test_update_changes_fields_and_audits_their_names(adam: User, alice: User) -> None:
    hull = Area.objects.get(name="Hull")
    update(alice, adam, role=Role.CENTRE_MANAGER, area=hull, last_name="Smith")

    alice.refresh_from_db()
    assert (alice.role, alice.area, alice.last_name) == (Role.CENTRE_MANAGER, hull, "Smith")
    event = last_event()
    assert event.action == Action.USER_CHANGED
    assert event.actor == adam
    assert event.subject_public_id == alice.public_id
    assert event.data == {"user_id": alice.pk, "fields": ["last_name", "role", "area"]}


def test_update_to_referrer_clears_the_area(adam: User, alice: User) -> None:
    update(alice, adam, role=Role.REFERRER, area=None, agency_type="other", agency_name="Charity")
    alice.refresh_from_db()
    assert alice.area is None
    assert last_event().data["fields"] == ["role", "area", "agency_type", "agency_name"]


def test_deactivation_removes_access_without_deleting(adam: User, alice: User) -> None:
    update(alice, adam, is_active=False)
    alice.refresh_from_db()
    assert not alice.is_active
    assert last_event().data == {"user_id": alice.pk, "fields": ["is_active"]}


def test_update_with_no_change_writes_nothing(adam: User, alice: User) -> None:
    before = AuditEvent.objects.count()
    update(alice, adam)
    assert AuditEvent.objects.count() == before


def test_update_checks_the_rules_for_the_role(adam: User, alice: User) -> None:
    with pytest.raises(InvalidAccount) as err:
        update(alice, adam, role=Role.EVALUATOR)
    assert set(err.value.errors) == {"area"}
    alice.refresh_from_db()
    assert alice.role == Role.PRACTITIONER


def test_administrator_cannot_deactivate_themselves(adam: User) -> None:
    make_user("ada@example.org", Role.ADMINISTRATOR)
    with pytest.raises(InvalidAccount) as err:
        update(adam, adam, is_active=False)
    assert err.value.errors == {"is_active": SELF_DEACTIVATION}
    adam.refresh_from_db()
    assert adam.is_active


def test_administrator_cannot_demote_themselves(adam: User) -> None:
    make_user("ada@example.org", Role.ADMINISTRATOR)
    with pytest.raises(InvalidAccount) as err:
        update(adam, adam, role=Role.EVALUATOR)
    assert err.value.errors == {"role": SELF_DEMOTION}


def test_another_administrator_may_be_deactivated_or_demoted(adam: User) -> None:
    ada = make_user("ada@example.org", Role.ADMINISTRATOR)
    update(ada, adam, role=Role.EVALUATOR)
    ada.refresh_from_db()
    assert ada.role == Role.EVALUATOR
    ada2 = make_user("ada2@example.org", Role.ADMINISTRATOR)
    update(ada2, adam, is_active=False)
    ada2.refresh_from_db()
    assert not ada2.is_active


@pytest.mark.parametrize(
    ("overrides", "field"),
    [({"is_active": False}, "is_active"), ({"role": Role.EVALUATOR}, "role")],
)
def test_the_last_active_administrator_stays(
    adam: User, overrides: dict[str, object], field: str
) -> None:
    # Two administrators each remove the other at once: the second to commit acts with a
    # stale copy of themselves, already deactivated in the database.
    ada = make_user("ada@example.org", Role.ADMINISTRATOR)
    stale_ada = User.objects.get(pk=ada.pk)
    update(ada, adam, is_active=False)

    with pytest.raises(InvalidAccount) as err:
        update(adam, stale_ada, **overrides)

    assert err.value.errors == {field: LAST_ADMINISTRATOR}
    adam.refresh_from_db()
    assert adam.is_active and adam.is_administrator


def test_only_administrators_update(bob: User, alice: User) -> None:
    with pytest.raises(PermissionDenied):
        update(alice, bob, last_name="Smith")


# ---------------------------------------------------------------------------------------
# do_reset_user_mfa
# ---------------------------------------------------------------------------------------


def test_mfa_reset_removes_totp_and_recovery_codes(adam: User, alice: User) -> None:
    RecoveryCodes.activate(alice)
    assert Authenticator.objects.filter(user=alice).count() == 2

    removed = do_reset_user_mfa(alice, acting_user=adam)

    assert removed == 2
    assert not Authenticator.objects.filter(user=alice).exists()
    assert Authenticator.objects.filter(user=adam).exists()  # nobody else's
    event = last_event()
    assert event.action == Action.USER_MFA_RESET
    assert event.actor == adam
    assert event.subject_public_id == alice.public_id
    assert event.data == {"user_id": alice.pk, "removed": ["recovery_codes", "totp"]}


def test_mfa_reset_with_nothing_enrolled_is_still_audited(adam: User) -> None:
    newbie = make_user("newbie@example.org", Role.EVALUATOR, with_totp=False)
    assert do_reset_user_mfa(newbie, acting_user=adam) == 0
    assert last_event().data == {"user_id": newbie.pk, "removed": []}


def test_only_administrators_reset_mfa(lena: User, alice: User) -> None:
    with pytest.raises(PermissionDenied):
        do_reset_user_mfa(alice, acting_user=lena)
    assert Authenticator.objects.filter(user=alice).exists()
