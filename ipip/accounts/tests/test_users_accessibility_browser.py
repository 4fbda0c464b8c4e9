"""WCAG 2.2 AA checks of the user management pages, with axe-core in Chromium (the same
two runs as ipip/core/tests/test_accessibility_browser.py)."""

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect
from pytest_django import DjangoDbBlocker
from pytest_django.live_server_helper import LiveServer

from ipip.accounts.models import Role, User
from ipip.core.testing.personas import make_user
from ipip.core.tests.test_accessibility_browser import axe_violations
from ipip.referrals.tests.test_journey_browser import load_service_areas, sign_in


@pytest.fixture(scope="module")
def service_areas(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[None]:
    """The migrations' areas, before these tests and again after their flush removed them
    (see the fixture of the same name in test_journey_browser)."""
    with django_db_blocker.unblock():
        load_service_areas()
    yield
    with django_db_blocker.unblock():
        load_service_areas()


@pytest.fixture
def adam(service_areas: None, transactional_db: None) -> User:
    load_service_areas()
    make_user("alice@example.org", Role.PRACTITIONER, "Sheffield")
    make_user("new@example.org", Role.EVALUATOR, with_totp=False)
    make_user("rita@example.org", Role.REFERRER, agency_type="school", agency_name="Oak")
    return make_user("adam@example.org", Role.ADMINISTRATOR)


def open_page(page: Page, adam: User, server: LiveServer, path: str, heading: str) -> None:
    sign_in(page.context, adam, server)
    page.goto(f"{server.url}{path}")
    expect(page.get_by_role("heading", name=heading, exact=True).first).to_be_visible()


def assert_no_violations(page: Page) -> None:
    count, report = axe_violations(page)
    assert count == 0, f"{page.url}:\n{report}"


@pytest.mark.browser
def test_user_list(page: Page, live_server: LiveServer, adam: User) -> None:
    open_page(page, adam, live_server, "/settings/users/", "Users")
    assert_no_violations(page)


@pytest.mark.browser
def test_create_user_with_errors_then_next_step(
    page: Page, live_server: LiveServer, adam: User
) -> None:
    open_page(page, adam, live_server, "/settings/users/new/", "Add a user")
    assert_no_violations(page)

    page.get_by_label("Email address").fill("pat@example.org")
    page.get_by_label("Evaluator").check()
    page.get_by_label("Area").select_option(label="Hull")
    page.get_by_role("button", name="Create the account").click()
    expect(page).to_have_title(re.compile(r"^Error: Add a user"))
    expect(page.get_by_role("link", name=re.compile("Leave the area empty"))).to_be_visible()
    assert_no_violations(page)

    page.get_by_label("First name").fill("Pat")
    page.get_by_label("Last name").fill("Newton")
    page.get_by_label("Area").select_option(label="No area")
    page.get_by_role("button", name="Create the account").click()
    expect(page.get_by_text("What happens next")).to_be_visible()
    assert_no_violations(page)


@pytest.mark.browser
def test_edit_user_with_errors(page: Page, live_server: LiveServer, adam: User) -> None:
    rita = User.objects.get(email="rita@example.org")
    open_page(page, adam, live_server, f"/settings/users/{rita.public_id}/", "Rita Example")
    assert_no_violations(page)

    page.get_by_label("Agency name").fill("")
    page.get_by_role("button", name="Save changes").click()
    expect(page).to_have_title(re.compile(r"^Error: Change user"))
    assert_no_violations(page)
