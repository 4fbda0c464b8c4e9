"""`manage.py seed_demo_data`: demo staff with a known password, fake families, and what the
service has delivered to their cases (visits, consent, VIG and PTP work, goals, safeguarding,
questionnaires).

Only for the demo (settings.IPIP_DEMO): the password is printed and the same everywhere.
Run again, it keeps the people already there and adds no second set of families (nor
delivery records or questionnaires for cases that have them).
"""

from typing import Any, Final, NamedTuple

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone
from faker import Faker

from ipip.accounts.models import AgencyType, Area, Role, User
from ipip.cases.management.commands.generate_families import SERVICE_MONTHS, add_months
from ipip.cases.models import Family

DEMO_PASSWORD: Final = "demo-password-2026"  # noqa: S105  # the demo's published password
DEMO_DOMAIN: Final = "demo.ipip.test"
DEMO_SEED: Final = 2026


class Login(NamedTuple):
    email: str
    role: Role
    area: Area | None
    agency_type: str = ""


def demo_logins(areas: list[Area]) -> list[Login]:
    """Everyone the demo signs in as: managers and practitioners per area, then the rest."""
    logins: list[Login] = []
    for area in areas:
        slug = "-".join(area.name.lower().split())
        logins.append(Login(f"manager.{slug}@{DEMO_DOMAIN}", Role.CENTRE_MANAGER, area))
        logins.extend(
            Login(f"practitioner{n}.{slug}@{DEMO_DOMAIN}", Role.PRACTITIONER, area) for n in (1, 2)
        )
    logins += [
        Login(f"lead@{DEMO_DOMAIN}", Role.NATIONAL_LEAD, None),
        Login(f"evaluator@{DEMO_DOMAIN}", Role.EVALUATOR, None),
        Login(f"admin@{DEMO_DOMAIN}", Role.ADMINISTRATOR, None),
    ]
    logins.extend(
        Login(f"referrer.{agency.value}@{DEMO_DOMAIN}", Role.REFERRER, None, agency.value)
        for agency in AgencyType
    )
    return logins


def _agency_name(agency_type: str, fake: Any) -> str:  # Faker is untyped
    return {
        AgencyType.HEALTH_VISITOR: f"{fake.last_name()} Health Centre, health visiting team",
        AgencyType.SCHOOL: f"{fake.last_name()} Primary School",
        AgencyType.EARLY_HELP: f"{fake.last_name()} Early Help Hub",
    }.get(AgencyType(agency_type), f"{fake.last_name()} Family Support")


class Command(BaseCommand):
    help = (
        "Create the demo's staff (password printed) and generate fake families, their "
        "delivery records and questionnaires. Demo only."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--families",
            type=int,
            default=200,
            help="families to generate when none are on record yet (default 200; 0 for none)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.IPIP_DEMO:
            raise CommandError(
                "seed_demo_data creates accounts with a published password: it runs only "
                "with IPIP_DEMO=1, never on a real service."
            )
        families: int = options["families"]
        if families < 0:
            raise CommandError("--families cannot be negative.")
        areas = list(Area.objects.filter(is_served=True).order_by("name"))
        if not areas:
            raise CommandError("No served areas are on record: run `manage.py migrate` first.")
        logins = demo_logins(areas)
        created = self._create_people(logins)
        self.stdout.write(
            f"Demo people: {created} created, {len(logins) - created} already present."
        )
        if families and Family.objects.exists():
            self.stdout.write("Families are already on record: no more are generated.")
        elif families:
            # The demo's service period ends today, so it has families waiting, active and closed.
            start = add_months(timezone.localdate(), -SERVICE_MONTHS)
            call_command(
                "generate_families", str(families), seed=DEMO_SEED, start=start, stdout=self.stdout
            )
        if families:
            # What the service has done with the cases since (none twice: it skips cases
            # that already have delivery records).
            call_command("generate_delivery", seed=DEMO_SEED, stdout=self.stdout)
            # Then the questionnaires at the time points that have come (none twice either).
            call_command("generate_questionnaires", seed=DEMO_SEED, stdout=self.stdout)
        self._print_logins(logins)

    @transaction.atomic
    def _create_people(self, logins: list[Login]) -> int:
        fake = Faker("en_GB")
        fake.seed_instance(DEMO_SEED)
        existing = set(
            User.objects.filter(email__in=[login.email for login in logins]).values_list(
                "email", flat=True
            )
        )
        created = 0
        # One hash for every demo login: hashing is deliberately slow, and these are fake.
        hashed = make_password(DEMO_PASSWORD)
        for login in logins:
            first_name, last_name = fake.first_name(), fake.last_name()
            agency_name = _agency_name(login.agency_type, fake) if login.agency_type else ""
            if login.email in existing:
                continue
            User.objects.create(
                email=login.email,
                password=hashed,
                first_name=first_name,
                last_name=last_name,
                role=login.role,
                area=login.area,
                agency_type=login.agency_type,
                agency_name=agency_name,
            )
            created += 1
        return created

    def _print_logins(self, logins: list[Login]) -> None:
        rows = [("Email", "Role", "Area")]
        for login in logins:
            role = str(login.role.label)
            if login.agency_type:
                role = f"Referrer: {str(AgencyType(login.agency_type).label).lower()}"
            rows.append((login.email, role, login.area.name if login.area else "all areas"))
        widths = [max(len(row[i]) for row in rows) for i in range(2)]
        self.stdout.write("")
        for n, (email, role, area) in enumerate(rows):
            self.stdout.write(f"{email:<{widths[0]}}  {role:<{widths[1]}}  {area}")
            if n == 0:
                self.stdout.write(f"{'-' * widths[0]}  {'-' * widths[1]}  {'-' * 12}")
        self.stdout.write("")
        self.stdout.write(f"Password for every demo login: {DEMO_PASSWORD}")
