"""The randomisation key: where it comes from, the deploy check, and that it leaks nowhere."""

import stat
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from pytest_django import Settings

from ipip.accounts.models import User
from ipip.allocation.checks import check_randomisation_key
from ipip.allocation.keys import KEY_MISSING, KeyNotReady, key_is_ready, randomisation_key
from ipip.allocation.models import TrialAssignment
from ipip.allocation.tests.conftest import research_consent, trial_on
from ipip.cases.models import Case

pytestmark = pytest.mark.django_db


def test_tests_use_a_fixed_fake_key(settings: Settings) -> None:
    assert randomisation_key() == bytes.fromhex(settings.IPIP_RANDOMISATION_KEY)
    assert key_is_ready()


def test_the_demo_generates_a_key_readable_by_its_owner_only(
    settings: Settings, tmp_path: Path
) -> None:
    path = tmp_path / "var" / "randomisation.key"
    settings.IPIP_RANDOMISATION_KEY = ""
    settings.IPIP_DEMO = True
    settings.IPIP_RANDOMISATION_DEMO_KEY_PATH = path
    key = randomisation_key()
    assert len(key) == 32
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert path.read_text().strip() == key.hex()
    assert randomisation_key() == key  # made once, then reused


def test_without_the_demo_a_missing_key_is_refused_and_no_file_is_made(
    settings: Settings, tmp_path: Path
) -> None:
    settings.IPIP_RANDOMISATION_KEY = ""
    settings.IPIP_DEMO = False
    settings.IPIP_RANDOMISATION_DEMO_KEY_PATH = tmp_path / "randomisation.key"
    with pytest.raises(KeyNotReady) as err:
        randomisation_key()
    assert str(err.value) == KEY_MISSING
    assert not key_is_ready()
    assert not (tmp_path / "randomisation.key").exists()


def test_deploy_check_warns_when_the_key_is_unset(settings: Settings) -> None:
    settings.IPIP_RANDOMISATION_KEY = ""
    (message,) = check_randomisation_key(None)
    assert message.id == "ipip.W101" and "trial mode will be refused" in message.msg


def test_deploy_check_refuses_a_bad_key_without_showing_it(settings: Settings) -> None:
    settings.IPIP_RANDOMISATION_KEY = "not-hex-at-all-but-secret"
    (message,) = check_randomisation_key(None)
    assert message.id == "ipip.E101"
    assert "not-hex-at-all-but-secret" not in f"{message.msg} {message.hint}"


def test_deploy_check_passes_a_good_key(settings: Settings) -> None:
    settings.IPIP_RANDOMISATION_KEY = "ab" * 32
    assert check_randomisation_key(None) == []


def _every_stored_value() -> list[str]:
    """Every value in every table, as text (bytes as hex too)."""
    values: list[str] = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608  # table names come from the database itself
            for row in cursor.fetchall():
                for value in row:
                    if isinstance(value, bytes | memoryview):
                        values.append(bytes(value).hex())
                    elif value is not None:
                        values.append(str(value))
    return values


def test_the_key_is_in_no_table_page_or_log_after_a_trial_allocation(
    client: Client,
    accepted_case: Case,
    alice: User,
    bob: User,
    settings: Settings,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level("DEBUG")
    hex_key = settings.IPIP_RANDOMISATION_KEY.lower()
    trial_on("Sheffield", by=bob)
    research_consent(accepted_case, by=bob)
    client.force_login(bob)
    pages = [client.get(reverse("cases:allocate", args=[accepted_case.public_id]))]
    pages.append(
        client.post(
            reverse("cases:allocate", args=[accepted_case.public_id]),
            {"version": accepted_case.version, "practitioner": alice.pk},
            follow=True,
        )
    )
    assert TrialAssignment.objects.filter(case=accepted_case).exists()
    for name in ("allocation:trial", "allocation:waiting-list", "allocation:capacity"):
        pages.append(client.get(reverse(name)))
    pages.append(client.get(reverse("cases:audit", args=[accepted_case.public_id])))

    stored = _every_stored_value()
    assert len(stored) > 100  # the dump really read the tables
    raw = bytes.fromhex(hex_key).decode("latin-1")
    for value in stored:
        assert hex_key not in value.lower()  # as hex, in either case
        assert raw not in value  # as the raw bytes
    for page in pages:
        assert page.status_code == 200
        assert hex_key not in page.content.decode().lower()
    assert hex_key not in caplog.text.lower()
