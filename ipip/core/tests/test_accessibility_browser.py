"""WCAG 2.2 AA checks of the main pages, with axe-core in Chromium.

Each page is opened by the persona who uses it, with data made through the actions (a
referral waiting for a decision, and one accepted whose case is allocated), and axe-core
checks the page as the browser rendered it: GOV.UK styles applied, its scripts run.

axe-core (4.12) is bundled in the axe-playwright-python wheel, so nothing is downloaded. It
is injected with Playwright's `evaluate`, which the Content-Security-Policy does not block.

Two runs per page:
- the WCAG 2.0/2.1/2.2 A and AA rules, plus axe's best-practice rules (heading order, one
  main landmark, one h1, unique landmarks...), over the whole page, without `region`;
- `region` ("all content is in a landmark") on its own, leaving out GOV.UK's back link.
  GOV.UK Frontend puts the back link before <main> on purpose, so that the skip link
  skips it; in 2025 GOV.UK decided to keep it there (alphagov/govuk-frontend#6460,
  govuk-design-system#5024). `region` is a best-practice rule, not a WCAG success
  criterion. The back link still gets every other rule in the first run.
"""

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe  # type: ignore[import-untyped]
from django.utils import timezone
from playwright.sync_api import Page, expect
from pytest_django import DjangoDbBlocker, Settings
from pytest_django.live_server_helper import LiveServer

from ipip.accounts.models import Role, User
from ipip.cases import actions as case_actions
from ipip.cases.models import Approach, Case
from ipip.core.testing.builders import referral_input
from ipip.core.testing.personas import PASSWORD, make_user
from ipip.referrals import actions as referral_actions
from ipip.referrals.models import Referral
from ipip.referrals.tests.test_journey_browser import load_service_areas, sign_in

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
AXE = Axe()  # the axe-core bundled in the wheel
RULES_RUN: dict[str, Any] = {
    "runOnly": {"type": "tag", "values": [*WCAG_TAGS, "best-practice"]},
    "rules": {"region": {"enabled": False}},  # checked in LANDMARKS_RUN
    "resultTypes": ["violations"],
}
LANDMARKS_RUN: dict[str, Any] = {
    "runOnly": {"type": "rule", "values": ["region"]},
    "resultTypes": ["violations"],
}
# GOV.UK's back link sits between <header> and <main> by design (see the module docstring).
LANDMARKS_CONTEXT = {"exclude": [[".govuk-back-link"]]}


@dataclass(frozen=True)
class World:
    """The people and records the pages show."""

    rita: User  # referrer (health visiting)
    bob: User  # centre manager, Sheffield
    alice: User  # practitioner, Sheffield
    open_referral: Referral  # screened eligible, waiting for a decision
    case: Case  # from a second referral: accepted, allocated to alice


@pytest.fixture(scope="module")
def service_areas(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[None]:
    """The migrations' areas, before these tests and again after their flush removed them
    (as the fixture of the same name in test_journey_browser explains)."""
    with django_db_blocker.unblock():
        load_service_areas()
    yield
    with django_db_blocker.unblock():
        load_service_areas()


@pytest.fixture
def world(service_areas: None, transactional_db: None) -> World:
    load_service_areas()  # an earlier test's flush may have emptied the table
    rita = make_user(
        "rita@example.org", Role.REFERRER, agency_type="health_visitor", agency_name="HV team"
    )
    bob = make_user("bob@example.org", Role.CENTRE_MANAGER, "Sheffield")
    alice = make_user("alice@example.org", Role.PRACTITIONER, "Sheffield")
    received = timezone.localdate() - timedelta(days=10)
    open_referral = referral_actions.do_receive_referral(
        referral_input(received_on=received), acting_user=rita
    )
    accepted = referral_actions.do_receive_referral(
        referral_input(received_on=received - timedelta(days=20)), acting_user=rita
    )
    case = referral_actions.do_accept_referral(accepted, acting_user=bob)
    case = case_actions.do_allocate_case(
        case, practitioner=alice, approach=Approach.VIG, acting_user=bob
    )
    return World(rita=rita, bob=bob, alice=alice, open_referral=open_referral, case=case)


# ---------------------------------------------------------------------------------------
# The pages: each visit opens one page as its persona and checks it is the page meant.
# ---------------------------------------------------------------------------------------

Visit = Callable[[Page, World, LiveServer], None]


def login(page: Page, world: World, server: LiveServer) -> None:
    page.goto(f"{server.url}/accounts/login/")
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()


def login_with_errors(page: Page, world: World, server: LiveServer) -> None:
    page.goto(f"{server.url}/accounts/login/")
    page.get_by_label("Email address").fill(world.bob.email)
    page.get_by_label("Password").fill(f"{PASSWORD}-wrong")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(page).to_have_title(re.compile(r"^Error: Sign in"))


def second_factor(page: Page, world: World, server: LiveServer) -> None:
    """The code page after a correct password, before the authenticator code."""
    page.goto(f"{server.url}/accounts/login/")
    page.get_by_label("Email address").fill(world.bob.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Enter your security code")).to_be_visible()


def signed_in(who: Callable[[World], User], path: str, heading: str) -> Visit:
    """Open `path` ("{w}" is the World) as `who`, and wait for `heading`."""

    def visit(page: Page, world: World, server: LiveServer) -> None:
        sign_in(page.context, who(world), server)
        page.goto(f"{server.url}{path.format(w=world)}")
        expect(page.get_by_role("heading", name=heading).first).to_be_visible()

    return visit


def referral_form_with_errors(page: Page, world: World, server: LiveServer) -> None:
    signed_in(rita, "/referrals/new/", "Make a referral")(page, world, server)
    page.get_by_role("button", name="Send referral").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(page).to_have_title(re.compile(r"^Error: New referral"))


def referral_with_decision(page: Page, world: World, server: LiveServer) -> None:
    signed_in(bob, "/referrals/{w.open_referral.public_id}/", "Eligibility decision")(
        page, world, server
    )
    expect(page.locator("tr[data-criterion]")).to_have_count(6)
    expect(page.get_by_role("button", name="Accept referral")).to_be_visible()


def case_with_success_banner(page: Page, world: World, server: LiveServer) -> None:
    """The case page as accepting a referral leaves it, with the green success banner."""
    referral_with_decision(page, world, server)
    page.get_by_role("button", name="Accept referral").click()
    expect(page.get_by_text("Referral accepted. The case is open")).to_be_visible()


def allocate_with_errors(page: Page, world: World, server: LiveServer) -> None:
    signed_in(bob, "/cases/{w.case.public_id}/allocate/", "Allocate case")(page, world, server)
    page.get_by_label("Practitioner").select_option(index=0)  # the blank choice
    page.get_by_role("button", name="Allocate").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(page).to_have_title(re.compile(r"^Error: Allocate case"))


def bob(w: World) -> User:
    return w.bob


def rita(w: World) -> User:
    return w.rita


def alice(w: World) -> User:
    return w.alice


@dataclass(frozen=True)
class Scenario:
    visit: Visit
    demo: bool = False  # IPIP_DEMO: the "Demo" phase banner in the header


CASE = "/cases/{w.case.public_id}/"
SCENARIOS: dict[str, Scenario] = {
    "login": Scenario(login),
    "login-errors": Scenario(login_with_errors),
    "second-factor": Scenario(second_factor),
    "home-manager": Scenario(signed_in(bob, "/", "Welcome, Bob Example")),
    "home-referrer": Scenario(signed_in(rita, "/", "Welcome, Rita Example")),
    "home-practitioner": Scenario(signed_in(alice, "/", "Welcome, Alice Example")),
    "home-demo-banner": Scenario(signed_in(alice, "/", "Welcome, Alice Example"), demo=True),
    "referral-form-referrer": Scenario(signed_in(rita, "/referrals/new/", "Make a referral")),
    "referral-form-manager": Scenario(signed_in(bob, "/referrals/new/", "Make a referral")),
    "referral-form-errors": Scenario(referral_form_with_errors),
    "referral-detail-decision": Scenario(referral_with_decision),
    "referral-queue": Scenario(signed_in(bob, "/referrals/", "Referral queue")),
    "my-referrals": Scenario(signed_in(rita, "/referrals/?state=all", "My referrals")),
    "case-list-manager": Scenario(signed_in(bob, "/cases/", "Cases")),
    "case-list-practitioner": Scenario(signed_in(alice, "/cases/", "Cases")),
    "case-detail-manager": Scenario(signed_in(bob, CASE, "Eligibility decision")),
    "case-detail-practitioner": Scenario(signed_in(alice, CASE, "Eligibility decision")),
    "case-success-banner": Scenario(case_with_success_banner),
    "case-allocate": Scenario(signed_in(bob, f"{CASE}allocate/", "Allocate case")),
    "case-allocate-errors": Scenario(allocate_with_errors),
    "case-audit": Scenario(signed_in(bob, f"{CASE}audit/", "Audit trail")),
}


def axe_violations(page: Page) -> tuple[int, str]:
    """How many axe rules the page breaks, and axe's report of them."""
    count = 0
    reports = []
    for context, options in ((None, RULES_RUN), (LANDMARKS_CONTEXT, LANDMARKS_RUN)):
        results = AXE.run(page, context=context, options=options)
        found: int = results.violations_count
        report: str = results.generate_report()
        if found:
            count += found
            reports.append(report)
    return count, "\n".join(reports)


@pytest.mark.browser
@pytest.mark.parametrize("name", list(SCENARIOS))
def test_page_has_no_accessibility_violations(
    name: str, page: Page, live_server: LiveServer, world: World, settings: Settings
) -> None:
    scenario = SCENARIOS[name]
    settings.IPIP_DEMO = scenario.demo
    scenario.visit(page, world, live_server)

    count, report = axe_violations(page)

    assert count == 0, f"{name} ({page.url}):\n{report}"


@pytest.mark.browser
def test_axe_reports_what_it_finds(page: Page, live_server: LiveServer, world: World) -> None:
    """axe really runs here, under the CSP: a missing label, a faint text and content
    outside every landmark are all reported, by rule id."""
    login(page, world, live_server)
    page.evaluate(
        """() => {
            const faint = document.createElement("p");
            faint.textContent = "Faint text";
            faint.style.color = "#c0c0c0";  // set through the CSSOM, which CSP allows
            document.querySelector("main").append(faint, document.createElement("input"));
            const stray = document.createElement("p");
            stray.textContent = "Outside every landmark";
            document.body.prepend(stray);
        }"""
    )

    count, report = axe_violations(page)

    assert count == 3
    for rule in ("label", "color-contrast", "region"):
        assert f"Rule Violated:\n{rule} - " in report, report
