"""The trial's randomisation key: read from settings, never stored in the database.

The key is returned as bytes to `randomisation.arm_at` and goes nowhere else: not into a
table, an audit row, a log line, an exception message or a page.
"""

import os
import secrets
from pathlib import Path

from django.conf import settings

from ipip.allocation.randomisation import MIN_KEY_BYTES
from ipip.core.errors import DomainError

KEY_MISSING = (
    "The trial's randomisation key is not set up, so the approach cannot be assigned at "
    "random. Ask your system administrator to set IPIP_RANDOMISATION_KEY."
)
KEY_INVALID = (
    "The trial's randomisation key is not valid, so the approach cannot be assigned at "
    f"random. Ask your system administrator to set IPIP_RANDOMISATION_KEY to at least "
    f"{MIN_KEY_BYTES} bytes written in hexadecimal."
)


class KeyNotReady(DomainError):
    """No usable randomisation key: allocation in trial mode is refused."""


def parse_key(text: str) -> bytes | None:
    """The key's bytes, or None when it is not hexadecimal of at least the minimum length."""
    try:
        key = bytes.fromhex(text.strip())
    except ValueError:
        return None
    return key if len(key) >= MIN_KEY_BYTES else None


def _demo_key(path: Path) -> str:
    """The demo's key: made once with the operating system's random source, readable by the
    owner only (0600), and reused after that."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text(encoding="utf-8").strip()
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(secrets.token_hex(MIN_KEY_BYTES) + "\n")
    return path.read_text(encoding="utf-8").strip()


def configured_key_text() -> str:
    text: str = settings.IPIP_RANDOMISATION_KEY
    if not text and settings.IPIP_DEMO:
        text = _demo_key(Path(settings.IPIP_RANDOMISATION_DEMO_KEY_PATH))
    return text


def randomisation_key() -> bytes:
    """The key as bytes, or `KeyNotReady` (a DomainError) with a message fit for a manager."""
    text = configured_key_text()
    if not text:
        raise KeyNotReady(KEY_MISSING)
    key = parse_key(text)
    if key is None:
        raise KeyNotReady(KEY_INVALID)
    return key


def key_is_ready() -> bool:
    try:
        randomisation_key()
    except KeyNotReady:
        return False
    return True
