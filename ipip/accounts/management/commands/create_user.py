"""`manage.py create_user EMAIL --role ROLE [...]`: an account with no password yet.

This is how the first administrator is made; administrators then add everyone else at
/settings/users/. The person chooses a password through the password reset page.
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.urls import reverse

from ipip.accounts.actions import do_create_user
from ipip.accounts.models import AgencyType, Area, Role
from ipip.accounts.rules import InvalidAccount


class Command(BaseCommand):
    help = (
        "Create a user with no usable password (e.g. the first administrator). They set a "
        "password through the password reset page, then enrol an authenticator app."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email", help="The email address they will sign in with.")
        parser.add_argument("--role", required=True, choices=[r.value for r in Role])
        parser.add_argument(
            "--area", default="", help="Area name, for practitioners and centre managers."
        )
        parser.add_argument(
            "--agency-type",
            default="",
            choices=["", *(t.value for t in AgencyType)],
            help="For referrers.",
        )
        parser.add_argument("--agency-name", default="", help="For referrers.")
        parser.add_argument("--first-name", default="")
        parser.add_argument("--last-name", default="")

    def handle(self, *args: Any, **options: Any) -> None:
        area = None
        if options["area"]:
            area = Area.objects.filter(name__iexact=options["area"], is_served=True).first()
            if area is None:
                names = ", ".join(
                    Area.objects.filter(is_served=True).values_list("name", flat=True)
                )
                raise CommandError(f"There is no served area called that. Areas: {names}.")
        try:
            user = do_create_user(
                email=options["email"],
                first_name=options["first_name"],
                last_name=options["last_name"],
                role=Role(options["role"]),
                area=area,
                agency_type=options["agency_type"],
                agency_name=options["agency_name"],
                acting_user=None,
            )
        except InvalidAccount as err:
            problems = "; ".join(f"{field}: {msg}" for field, msg in err.errors.items())
            raise CommandError(problems) from None
        self.stdout.write(
            f"Created {user} with no password yet. Next:\n"
            f"  1. They open the password reset page ({reverse('account_reset_password')}) "
            "and enter their email address; the email it sends lets them choose a password.\n"
            "  2. They sign in and set up an authenticator app when ipip asks.\n"
            "No email has been sent by this command."
        )
