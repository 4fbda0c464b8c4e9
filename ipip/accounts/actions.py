"""Writes to accounts: API tokens, and user accounts managed by administrators."""

from allauth.mfa.models import Authenticator
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from ipip.accounts.models import ApiToken, Area, Role, User
from ipip.accounts.rules import InvalidAccount, account_problems
from ipip.audit.events import Action
from ipip.audit.record import record

# The first characters identify a token in lists and audit rows without revealing it.
PREFIX_LENGTH = 8


@transaction.atomic(durable=True)
def do_create_api_token(user: User, *, name: str) -> tuple[ApiToken, str]:
    """Create a bearer token for `user`; returns the row and the raw token, shown only once.

    Only the token's hash is stored. Writes API_TOKEN_CREATED with the token's prefix.
    """
    raw = ApiToken.new_raw_token()
    token = ApiToken.objects.create(
        user=user, name=name, prefix=raw[:PREFIX_LENGTH], key_hash=ApiToken.hash(raw)
    )
    record(
        Action.API_TOKEN_CREATED, actor=user, subject=token, data={"token_prefix": token.prefix}
    )
    return token, raw


@transaction.atomic(durable=True)
def do_revoke_api_token(token: ApiToken, *, acting_user: User) -> ApiToken:
    """Revoke a token: it stops working at once. Writes API_TOKEN_REVOKED."""
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at", "modified_at"])
        record(
            Action.API_TOKEN_REVOKED,
            actor=acting_user,
            subject=token,
            data={"token_prefix": token.prefix},
        )
    return token


# ---------------------------------------------------------------------------------------
# User accounts, managed by administrators
# ---------------------------------------------------------------------------------------

EMAIL_TAKEN = "There is already an account with this email address"
SELF_DEACTIVATION = "You cannot deactivate your own account: ask another administrator"
SELF_DEMOTION = "You cannot remove your own administrator role: ask another administrator"
LAST_ADMINISTRATOR = (
    "There must be at least one active administrator: make someone else an administrator first"
)


def _check_may_manage_users(acting_user: User | None) -> None:
    # None is the command line (`manage.py create_user`), run by whoever runs the server.
    if acting_user is not None and not (acting_user.is_active and acting_user.is_administrator):
        raise PermissionDenied


def _raise_problems(
    *, role: Role, area: Area | None, agency_type: str, agency_name: str, more: dict[str, str]
) -> None:
    """InvalidAccount with `more` (other checks' errors) and the rules for the role, if any."""
    problems = {
        **more,
        **account_problems(
            role=role, has_area=area is not None, agency_type=agency_type, agency_name=agency_name
        ),
    }
    if problems:
        raise InvalidAccount(problems)


@transaction.atomic(durable=True)
def do_create_user(
    *,
    email: str,
    first_name: str,
    last_name: str,
    role: Role,
    area: Area | None,
    agency_type: str,
    agency_name: str,
    acting_user: User | None,
) -> User:
    """Create a staff or referrer account with no usable password.

    There is no sign-up: an administrator (or `manage.py create_user`, acting_user=None)
    makes the account, and the person chooses a password through the password reset and
    then enrols an authenticator app. Raises InvalidAccount (by field) for a duplicate
    email address (any case) or details that do not fit the role. Writes USER_CREATED
    with ids and the role only: no names or email address.
    """
    _check_may_manage_users(acting_user)
    email = User.objects.normalize_email(email.strip())
    taken = User.objects.filter(email__iexact=email).exists()
    _raise_problems(
        role=role,
        area=area,
        agency_type=agency_type,
        agency_name=agency_name,
        more={"email": EMAIL_TAKEN} if taken else {},
    )
    user = User(
        email=email,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        role=role,
        area=area,
        agency_type=agency_type,
        agency_name=agency_name.strip(),
    )
    user.set_unusable_password()
    user.save()
    record(
        Action.USER_CREATED,
        actor=acting_user,
        subject=user,
        data={"user_id": user.pk, "role": str(role), "area_id": area.pk if area else None},
    )
    return user


def _admin_guard(user: User, *, role: Role, is_active: bool, acting_user: User) -> dict[str, str]:
    """Nobody locks themselves out, and the service always keeps an active administrator."""
    if user.pk == acting_user.pk and not is_active:
        return {"is_active": SELF_DEACTIVATION}
    if user.pk == acting_user.pk and role != Role.ADMINISTRATOR:
        return {"role": SELF_DEMOTION}
    stays_admin = role == Role.ADMINISTRATOR and is_active
    if user.is_administrator and user.is_active and not stays_admin:
        others = User.objects.filter(role=Role.ADMINISTRATOR, is_active=True).exclude(pk=user.pk)
        if not others.exists():
            return {"role" if is_active else "is_active": LAST_ADMINISTRATOR}
    return {}


@transaction.atomic(durable=True)
def do_update_user(
    user: User,
    *,
    first_name: str,
    last_name: str,
    role: Role,
    area: Area | None,
    agency_type: str,
    agency_name: str,
    is_active: bool,
    acting_user: User,
) -> User:
    """Change a person's name, role, area, agency or whether they may sign in.

    Only an active administrator may call it. Deactivating (is_active=False) is how access
    is removed: accounts are never deleted, so their audit trail keeps its actor. Raises
    InvalidAccount (by field) for details that do not fit the role, for deactivating or
    demoting oneself, and for removing the last active administrator. Writes USER_CHANGED
    with the names of the fields changed (not their values), and nothing when none did.
    """
    _check_may_manage_users(acting_user)
    # Lock the person and every active administrator, in one statement and in id order, so
    # two administrators cannot each remove the other at the same moment.
    locked = User.objects.select_for_update().filter(
        Q(pk=user.pk) | Q(role=Role.ADMINISTRATOR, is_active=True)
    )
    user = next(u for u in locked.order_by("pk") if u.pk == user.pk)
    _raise_problems(
        role=role,
        area=area,
        agency_type=agency_type,
        agency_name=agency_name,
        more=_admin_guard(user, role=role, is_active=is_active, acting_user=acting_user),
    )
    wanted: dict[str, object] = {
        "first_name": first_name.strip(),
        "last_name": last_name.strip(),
        "role": role,
        "area_id": area.pk if area else None,
        "agency_type": agency_type,
        "agency_name": agency_name.strip(),
        "is_active": is_active,
    }
    changed = [name for name, value in wanted.items() if getattr(user, name) != value]
    if not changed:
        return user
    for name in changed:
        setattr(user, name, wanted[name])
    user.save(update_fields=changed)
    record(
        Action.USER_CHANGED,
        actor=acting_user,
        subject=user,
        data={"user_id": user.pk, "fields": [name.removesuffix("_id") for name in changed]},
    )
    return user


@transaction.atomic(durable=True)
def do_reset_user_mfa(user: User, *, acting_user: User) -> int:
    """Remove a person's authenticator app and recovery codes, e.g. after a lost phone.

    Only an active administrator may call it. At their next sign-in (password alone) the
    person must enrol a new authenticator before they can use ipip. Returns how many
    authenticators were removed. Writes USER_MFA_RESET with the kinds removed.
    """
    _check_may_manage_users(acting_user)
    user = User.objects.select_for_update().get(pk=user.pk)
    authenticators = Authenticator.objects.filter(user=user)
    kinds = sorted(set(authenticators.values_list("type", flat=True)))
    removed, _by_model = authenticators.delete()
    record(
        Action.USER_MFA_RESET,
        actor=acting_user,
        subject=user,
        data={"user_id": user.pk, "removed": kinds},
    )
    return int(removed)  # allauth is untyped
