"""Minutes:seconds in a film, typed and shown. No database."""

from decimal import Decimal

import pytest

from ipip.vig.rules import FILM_MAX_SECONDS, format_clock, parse_clock


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("0:00", Decimal("0")),
        ("1:05", Decimal("65")),
        (" 12:30 ", Decimal("750")),
        ("95:00", Decimal("5700")),
        ("1:05.5", Decimal("65.5")),
        ("0:01.125", Decimal("1.125")),
    ],
)
def test_parse_clock(text: str, seconds: Decimal) -> None:
    assert parse_clock(text) == seconds


@pytest.mark.parametrize(
    "text", ["", "65", "1:5", "1:60", "1.05", "a:bc", "-1:00", "1:05.1234", "1:05:00", "1000:00"]
)
def test_parse_clock_refuses_what_is_not_minutes_and_seconds(text: str) -> None:
    assert parse_clock(text) is None


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (0, "0:00"),
        (65, "1:05"),
        (Decimal("65.500"), "1:05.5"),
        (Decimal("1.125"), "0:01.125"),
        (FILM_MAX_SECONDS, "120:00"),
    ],
)
def test_format_clock(seconds: Decimal | int, text: str) -> None:
    assert format_clock(seconds) == text


def test_round_trip() -> None:
    for text in ("0:00", "9:59", "10:00.25"):
        parsed = parse_clock(text)
        assert parsed is not None
        assert format_clock(parsed) == text
