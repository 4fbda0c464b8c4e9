"""Test personas (healthchecks' alice/bob/charlie), as pytest fixtures.

- alice: practitioner, Sheffield        - bob: centre manager, Sheffield
- charlie: practitioner, Hull (outsider) - dave: centre manager, Hull (outsider)
- lena: national lead                   - erin: evaluator (pseudonymous only)
- adam: administrator                   - rita, ross: referrers (health visiting, school)
"""

import pytest
from allauth.mfa.totp.internal.auth import TOTP

from ipip.accounts.models import Area, Role, User

# Every persona, in the order access matrices list them.
PERSONAS = ("alice", "bob", "charlie", "dave", "lena", "erin", "adam", "rita", "ross")
PASSWORD = "correct-horse-battery-staple"
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # a fixed test secret; fake users only


def make_user(
    email: str, role: Role, area: str | None = None, *, with_totp: bool = True, **extra: object
) -> User:
    """A user as the service has them: with a second factor enrolled unless told otherwise."""
    user = User.objects.create_user(
        email=email,
        password=PASSWORD,
        role=role,
        area=Area.objects.get(name=area) if area else None,
        first_name=email.split("@")[0].title(),
        last_name="Example",
        **extra,
    )
    if with_totp:
        TOTP.activate(user, TOTP_SECRET)
    return user


@pytest.fixture
def alice(db: None) -> User:
    return make_user("alice@example.org", Role.PRACTITIONER, "Sheffield")


@pytest.fixture
def bob(db: None) -> User:
    return make_user("bob@example.org", Role.CENTRE_MANAGER, "Sheffield")


@pytest.fixture
def charlie(db: None) -> User:
    return make_user("charlie@example.org", Role.PRACTITIONER, "Hull")


@pytest.fixture
def dave(db: None) -> User:
    return make_user("dave@example.org", Role.CENTRE_MANAGER, "Hull")


@pytest.fixture
def lena(db: None) -> User:
    return make_user("lena@example.org", Role.NATIONAL_LEAD)


@pytest.fixture
def erin(db: None) -> User:
    return make_user("erin@example.org", Role.EVALUATOR)


@pytest.fixture
def adam(db: None) -> User:
    return make_user("adam@example.org", Role.ADMINISTRATOR)


@pytest.fixture
def rita(db: None) -> User:
    return make_user(
        "rita@example.org", Role.REFERRER, agency_type="health_visitor", agency_name="HV team"
    )


@pytest.fixture
def ross(db: None) -> User:
    return make_user(
        "ross@example.org", Role.REFERRER, agency_type="school", agency_name="Primary school"
    )


@pytest.fixture
def personas(db: None, request: pytest.FixtureRequest) -> dict[str, User]:
    """Every persona by name: the very users the fixtures above give, so they mix freely."""
    return {name: request.getfixturevalue(name) for name in PERSONAS}
