"""`manage.py create_api_token EMAIL --name NAME`: a bearer token for the API, shown once."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ipip.accounts.actions import do_create_api_token
from ipip.accounts.models import User

MAX_NAME_LENGTH = 80


class Command(BaseCommand):
    help = (
        "Create an API token for an existing, active user and print it once. "
        "Only its hash is stored: it cannot be shown again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email", help="The email address the user signs in with.")
        parser.add_argument(
            "--name", required=True, help="What the token is for, e.g. 'Sheffield HV team import'."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        name = " ".join(str(options["name"]).split())
        if not name or len(name) > MAX_NAME_LENGTH:
            raise CommandError(f"Give the token a name of 1 to {MAX_NAME_LENGTH} characters.")
        user = User.objects.filter(email__iexact=options["email"], is_active=True).first()
        if user is None:
            raise CommandError("There is no active user with that email address.")
        token, raw = do_create_api_token(user, name=name)
        # The token alone on stdout, so a script can capture it; the advice on stderr.
        self.stdout.write(raw)
        self.stderr.write(
            f"Token {token.prefix}… created for {user}. Store it now: it cannot be shown again.",
            style_func=str,  # advice, not an error: no red
        )
