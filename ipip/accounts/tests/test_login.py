"""Signing in: email and password, then a TOTP or recovery code; lockout; sign-out; no sign-up.

The tests follow the real pages with Django's test client, posting the fields the HTML
forms have (login form: `login`, `password`; security code forms: `code`).
"""

import html
import re
import time
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest
import time_machine
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.contrib import auth
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from pytest_django.fixtures import Settings

from ipip.accounts.models import Role, User
from ipip.core.testing.personas import PASSWORD, TOTP_SECRET, make_user

if TYPE_CHECKING:
    # The test client's response: an HttpResponse with the request and context attached.
    from django.test.client import _MonkeyPatchedWSGIResponse as Response

LOGIN_URL = reverse("account_login")
MFA_URL = reverse("mfa_authenticate")
HOME_URL = reverse("core:home")
TOO_MANY = "Too many failed login attempts. Try again later."
WRONG_PASSWORD = "The email address and/or password you specified are not correct."
INCORRECT_CODE = "Incorrect code."


@pytest.fixture(autouse=True)
def _clear_cache() -> Iterator[None]:
    # The lockout counters and the used-TOTP-code markers live in the cache.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _start_of_a_totp_period() -> Iterator[None]:
    """Start each test just after a 30-second TOTP period begins.

    allauth accepts only the current period's code (MFA_TOTP_TOLERANCE is 0), so a code
    worked out at the start of a test must still be current when it is posted.
    """
    with time_machine.travel((int(time.time()) // 30 + 1) * 30 + 0.5, tick=True):
        yield


def totp_code(secret: str = TOTP_SECRET, offset: int = 0) -> str:
    """The code an authenticator app shows now (offset: periods later or earlier)."""
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30 + offset))  # type: ignore[no-any-return]


def wrong_totp_code() -> str:
    """A 6-digit code that is not valid in any period near now."""
    valid = {totp_code(offset=offset) for offset in range(-3, 4)}
    return next(code for code in ("000000", "111111", "222222", "333333") if code not in valid)


def signed_in_user(client: Client) -> User | None:
    user = auth.get_user(client)  # the test client has a session, as a request does
    return user if isinstance(user, User) else None


def text(response: "Response") -> str:
    return response.content.decode()


def sign_in_with_password(client: Client, email: str, password: str = PASSWORD) -> "Response":
    return client.post(LOGIN_URL, {"login": email, "password": password})


def sign_in(client: Client, email: str, code: str) -> "Response":
    """Password, then the security code page: the response to posting the code."""
    response = sign_in_with_password(client, email)
    assert response.status_code == 302
    assert response["Location"] == MFA_URL
    page = client.get(MFA_URL)
    assert page.status_code == 200
    assert 'name="code"' in text(page)
    return client.post(MFA_URL, {"code": code})


def sign_out(client: Client) -> None:
    response = client.post(reverse("account_logout"))
    assert response.status_code == 302
    assert signed_in_user(client) is None


# alice (practitioner) and bob (centre manager) come from ipip.core.testing.personas.
@pytest.fixture
def newbie(db: None) -> User:
    """A practitioner whose account has just been made: no second factor yet."""
    return make_user("newbie@example.org", Role.PRACTITIONER, "Sheffield", with_totp=False)


# ---------------------------------------------------------------------------------------
# Password and TOTP
# ---------------------------------------------------------------------------------------


def test_password_and_totp_code_signs_in(client: Client, alice: User) -> None:
    response = sign_in(client, alice.email, totp_code())

    assert response.status_code == 302
    assert response["Location"] == HOME_URL
    assert signed_in_user(client) == alice
    home = client.get(HOME_URL)
    assert home.status_code == 200
    assert "Welcome, Alice" in text(home)


def test_password_alone_does_not_sign_in(client: Client, alice: User) -> None:
    response = sign_in_with_password(client, alice.email)

    assert response["Location"] == MFA_URL
    assert signed_in_user(client) is None
    home = client.get(HOME_URL)
    assert home.status_code == 302
    assert home["Location"].startswith(LOGIN_URL)


def test_wrong_totp_code_does_not_sign_in(client: Client, alice: User) -> None:
    response = sign_in(client, alice.email, wrong_totp_code())

    assert response.status_code == 200
    page = text(response)
    assert "Enter your security code" in page
    assert "govuk-error-summary" in page
    assert INCORRECT_CODE in page
    assert signed_in_user(client) is None
    assert client.get(HOME_URL).status_code == 302


def test_a_totp_code_works_only_once(client: Client, alice: User) -> None:
    code = totp_code()
    assert sign_in(client, alice.email, code).status_code == 302
    sign_out(client)

    response = sign_in(client, alice.email, code)

    assert response.status_code == 200
    assert INCORRECT_CODE in text(response)
    assert signed_in_user(client) is None


def test_cancel_on_the_code_page_abandons_the_sign_in(client: Client, alice: User) -> None:
    sign_in_with_password(client, alice.email)
    page = text(client.get(MFA_URL))
    assert 'form="logout-from-stage"' in page

    # The Cancel button posts the hidden sign-out form, which sends them back to sign in.
    response = client.post(reverse("account_logout"), {"next": LOGIN_URL})

    assert response.status_code == 302
    assert response["Location"] == LOGIN_URL
    assert client.get(MFA_URL)["Location"].startswith(LOGIN_URL)
    assert signed_in_user(client) is None


# ---------------------------------------------------------------------------------------
# Recovery codes
# ---------------------------------------------------------------------------------------


def test_recovery_code_works_once(client: Client, alice: User) -> None:
    codes: list[str] = RecoveryCodes.activate(alice).get_unused_codes()
    first = codes[0]

    response = sign_in(client, alice.email, first)
    assert response.status_code == 302
    assert response["Location"] == HOME_URL
    assert signed_in_user(client) == alice
    assert client.get(HOME_URL).status_code == 200
    sign_out(client)

    response = sign_in(client, alice.email, first)
    assert response.status_code == 200
    assert INCORRECT_CODE in text(response)
    assert signed_in_user(client) is None

    # The other codes still work.
    response = client.post(MFA_URL, {"code": codes[1]})
    assert response.status_code == 302
    assert signed_in_user(client) == alice


# ---------------------------------------------------------------------------------------
# Enrolment of a second factor
# ---------------------------------------------------------------------------------------


def test_user_without_totp_must_enrol_before_using_ipip(client: Client, newbie: User) -> None:
    response = sign_in_with_password(client, newbie.email)
    # No second factor to ask for yet: the password signs in, but only as far as enrolment.
    assert response.status_code == 302
    assert signed_in_user(client) == newbie

    home = client.get(HOME_URL)
    activate_url = reverse("mfa_activate_totp")
    assert home.status_code == 302
    assert home["Location"] == activate_url
    # Every page of ipip sends them there, not only the home page.
    assert client.get(reverse("cases:list"))["Location"] == activate_url

    page = client.get(activate_url)
    assert page.status_code == 200
    assert "Set up your authenticator app" in text(page)
    found = re.search(r'id="authenticator-secret">([A-Z2-7=]+)<', text(page))
    assert found, "the setup key is shown for people who cannot scan the QR code"
    secret = html.unescape(found.group(1))
    assert secret == client.session["mfa.totp.secret"]

    wrong = client.post(activate_url, {"code": "000000" if totp_code(secret) != "000000" else "1"})
    assert wrong.status_code == 200
    assert "govuk-error-summary" in text(wrong)
    assert client.get(HOME_URL).status_code == 302

    response = client.post(activate_url, {"code": totp_code(secret)})
    assert response.status_code == 302
    # allauth makes recovery codes with the first authenticator, and shows them once.
    assert response["Location"] == reverse("mfa_view_recovery_codes")
    codes_page = client.get(response["Location"])
    assert codes_page.status_code == 200
    assert 'id="recovery-codes"' in text(codes_page)

    home = client.get(HOME_URL)
    assert home.status_code == 200
    assert "Welcome, Newbie" in text(home)

    # Next time, the new authenticator is asked for.
    sign_out(client)
    cache.clear()  # the enrolment code may not be used twice within its period
    assert sign_in(client, newbie.email, totp_code(secret))["Location"] == HOME_URL


def test_enrolment_long_after_sign_in_asks_for_the_password_again(
    client: Client, newbie: User
) -> None:
    activate_url = reverse("mfa_activate_totp")
    with time_machine.travel(time.time(), tick=True) as traveller:
        sign_in_with_password(client, newbie.email)
        assert client.get(activate_url).status_code == 200

        traveller.shift(6 * 60)  # past allauth's 5-minute reauthentication timeout
        response = client.get(activate_url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_reauthenticate"))

        confirm = client.get(response["Location"])
        assert confirm.status_code == 200
        assert 'class="govuk-template"' in text(confirm)
        assert 'name="password"' in text(confirm)
        response = client.post(response["Location"], {"password": PASSWORD})
        assert response.status_code == 302
        assert response["Location"] == activate_url
        assert client.get(activate_url).status_code == 200


def test_changing_an_existing_authenticator_still_asks_for_the_password(
    client: Client, alice: User
) -> None:
    sign_in(client, alice.email, totp_code())

    for url in (reverse("mfa_deactivate_totp"), reverse("mfa_generate_recovery_codes")):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_reauthenticate"))

    response = client.post(
        f"{reverse('account_reauthenticate')}?next={reverse('mfa_deactivate_totp')}",
        {"password": "not-the-password"},
    )
    assert response.status_code == 200
    assert "govuk-error-summary" in text(response)

    response = client.post(
        f"{reverse('account_reauthenticate')}?next={reverse('mfa_deactivate_totp')}",
        {"password": PASSWORD},
    )
    assert response["Location"] == reverse("mfa_deactivate_totp")
    assert client.get(reverse("mfa_deactivate_totp")).status_code == 200


def test_demo_lets_user_without_totp_in(client: Client, newbie: User, settings: Settings) -> None:
    settings.IPIP_DEMO = True

    response = sign_in_with_password(client, newbie.email)

    assert response.status_code == 302
    assert response["Location"] == HOME_URL
    home = client.get(HOME_URL)
    assert home.status_code == 200
    assert "Welcome, Newbie" in text(home)


# ---------------------------------------------------------------------------------------
# Lockout
# ---------------------------------------------------------------------------------------


def test_five_wrong_passwords_lock_the_account(client: Client, alice: User, bob: User) -> None:
    for _ in range(5):
        response = sign_in_with_password(client, alice.email, "not-the-password")
        assert response.status_code == 200
        assert WRONG_PASSWORD in text(response)

    response = sign_in_with_password(client, alice.email, PASSWORD)

    # allauth refuses the sign-in on the form (the page is shown again with the error).
    assert response.status_code == 200
    page = text(response)
    assert "govuk-error-summary" in page
    assert TOO_MANY in page
    assert signed_in_user(client) is None
    assert MFA_URL not in response.get("Location", "")
    assert client.get(MFA_URL)["Location"].startswith(LOGIN_URL)

    # Another account, from the same place, is not locked.
    assert sign_in(Client(), bob.email, totp_code())["Location"] == HOME_URL


def test_four_wrong_passwords_do_not_lock_the_account(client: Client, alice: User) -> None:
    for _ in range(4):
        assert WRONG_PASSWORD in text(sign_in_with_password(client, alice.email, "nope-nope"))

    assert sign_in(client, alice.email, totp_code())["Location"] == HOME_URL


# ---------------------------------------------------------------------------------------
# Sign-out and sign-up
# ---------------------------------------------------------------------------------------


def test_logout_needs_a_post(client: Client, alice: User) -> None:
    sign_in(client, alice.email, totp_code())
    logout_url = reverse("account_logout")

    page = client.get(logout_url)
    assert page.status_code == 200
    assert 'method="post"' in text(page)
    assert signed_in_user(client) == alice
    assert client.get(HOME_URL).status_code == 200

    response = client.post(logout_url)
    assert response.status_code == 302
    assert response["Location"] == LOGIN_URL
    assert signed_in_user(client) is None
    assert client.get(HOME_URL).status_code == 302


def test_signup_is_closed(client: Client, db: None) -> None:
    signup_url = reverse("account_signup")

    page = client.get(signup_url)
    assert page.status_code == 200
    assert 'name="password1"' not in text(page)

    response = client.post(
        signup_url, {"email": "mallory@example.org", "password1": "a-long-Passw0rd-here"}
    )
    assert response.status_code == 200
    assert not User.objects.filter(email="mallory@example.org").exists()
    assert signed_in_user(client) is None


# ---------------------------------------------------------------------------------------
# The page itself
# ---------------------------------------------------------------------------------------


def test_login_page_uses_the_govuk_layout(client: Client, db: None) -> None:
    page = client.get(LOGIN_URL)

    assert page.status_code == 200
    content = text(page)
    assert 'class="govuk-template"' in content
    assert "Improving parenting, improving practice" in content
    assert 'name="login"' in content
    assert 'name="password"' in content
    assert "govuk-error-summary" not in content


def test_wrong_password_shows_an_error_summary(client: Client, alice: User) -> None:
    response = sign_in_with_password(client, alice.email, "not-the-password")

    assert response.status_code == 200
    content = text(response)
    assert "<title>Error: Sign in" in content
    assert "govuk-error-summary" in content
    assert "There is a problem" in content
    assert WRONG_PASSWORD in content
    assert signed_in_user(client) is None
