"""A referral from the form to an open case, in Chromium.

A referrer types a referral and sees the decision with its reasons; the centre manager of
the area opens it from the queue and accepts it; the case exists and the audit says so.
"""

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.utils import timezone
from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page, Response, expect
from pytest_django import DjangoDbBlocker
from pytest_django.live_server_helper import LiveServer

from ipip.accounts.models import SERVICE_AREAS, Area, Role, User
from ipip.audit.events import Action
from ipip.audit.models import AuditEvent
from ipip.cases.models import Case, CaseStatus
from ipip.core.dates import long_date
from ipip.core.testing.personas import make_user
from ipip.referrals.models import Referral, ReferralStatus

SCREENSHOT = Path(settings.BASE_DIR) / "test-results" / "decision.png"


def load_service_areas() -> None:
    """What the migrations load (the areas, the default time points), if a flush removed it.

    Restored from the test database's own snapshot, with the rows' original ids: a later
    browser test's serialized rollback loads the same snapshot, and rows recreated under new
    ids would then clash with it on their unique names.
    """
    if Area.objects.exists():
        return
    snapshot = getattr(connection, "_test_serialized_contents", None)
    if snapshot:
        connection.creation.deserialize_db_from_string(snapshot)
        return
    for name, nation in SERVICE_AREAS:
        Area.objects.get_or_create(name=name, defaults={"nation": nation, "is_served": True})


@pytest.fixture(scope="module")
def service_areas(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[None]:
    """The migrations' areas before the journey, and again after its flush removed them.

    A transactional test ends by emptying every table, so the areas the data migration
    loaded are gone. Django runs such tests last, but pytest keeps the tests that share
    the session's `browser_name` together, so this one can run before ordinary database
    tests on the same worker: they need the areas. This fixture is module-scoped so that
    its teardown comes after the flush.
    """
    with django_db_blocker.unblock():
        load_service_areas()
    yield
    with django_db_blocker.unblock():
        load_service_areas()


def sign_in(context: BrowserContext, user: User, live_server: LiveServer) -> None:
    """The session cookie of a signed-in user (TOTP enrolled, so no second-factor page)."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )


def watch_for_broken_assets(page: Page, broken: list[str]) -> None:
    """Collect into `broken` any stylesheet or script the page failed to load, and any
    console error (a Content-Security-Policy refusal shows up there)."""

    def check(response: Response) -> None:
        if "/static/" in response.url and response.status >= 400:
            broken.append(f"{response.status} {response.url}")

    def console(message: ConsoleMessage) -> None:
        if message.type == "error":
            broken.append(f"console: {message.text} at {message.location.get('url')}")

    page.on("response", check)
    page.on("console", console)


@pytest.mark.browser
@pytest.mark.usefixtures("service_areas")
def test_referral_to_case_journey(
    page: Page,
    browser: Browser,
    live_server: LiveServer,
    transactional_db: None,
) -> None:
    rita = make_user(
        "rita@example.org",
        Role.REFERRER,
        agency_type="health_visitor",
        agency_name="HV team",
    )
    bob = make_user("bob@example.org", Role.CENTRE_MANAGER, "Sheffield")
    today = timezone.localdate()
    born = today - timedelta(days=6 * 365 + 100)  # aged 6 today, the referral date
    assessed = today - timedelta(days=30)

    # The referrer types the referral.
    sign_in(page.context, rita, live_server)
    broken: list[str] = []
    watch_for_broken_assets(page, broken)
    page.goto(f"{live_server.url}/referrals/new/")
    expect(page.get_by_role("heading", name="Make a referral")).to_be_visible()
    page.get_by_label("Area the family lives in").select_option(label="Sheffield")
    page.get_by_label("Address line 1").fill("12 Acacia Avenue")
    page.get_by_label("Town or city").fill("Sheffield")
    page.get_by_label("Postcode").fill("s1 2ab")
    page.get_by_label("Parent or carer's first name").fill("Jane")
    page.get_by_label("Parent or carer's last name").fill("Testperson")
    page.get_by_label("Relationship to the referred child").select_option(label="Mother")
    page.get_by_label("Child's first name").fill("Kit")
    page.get_by_label("Child's last name").fill("Testperson")
    date_of_birth = page.get_by_role("group", name="Child's date of birth")
    date_of_birth.get_by_label("Day").fill(str(born.day))
    date_of_birth.get_by_label("Month").fill(str(born.month))
    date_of_birth.get_by_label("Year").fill(str(born.year))
    page.locator('input[name="ever_on_plan"][value="no"]').check()
    page.locator('input[name="care_proceedings"][value="none"]').check()
    page.get_by_label("Early-help assessment (CAF or equivalent)").select_option(
        label="Early Help Assessment"
    )
    assessment = page.get_by_role("group", name="Date of the assessment")
    assessment.get_by_label("Day").fill(str(assessed.day))
    assessment.get_by_label("Month").fill(str(assessed.month))
    assessment.get_by_label("Year").fill(str(assessed.year))
    page.locator('input[name="shows_neglect_concerns"][value="yes"]').check()
    page.get_by_label("Reason for referral").fill("Concerns about the child's care at home.")
    page.get_by_role("button", name="Send referral").click()

    # The decision, with its six criteria and their reasons.
    expect(page.get_by_role("heading", name="Eligibility decision")).to_be_visible()
    expect(page.locator("strong.govuk-tag", has_text="Eligible").first).to_be_visible()
    criteria = page.locator("tr[data-criterion]")
    expect(criteria).to_have_count(6)
    expect(criteria.filter(has_text="Met")).to_have_count(6)
    age = page.locator('tr[data-criterion="child_age"]')
    expect(age).to_contain_text(f"Born {long_date(born)}")
    expect(age).to_contain_text("was 6 on the referral date")
    # GOV.UK styles are applied: the tag is a coloured box, not plain bold text.
    tag = page.locator("strong.govuk-tag--green").first
    assert tag.evaluate("e => getComputedStyle(e).backgroundColor") != "rgba(0, 0, 0, 0)"
    # The criteria are a real table: each row lines up under the Criterion/Result/Why headings.
    assert age.evaluate("e => getComputedStyle(e).display") == "table-row"
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT), full_page=True)
    referral = Referral.objects.get()
    assert referral.family.postcode == "S1 2AB"

    # The centre manager of Sheffield accepts it from the queue.
    manager: BrowserContext = browser.new_context()
    try:
        sign_in(manager, bob, live_server)
        queue = manager.new_page()
        watch_for_broken_assets(queue, broken)
        queue.goto(f"{live_server.url}/referrals/")
        expect(queue.get_by_role("heading", name="Referral queue")).to_be_visible()
        queue.get_by_role("link", name="Kit Testperson").click()
        expect(queue.get_by_role("heading", name="Kit Testperson")).to_be_visible()
        queue.get_by_role("button", name="Accept referral").click()
        expect(queue.get_by_text("Referral accepted. The case is open")).to_be_visible()
        expect(queue.locator("strong.govuk-tag", has_text="Accepted")).to_be_visible()
        assert "/cases/" in queue.url
    finally:
        manager.close()

    case = Case.objects.get()
    assert case.status == CaseStatus.ACCEPTED
    assert str(case.public_id) in queue.url
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ACCEPTED
    assert referral.case == case
    accepted = AuditEvent.objects.get(action=Action.REFERRAL_ACCEPTED)
    assert accepted.actor == bob
    assert accepted.subject_public_id == referral.public_id
    assert broken == []
