"""`seed_demo_data`: demo people with the published password, and fake families; demo only."""

from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.core.management.base import CommandError
from pytest_django.fixtures import Settings

from ipip.accounts.models import Role, User
from ipip.cases.models import Case, CaseStatus, Family
from ipip.core.management.commands.seed_demo_data import DEMO_PASSWORD
from ipip.referrals.models import Referral

pytestmark = pytest.mark.django_db


def seed(families: int = 30) -> str:
    out = StringIO()
    call_command("seed_demo_data", "--families", str(families), stdout=out)
    return out.getvalue()


@pytest.fixture
def demo(settings: Settings) -> None:
    settings.IPIP_DEMO = True


@pytest.mark.usefixtures("demo")
def test_creates_one_of_each_role_with_the_demo_password() -> None:
    out = seed()
    expected = {
        "manager.hull@demo.ipip.test": Role.CENTRE_MANAGER,
        "practitioner1.sheffield@demo.ipip.test": Role.PRACTITIONER,
        "practitioner2.belfast@demo.ipip.test": Role.PRACTITIONER,
        "lead@demo.ipip.test": Role.NATIONAL_LEAD,
        "evaluator@demo.ipip.test": Role.EVALUATOR,
        "admin@demo.ipip.test": Role.ADMINISTRATOR,
        "referrer.school@demo.ipip.test": Role.REFERRER,
    }
    for email, role in expected.items():
        user = User.objects.get(email=email)
        assert user.role == role
        assert user.check_password(DEMO_PASSWORD)
        assert user.first_name and user.last_name
        assert email in out
    assert User.objects.get(email="manager.hull@demo.ipip.test").area is not None
    health = User.objects.get(email="referrer.health_visitor@demo.ipip.test")
    assert health.agency_type == "health_visitor" and health.agency_name
    assert authenticate(email="lead@demo.ipip.test", password=DEMO_PASSWORD) is not None
    assert User.objects.filter(role=Role.CENTRE_MANAGER).count() == 8
    assert User.objects.filter(role=Role.PRACTITIONER).count() == 16
    assert DEMO_PASSWORD in out


@pytest.mark.usefixtures("demo")
def test_generates_families_with_the_demo_people() -> None:
    seed(families=40)
    assert Family.objects.count() == 40
    # generate_families reused the demo's referrers and practitioners, creating nobody.
    assert not User.objects.exclude(email__endswith="@demo.ipip.test").exists()
    referrers = set(Referral.objects.values_list("referred_by__email", flat=True))
    assert referrers <= set(
        User.objects.filter(role=Role.REFERRER).values_list("email", flat=True)
    )
    allocated = Case.objects.exclude(status=CaseStatus.ACCEPTED)
    assert all(case.allocated_to is not None for case in allocated.select_related("allocated_to"))
    for case in allocated.select_related("allocated_to"):
        assert case.allocated_to is not None
        assert case.allocated_to.email.startswith("practitioner")


@pytest.mark.usefixtures("demo")
def test_running_again_keeps_people_and_families() -> None:
    seed(families=10)
    people = User.objects.count()
    out = seed(families=10)
    assert User.objects.count() == people
    assert Family.objects.count() == 10
    assert "already present" in out


def test_refuses_outside_the_demo(settings: Settings) -> None:
    settings.IPIP_DEMO = False
    with pytest.raises(CommandError, match="IPIP_DEMO"):
        seed()
    assert not User.objects.exists()
