"""Times within a film, typed and shown as minutes:seconds. Pure: no ORM."""

import re
from decimal import ROUND_HALF_UP, Decimal
from typing import Final

# A VIG film is about ten minutes; two hours is a generous ceiling that still catches typos.
FILM_MAX_SECONDS: Final = 2 * 60 * 60

# 1:05, 12:30, 95:00 or 1:05.5: minutes may pass 59 (no hours box); seconds may not.
_CLOCK = re.compile(r"^(?P<minutes>\d{1,3}):(?P<seconds>[0-5]\d)(?:\.(?P<fraction>\d{1,3}))?$")
_MS = Decimal("0.001")


def parse_clock(text: str) -> Decimal | None:
    """Seconds from `m:ss` (optionally `m:ss.s` to the millisecond); None when not a time."""
    match = _CLOCK.match(text.strip())
    if match is None:
        return None
    whole = int(match["minutes"]) * 60 + int(match["seconds"])
    fraction = Decimal(f"0.{match['fraction']}") if match["fraction"] else Decimal(0)
    return (Decimal(whole) + fraction).quantize(_MS)


def format_clock(seconds: Decimal | int) -> str:
    """`m:ss`, with a fraction only when there is one: 65 -> "1:05", 65.5 -> "1:05.5"."""
    value = Decimal(seconds).quantize(_MS, rounding=ROUND_HALF_UP)
    whole = int(value)
    minutes, secs = divmod(whole, 60)
    fraction = value - whole
    text = f"{minutes}:{secs:02d}"
    if fraction:
        text += str(fraction.normalize())[1:]  # ".5" from "0.5"
    return text
