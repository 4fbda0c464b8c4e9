"""Plain-language dates, as GOV.UK writes them: 12 March 2026. Pure (no Django): the eligibility rules use it."""

from datetime import date

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def long_date(value: date) -> str:
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


def whole_months_between(start: date, end: date) -> int:
    """Completed months from `start` to `end` (an age in months): 2020-03-15 to 2024-03-14
    is 47, to 2024-03-15 is 48."""
    months = (end.year - start.year) * 12 + end.month - start.month
    if end.day < start.day:
        months -= 1
    return months
