"""Deploy checks for the trial's randomisation key (run by `manage.py check --deploy`)."""

from collections.abc import Sequence

from django.apps import AppConfig
from django.conf import settings
from django.core import checks

from ipip.allocation.keys import parse_key


@checks.register(checks.Tags.security, deploy=True)
def check_randomisation_key(
    app_configs: Sequence[AppConfig] | None, **kwargs: object
) -> list[checks.CheckMessage]:
    # The messages never include the key itself.
    text: str = settings.IPIP_RANDOMISATION_KEY
    if not text:
        return [
            checks.Warning(
                "IPIP_RANDOMISATION_KEY is not set: allocation in trial mode will be refused.",
                hint="Set IPIP_RANDOMISATION_KEY (or IPIP_RANDOMISATION_KEY_FILE) to a random "
                "hex key of at least 32 bytes, kept outside the database.",
                id="ipip.W101",
            )
        ]
    if parse_key(text) is None:
        return [
            checks.Error(
                "IPIP_RANDOMISATION_KEY is not a hex key of at least 32 bytes.",
                hint="Generate one with: python -c 'import secrets; print(secrets.token_hex(32))'",
                id="ipip.E101",
            )
        ]
    return []
