"""GOV.UK Design System form rendering and small display filters.

    {% load govuk %}
    {% govuk_error_summary form %}                  {# or a formset, or a list of them #}
    {% govuk_field form.email %}
    {% govuk_field form.reason label_size="m" hint="Say why" classes="govuk-input--width-20" %}
    {% govuk_field form.outcome page_heading=True label_size="l" %}
    {{ referral.received_on|long_date }}
    <strong class="govuk-tag {{ referral.status|govuk_tag_colour }}">...</strong>

Each field gets the element id `bound_field.id_for_label` (for radios and checkboxes,
the first option's id; for the date input, the day box), and the error summary links to it.
Errors appear as `govuk-error-message` with a visually hidden "Error:" prefix, and the
values that were typed are kept when the page is shown again.
"""

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from django import forms, template
from django.core.paginator import Page
from django.forms import BoundField
from django.forms.formsets import BaseFormSet
from django.forms.widgets import (
    CheckboxInput,
    CheckboxSelectMultiple,
    ClearableFileInput,
    FileInput,
    HiddenInput,
    Input,
    MultipleHiddenInput,
    RadioSelect,
    Select,
    Textarea,
)
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

from ipip.core import dates
from ipip.core.forms import DATE_PARTS, GovukDateWidget

register = template.Library()

LABEL_SIZES = frozenset({"s", "m", "l", "xl"})
BLANK_CHOICE_LABEL = "---------"

TAG_COLOURS: dict[str, str] = {
    # eligibility decisions and criteria
    "eligible": "govuk-tag--green",
    "not_eligible": "govuk-tag--red",
    "needs_information": "govuk-tag--yellow",
    "met": "govuk-tag--green",
    "not_met": "govuk-tag--red",
    "unknown": "govuk-tag--yellow",
    # referral and case statuses
    "received": "govuk-tag--blue",
    "screened": "govuk-tag--light-blue",
    "accepted": "govuk-tag--green",
    "declined": "govuk-tag--grey",
    "allocated": "govuk-tag--turquoise",
    "active": "govuk-tag--green",
    "closed": "govuk-tag--grey",
}


# ---------------------------------------------------------------------------------------
# Fields
# ---------------------------------------------------------------------------------------


def _is_choice_list(widget: forms.Widget) -> bool:
    return isinstance(widget, RadioSelect)  # CheckboxSelectMultiple is a RadioSelect


def _choice_items(bound_field: BoundField) -> list[dict[str, Any]]:
    """The options of a radios or checkboxes field, with the ones chosen (or posted) checked."""
    items = []
    for sub in bound_field.subwidgets:
        data = sub.data
        label = str(data["label"])
        value = "" if data["value"] is None else str(data["value"])
        if value == "" and label == BLANK_CHOICE_LABEL:
            continue  # a model field's blank choice makes no sense as a radio
        items.append(
            {
                "id": sub.id_for_label or f"{bound_field.html_name}_{data['index']}",
                "name": data["name"],
                "value": value,
                "label": label,
                "checked": bool(data["selected"]),
            }
        )
    return items


def field_id(bound_field: BoundField) -> str:
    """The id the error summary links to: the input, the first option, or the day box."""
    if _is_choice_list(bound_field.field.widget):
        items = _choice_items(bound_field)
        if items:
            return str(items[0]["id"])
    return str(bound_field.id_for_label or bound_field.auto_id or bound_field.html_name)


def _base_id(bound_field: BoundField) -> str:
    """The id that hint and error ids derive from."""
    return str(bound_field.auto_id or bound_field.html_name)


def _error_parts(bound_field: BoundField) -> set[str]:
    """Which date boxes to highlight: those a GovukDateField error names, else all three."""
    parts: set[str] = set()
    for error in bound_field.errors.as_data():
        params: object = getattr(error, "params", None)
        named = params.get("parts") if isinstance(params, dict) else None
        if not named:
            return set(DATE_PARTS)
        parts.update(named)
    return parts


def _join_classes(*classes: object) -> str:
    return " ".join(str(c) for c in classes if c)


def _render_hidden(bound_field: BoundField) -> SafeString:
    return mark_safe(str(bound_field))  # noqa: S308  # Django's own escaped widget HTML


@register.simple_tag
def govuk_field(
    bound_field: BoundField,
    *,
    label: str | None = None,
    label_size: str = "",
    page_heading: bool = False,
    hint: str | None = None,
    classes: str = "",
) -> SafeString:
    """One form field as GOV.UK markup: form group, label or legend, hint, error, control.

    label: replaces the field's label. label_size: "s", "m", "l" or "xl".
    page_heading: wrap the label (or legend) in the page's <h1>.
    hint: replaces the field's help_text. classes: extra classes on the control, e.g.
    "govuk-input--width-10", or "govuk-radios--small" on radios.
    Radios are inline with `forms.RadioSelect(attrs={"inline": True})`.
    """
    widget = bound_field.field.widget
    if isinstance(widget, HiddenInput | MultipleHiddenInput):
        return _render_hidden(bound_field)
    if label_size and label_size not in LABEL_SIZES:
        raise template.TemplateSyntaxError(f"govuk_field: label_size must be one of {LABEL_SIZES}")

    base_id = _base_id(bound_field)
    errors = [str(e) for e in bound_field.errors]
    help_text = bound_field.help_text
    hint_html = (
        conditional_escape(hint)
        if hint is not None
        else mark_safe(str(help_text))  # noqa: S308  # help_text is set in code, as in Django's own templates
        if help_text
        else ""
    )
    hint_id = f"{base_id}-hint" if hint_html else ""
    error_id = f"{base_id}-error" if errors else ""
    described_by = _join_classes(hint_id, error_id)
    is_fieldset = isinstance(widget, GovukDateWidget) or _is_choice_list(widget)
    label_base = "govuk-fieldset__legend" if is_fieldset else "govuk-label"
    context: dict[str, Any] = {
        "field": bound_field,
        "id": field_id(bound_field),
        "base_id": base_id,
        "label": bound_field.label if label is None else label,
        "label_class": _join_classes(label_base, label_size and f"{label_base}--{label_size}"),
        "page_heading": page_heading,
        "hint": hint_html,
        "hint_id": hint_id,
        "errors": errors,
        "error_id": error_id,
        "described_by": described_by,
        "disabled": bound_field.field.disabled,
    }

    if isinstance(widget, GovukDateWidget):
        template_name = "includes/_field_date.html"
        context["boxes"] = _date_boxes(bound_field, _error_parts(bound_field) if errors else set())
    elif isinstance(widget, RadioSelect):
        multiple = isinstance(widget, CheckboxSelectMultiple)
        kind = "checkboxes" if multiple else "radios"
        template_name = f"includes/_field_{kind}.html"
        context["items"] = _choice_items(bound_field)
        context["input_type"] = "checkbox" if multiple else "radio"
        context["control_class"] = _join_classes(
            f"govuk-{kind}",
            widget.attrs.get("inline") and not multiple and "govuk-radios--inline",
            widget.attrs.get("small") and f"govuk-{kind}--small",
            classes,
        )
    elif isinstance(widget, CheckboxInput):
        template_name = "includes/_field_checkbox.html"
        context["control"] = _widget_html(
            bound_field, "govuk-checkboxes__input", "", classes, described_by
        )
    else:
        template_name = "includes/_field.html"
        if isinstance(widget, Textarea):
            base, error = "govuk-textarea", "govuk-textarea--error"
        elif isinstance(widget, Select):
            base, error = "govuk-select", "govuk-select--error"
        elif isinstance(widget, FileInput | ClearableFileInput):
            base, error = "govuk-file-upload", "govuk-file-upload--error"
        elif isinstance(widget, Input):
            base, error = "govuk-input", "govuk-input--error"
        else:
            base, error = "", ""
        context["control"] = _widget_html(
            bound_field, base, error if errors else "", classes, described_by
        )
    return mark_safe(render_to_string(template_name, context))  # noqa: S308  # autoescaped template


def _widget_html(
    bound_field: BoundField, base: str, error: str, classes: str, described_by: str
) -> SafeString:
    """Django's own widget HTML (value, type and attributes kept), with GOV.UK classes."""
    attrs: dict[str, Any] = {
        "class": _join_classes(base, error, bound_field.field.widget.attrs.get("class"), classes),
        "placeholder": False,  # GOV.UK: no placeholder text; hints go above the input
        "inline": False,
        "small": False,
    }
    if described_by:
        attrs["aria-describedby"] = described_by
    return bound_field.as_widget(attrs=attrs)


def _date_boxes(bound_field: BoundField, error_parts: set[str]) -> list[dict[str, Any]]:
    widget = bound_field.field.widget
    attrs = {"id": _base_id(bound_field)}
    context = widget.get_context(bound_field.html_name, bound_field.value(), attrs)
    boxes = []
    for part, sub in zip(DATE_PARTS, context["widget"]["subwidgets"], strict=True):
        value = sub["value"]
        boxes.append(
            {
                "part": part,
                "label": part.capitalize(),
                "id": sub["attrs"]["id"],
                "name": sub["name"],
                "value": "" if value is None else str(value),
                "width": "govuk-input--width-4" if part == "year" else "govuk-input--width-2",
                "error": part in error_parts,
            }
        )
    return boxes


# ---------------------------------------------------------------------------------------
# Error summary
# ---------------------------------------------------------------------------------------


def _collect_errors(obj: object, items: list[dict[str, str]]) -> None:
    if obj is None or isinstance(obj, str | bytes):
        return
    if isinstance(obj, BaseFormSet):
        items.extend({"text": str(e), "href": ""} for e in obj.non_form_errors())
        for form in obj.forms:
            _collect_errors(form, items)
    elif isinstance(obj, forms.BaseForm):
        if not obj.is_bound:
            return
        items.extend({"text": str(e), "href": ""} for e in obj.non_field_errors())
        for bound_field in obj:
            href = "" if bound_field.is_hidden else f"#{field_id(bound_field)}"
            items.extend({"text": str(e), "href": href} for e in bound_field.errors)
    elif isinstance(obj, Iterable):
        for part in obj:
            _collect_errors(part, items)


def error_items(obj: object) -> list[dict[str, str]]:
    """Every error in a form, a formset or a list of them: [{"text", "href"}], in page order."""
    items: list[dict[str, str]] = []
    _collect_errors(obj, items)
    return items


@register.simple_tag
def govuk_error_summary(
    forms_or_formsets: object, *, title: str = "There is a problem"
) -> SafeString:
    """The GOV.UK error summary for a form, a formset or a list of forms and formsets.

    Renders nothing when there are no errors. Field errors link to the field's id.
    """
    items = error_items(forms_or_formsets)
    if not items:
        return SafeString("")
    html = render_to_string("includes/_error_summary.html", {"error_list": items, "title": title})
    return mark_safe(html)  # noqa: S308  # autoescaped template


@register.simple_tag
def govuk_error_prefix(forms_or_formsets: object) -> str:
    """ "Error: " when there are errors, for the start of the page <title>, as GOV.UK asks."""
    return "Error: " if error_items(forms_or_formsets) else ""


# ---------------------------------------------------------------------------------------
# Filters
# ---------------------------------------------------------------------------------------


@register.filter
def long_date(value: date | datetime | None) -> str:
    """12 March 2026. A datetime is shown as its date in the local time zone."""
    if not value:
        return ""
    if isinstance(value, datetime):
        value = timezone.localdate(value) if timezone.is_aware(value) else value.date()
    return dates.long_date(value)


@register.filter
def govuk_tag_colour(value: object) -> str:
    """The `govuk-tag--<colour>` modifier class for a status or outcome code, or ""."""
    return TAG_COLOURS.get(str(value), "") if value is not None else ""


@register.filter
def govuk_field_id(bound_field: BoundField) -> str:
    """The id an error link should point to for this field."""
    return field_id(bound_field)


@register.filter
def govuk_page_range(page_obj: Page[Any]) -> list[int | None]:
    """Page numbers around the current page, None where GOV.UK shows an ellipsis."""
    elided = page_obj.paginator.get_elided_page_range(page_obj.number, on_each_side=1, on_ends=1)
    return [n if isinstance(n, int) else None for n in elided]
