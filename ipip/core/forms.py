"""Form pieces shared by every app: the GOV.UK date input and a base form.

The GOV.UK date input is three boxes (day, month, year). Its error messages follow the
Design System's wording and name the field, for example "Date of birth must include a
month". Render these fields with `{% govuk_field %}` from the `govuk` tag library.
"""

import re
from collections.abc import Sequence
from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from ipip.core.dates import MONTHS, long_date

DATE_PARTS = ("day", "month", "year")

# Month names and three-letter abbreviations are accepted as well as numbers, as GOV.UK advises.
_MONTH_NAMES = {name.lower(): number for number, name in enumerate(MONTHS, start=1)} | {
    name[:3].lower(): number for number, name in enumerate(MONTHS, start=1)
}
_DIGITS = re.compile(r"^\d+$")


class GovukDateWidget(forms.MultiWidget):
    """Three text boxes, day, month and year, posted as `<name>_0`, `<name>_1` and `<name>_2`.

    GOV.UK uses `type="text"` with `inputmode="numeric"` rather than `type="number"`.
    The tag library renders the boxes itself (see `includes/_field_date.html`); this widget
    supplies names, ids and the values typed, which are kept as typed after an error.
    """

    use_fieldset = True

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        box = {"inputmode": "numeric"}
        widgets = (
            forms.TextInput(attrs={**box, "autocomplete": "off"}),
            forms.TextInput(attrs={**box, "autocomplete": "off"}),
            forms.TextInput(attrs={**box, "autocomplete": "off"}),
        )
        super().__init__(widgets, attrs)

    def decompress(self, value: Any) -> list[Any]:
        if isinstance(value, date):
            return [value.day, value.month, value.year]
        return [None, None, None]

    def id_for_label(self, id_: str) -> str:
        # The error summary links to the day box.
        return f"{id_}_0" if id_ else ""


def _lower_first(text: str) -> str:
    """'Date of birth' -> 'date of birth', but leave 'GP registration date' alone."""
    if len(text) > 1 and text[0].isupper() and text[1].islower():
        return text[0].lower() + text[1:]
    return text


def _upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def _join_parts(parts: Sequence[str]) -> str:
    return " and ".join(parts)


class GovukDateField(forms.MultiValueField):
    """A date typed into three boxes; cleans to `datetime.date`, or None when optional and empty.

    Messages use `error_name` (default: the label), e.g. for "Date of birth":
      - all boxes empty, required: "Enter the date of birth"
      - some boxes empty: "Date of birth must include a month" / "... a day and year"
      - not a date (e.g. 31 2 2026, or letters): "Date of birth must be a real date"
      - a year without 4 digits: "Year must include 4 numbers"
      - with `past_only=True`, a future date: "Date of birth must be today or in the past"
      - with `min_value`/`max_value`: "Date of birth must be the same as or after 1 January 2020"
    A ValidationError's `params["parts"]` names the boxes to highlight.
    Pass `error_messages={"required": ..., "invalid": ...}` to override those two.
    """

    widget = GovukDateWidget

    def __init__(
        self,
        *,
        error_name: str | None = None,
        past_only: bool = False,
        min_value: date | None = None,
        max_value: date | None = None,
        **kwargs: Any,
    ) -> None:
        self._custom_messages: dict[str, str] = dict(kwargs.get("error_messages") or {})
        self.error_name = error_name
        self.past_only = past_only
        self.min_value = min_value
        self.max_value = max_value
        fields = (
            forms.CharField(required=False),
            forms.CharField(required=False),
            forms.CharField(required=False),
        )
        super().__init__(fields=fields, require_all_fields=False, **kwargs)

    # -- messages -----------------------------------------------------------------

    def _name(self) -> str:
        return str(self.error_name or self.label or "Date")

    def _error(
        self, code: str, message: str, parts: Sequence[str] = DATE_PARTS
    ) -> ValidationError:
        message = self._custom_messages.get(code, message)
        # The message is %-formatted with params by Django: escape any % in a label.
        return ValidationError(
            message.replace("%", "%%"), code=code, params={"parts": tuple(parts)}
        )

    # -- cleaning -----------------------------------------------------------------

    def compress(self, data_list: list[Any]) -> date | None:
        # Unused: clean() below does the whole job, with GOV.UK messages.
        raise NotImplementedError

    def clean(self, value: Any) -> date | None:
        if isinstance(value, date):  # a disabled field's initial value
            return value
        values = list(value) if isinstance(value, list | tuple) else [None, None, None]
        values = [*values, None, None, None][:3]
        day_s, month_s, year_s = (str(v).strip() if v is not None else "" for v in values)
        result = self._parse(day_s, month_s, year_s)
        if result is not None:
            self._check_range(result)
            self.run_validators(result)
        return result

    def _parse(self, day_s: str, month_s: str, year_s: str) -> date | None:
        name = self._name()
        typed = {"day": day_s, "month": month_s, "year": year_s}
        missing = [part for part in DATE_PARTS if not typed[part]]
        if len(missing) == 3:
            if self.required:
                raise self._error("required", f"Enter the {_lower_first(name)}")
            return None
        if missing:
            raise self._error(
                "incomplete",
                f"{_upper_first(name)} must include a {_join_parts(missing)}",
                missing,
            )

        month = _MONTH_NAMES.get(month_s.lower())
        if month is None and _DIGITS.match(month_s):
            month = int(month_s)
        bad = [
            part for part, text in (("day", day_s), ("year", year_s)) if not _DIGITS.match(text)
        ]
        if month is None:
            bad.insert(1 if "day" in bad else 0, "month")
        if bad:
            raise self._error("invalid", f"{_upper_first(name)} must be a real date", bad)
        if len(year_s) != 4:
            raise self._error("year_length", "Year must include 4 numbers", ["year"])
        assert month is not None
        real_date = f"{_upper_first(name)} must be a real date"
        if not 1 <= month <= 12:
            raise self._error("invalid", real_date, ["month"])
        if int(year_s) < 1:
            raise self._error("invalid", real_date, ["year"])
        try:
            return date(int(year_s), month, int(day_s))
        except ValueError:
            raise self._error("invalid", real_date, ["day"]) from None

    def _check_range(self, value: date) -> None:
        name = _upper_first(self._name())
        if self.past_only and value > timezone.localdate():
            raise self._error("future", f"{name} must be today or in the past")
        if self.min_value is not None and value < self.min_value:
            raise self._error(
                "min_value", f"{name} must be the same as or after {long_date(self.min_value)}"
            )
        if self.max_value is not None and value > self.max_value:
            raise self._error(
                "max_value", f"{name} must be the same as or before {long_date(self.max_value)}"
            )

    def has_changed(self, initial: Any, data: Any) -> bool:
        if self.disabled:
            return False
        try:
            cleaned = self.clean(data)
        except ValidationError:
            return True
        initial_date = initial if isinstance(initial, date) else None
        return cleaned != initial_date


class GovukForm(forms.Form):
    """A base form for GOV.UK pages.

    - No `required` attributes: the browser's own messages would pre-empt GOV.UK's, which
      are clearer and shown in the error summary.
    - The field's `label_suffix` is empty (GOV.UK labels have no trailing colon).
    """

    use_required_attribute = False

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class VersionForm(forms.Form):
    """A hidden version: the action refuses the write if the record changed meanwhile."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
