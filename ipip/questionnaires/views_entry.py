"""Entering questionnaires: start one, answer it page by page on a tablet with the parent
(or type in the scores of a scores-only instrument), save part-way, check and complete it,
read it, and correct a completed one with a reason.

Every write goes through `questionnaires.actions`; an `AnswerError` is shown next to the
field it names and in the error summary, with what was typed kept. Pages that show
answers record QUESTIONNAIRE_VIEWED.
"""

from dataclasses import dataclass
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from ipip.audit.events import Action
from ipip.audit.record import record
from ipip.cases.models import Case, Child
from ipip.core.errors import DomainError
from ipip.core.http import AuthenticatedHttpRequest
from ipip.core.templatetags.govuk import error_items
from ipip.questionnaires import actions
from ipip.questionnaires.access import get_administration_for_user, get_questionnaire_case
from ipip.questionnaires.forms import (
    CompleteForm,
    CorrectForm,
    EntryForm,
    StartForm,
    correct_initial,
    entered_scales,
    initial_answers,
    initial_scores,
    item_label,
    item_pages,
    number_text,
    place_answer_errors,
)
from ipip.questionnaires.instruments import get_instrument
from ipip.questionnaires.instruments.base import Instrument, LicenceMode
from ipip.questionnaires.instruments.scoring import AnswerError
from ipip.questionnaires.models import (
    Administration,
    AdministrationStatus,
    RiskFlag,
    ScaleScore,
    TimePoint,
)

LOCKED = (
    "This questionnaire is completed and locked: to change an answer, make a correction "
    "with a reason."
)


# --- Loading ---------------------------------------------------------------------------


def _instrument(administration: Administration) -> Instrument:
    try:
        return get_instrument(administration.instrument_code)
    except KeyError:  # an instrument taken out of the library: nothing to show it with
        raise Http404 from None


def _viewed(request: AuthenticatedHttpRequest, administration: Administration, page: str) -> None:
    record(
        Action.QUESTIONNAIRE_VIEWED,
        actor=request.user,
        subject=administration,
        family_public_id=administration.case.family.public_id,
        data={
            "administration_id": str(administration.public_id),
            "instrument": administration.instrument_code,
            "page": page,
        },
    )


def _detail_url(administration: Administration) -> str:
    return reverse(
        "questionnaires:detail",
        kwargs={
            "case_id": administration.case.public_id,
            "administration_id": administration.public_id,
        },
    )


def _entry_url(administration: Administration, instrument: Instrument) -> str:
    name = "answer" if instrument.licence == LicenceMode.ITEMS else "scores"
    return reverse(
        f"questionnaires:{name}",
        kwargs={
            "case_id": administration.case.public_id,
            "administration_id": administration.public_id,
        },
    )


def _refuse_if_locked(
    request: AuthenticatedHttpRequest, administration: Administration
) -> HttpResponse | None:
    """A completed (or corrected) administration's entry pages change nothing."""
    if administration.status == AdministrationStatus.IN_PROGRESS:
        return None
    messages.warning(request, LOCKED)
    return redirect(_detail_url(administration))


# --- What the pages show ---------------------------------------------------------------


@dataclass(frozen=True)
class AnswerRow:
    """One item's (or score's) answer on the check-your-answers and detail pages."""

    key: str  # "item_3" / "scale_total": the row's id, which an error links to
    label: str
    answer: str  # "" when not answered
    page: int  # the answer page it is on (items)
    error: str = ""


@dataclass(frozen=True)
class ScoreRow:
    name: str
    value: str  # "" when there is no score
    band: str
    note: str
    form: str


def _answer_rows(
    instrument: Instrument, administration: Administration, errors: dict[str, str]
) -> list[AnswerRow]:
    if instrument.licence == LicenceMode.SCORES_ONLY:
        return [
            AnswerRow(
                key=f"scale_{scale.code}",
                label=scale.name,
                answer=administration.entered.get(scale.code, ""),
                page=1,
                error=errors.get(f"scale_{scale.code}", ""),
            )
            for scale in entered_scales(instrument)
        ]
    rows = []
    for page, items in enumerate(item_pages(instrument), start=1):
        for item in items:
            raw = administration.answers.get(str(item.number))
            labels = {o.value: o.label for o in instrument.options_for(item.number)}
            answer = "" if raw is None else f"{labels.get(raw, '')} ({raw})"
            rows.append(
                AnswerRow(
                    key=f"item_{item.number}",
                    label=item_label(item),
                    answer=answer,
                    page=page,
                    error=errors.get(f"item_{item.number}", ""),
                )
            )
    return rows


def _score_rows(instrument: Instrument, scores: list[ScaleScore]) -> list[ScoreRow]:
    names = {scale.code: scale.name for scale in instrument.scales}
    return [
        ScoreRow(
            name=names.get(score.scale_code, score.scale_code),
            value="" if score.value is None else number_text(score.value),
            band=score.band_label,
            note=score.note,
            form=score.form,
        )
        for score in scores
    ]


def _unanswered(instrument: Instrument, administration: Administration) -> list[tuple[int, int]]:
    """(item number, page) of each item not answered yet."""
    return [
        (item.number, page)
        for page, items in enumerate(item_pages(instrument), start=1)
        for item in items
        if str(item.number) not in administration.answers
    ]


def _heading(instrument: Instrument, administration: Administration) -> str:
    return f"{instrument.name} at {TimePoint(administration.time_point).label.lower()}"


def _child_name(child: Child | None) -> str:
    return "" if child is None else f"{child.first_name} {child.last_name}"


def _context(
    case: Case, administration: Administration, instrument: Instrument, **extra: object
) -> dict[str, object]:
    return {
        "case": case,
        "administration": administration,
        "instrument": instrument,
        "heading": _heading(instrument, administration),
        "child_name": _child_name(administration.child),
        "detail_url": _detail_url(administration),
        **extra,
    }


# --- Start -----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def questionnaire_start(request: AuthenticatedHttpRequest, case_id: UUID) -> HttpResponse:
    case = get_questionnaire_case(request.user, case_id)
    children = Child.objects.filter(family_id=case.family_id).order_by("date_of_birth", "id")
    # A link from the time points page names what is due: ?instrument=&time_point=&child=
    initial = {key: request.GET.get(key) for key in ("instrument", "time_point", "child")}
    form = StartForm(
        request.POST if request.method == "POST" else None, children=children, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            administration = actions.do_start_administration(
                case,
                instrument_code=data["instrument"],
                time_point=TimePoint(data["time_point"]),
                child=data["child"],
                acting_user=request.user,
            )
        except AnswerError as err:
            place_answer_errors(form, err.errors)
        except DomainError as err:
            form.add_error(None, str(err))
        else:
            instrument = get_instrument(administration.instrument_code)
            messages.success(request, f"{instrument.name} started.")
            return redirect(_entry_url(administration, instrument))
    return render(
        request,
        "questionnaires/start.html",
        {"case": case, "form": form, "has_children": children.exists()},
    )


# --- Answer items page by page ---------------------------------------------------------


def _page_number(text: str | None, count: int) -> int:
    try:
        number = int(text or 1)
    except ValueError:
        return 1
    return min(max(number, 1), count)


def _after_save(
    request: AuthenticatedHttpRequest, administration: Administration, next_url: str
) -> HttpResponse:
    """'Save and come back later' goes to the questionnaire; 'Save and continue' on."""
    if request.POST.get("then") == "later":
        messages.success(request, "Answers saved. You can come back to them later.")
        return redirect(_detail_url(administration))
    return redirect(next_url)


@login_required
@require_http_methods(["GET", "POST"])
def questionnaire_answer(
    request: AuthenticatedHttpRequest, case_id: UUID, administration_id: UUID
) -> HttpResponse:
    administration = get_administration_for_user(request.user, case_id, administration_id)
    instrument = _instrument(administration)
    if instrument.licence != LicenceMode.ITEMS:
        return redirect(_entry_url(administration, instrument))
    if (refused := _refuse_if_locked(request, administration)) is not None:
        return refused
    pages = item_pages(instrument)
    page = _page_number(request.GET.get("page"), len(pages))
    form = EntryForm(
        request.POST if request.method == "POST" else None,
        instrument=instrument,
        items=pages[page - 1],
        initial={**initial_answers(administration.answers), "version": administration.version},
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = actions.do_save_answers(
                administration,
                answers=form.answers(),
                expected_version=form.cleaned_data["version"],
                acting_user=request.user,
            )
        except AnswerError as err:
            place_answer_errors(form, err.errors)
        except DomainError as err:
            form.add_error(None, str(err))
        else:
            following = f"{_entry_url(saved, instrument)}?page={page + 1}"
            complete = reverse(
                "questionnaires:complete",
                kwargs={"case_id": case_id, "administration_id": administration_id},
            )
            return _after_save(request, saved, complete if page == len(pages) else following)
    if request.method == "GET":
        _viewed(request, administration, "answer")
    unanswered = _unanswered(instrument, administration)
    return render(
        request,
        "questionnaires/answer.html",
        _context(
            administration.case,
            administration,
            instrument,
            form=form,
            page=page,
            page_count=len(pages),
            unanswered=unanswered,
            answered_count=len(instrument.items) - len(unanswered),
            item_count=len(instrument.items),
        ),
    )


# --- Scores only ----------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def questionnaire_scores(
    request: AuthenticatedHttpRequest, case_id: UUID, administration_id: UUID
) -> HttpResponse:
    administration = get_administration_for_user(request.user, case_id, administration_id)
    instrument = _instrument(administration)
    if instrument.licence != LicenceMode.SCORES_ONLY:
        return redirect(_entry_url(administration, instrument))
    if (refused := _refuse_if_locked(request, administration)) is not None:
        return refused
    form = EntryForm(
        request.POST if request.method == "POST" else None,
        instrument=instrument,
        initial={**initial_scores(administration.entered), "version": administration.version},
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = actions.do_save_answers(
                administration,
                entered=form.entered(),
                expected_version=form.cleaned_data["version"],
                acting_user=request.user,
            )
        except AnswerError as err:
            place_answer_errors(form, err.errors)
        except DomainError as err:
            form.add_error(None, str(err))
        else:
            complete = reverse(
                "questionnaires:complete",
                kwargs={"case_id": case_id, "administration_id": administration_id},
            )
            return _after_save(request, saved, complete)
    if request.method == "GET":
        _viewed(request, administration, "scores")
    return render(
        request,
        "questionnaires/scores.html",
        _context(administration.case, administration, instrument, form=form),
    )


# --- Check and complete ---------------------------------------------------------------


def _has_missing(instrument: Instrument, administration: Administration) -> bool:
    if instrument.licence == LicenceMode.ITEMS:
        return bool(_unanswered(instrument, administration))
    return any(scale.code not in administration.entered for scale in entered_scales(instrument))


def _error_list(form: object, elsewhere: dict[str, str]) -> list[dict[str, str]]:
    """The error summary: the form's errors, then those shown by a summary row."""
    return [
        *error_items(form),
        *({"text": text, "href": f"#{key}"} for key, text in elsewhere.items()),
    ]


@login_required
@require_http_methods(["GET", "POST"])
def questionnaire_complete(
    request: AuthenticatedHttpRequest, case_id: UUID, administration_id: UUID
) -> HttpResponse:
    administration = get_administration_for_user(request.user, case_id, administration_id)
    instrument = _instrument(administration)
    if (refused := _refuse_if_locked(request, administration)) is not None:
        return refused
    form = CompleteForm(
        request.POST if request.method == "POST" else None,
        instrument=instrument,
        initial={"completed_on": timezone.localdate(), "version": administration.version},
    )
    elsewhere: dict[str, str] = {}
    if request.method == "POST" and form.is_valid():
        try:
            completion = actions.do_complete_administration(
                administration,
                completed_on=form.cleaned_data["completed_on"],
                missing_confirmed=form.cleaned_data["missing_confirmed"],
                expected_version=form.cleaned_data["version"],
                acting_user=request.user,
            )
        except AnswerError as err:
            elsewhere = place_answer_errors(form, err.errors)
        except DomainError as err:
            form.add_error(None, str(err))
        else:
            messages.success(request, f"{instrument.name} completed and scored.")
            return redirect(_detail_url(completion.administration))
    if request.method == "GET":
        _viewed(request, administration, "complete")
    return render(
        request,
        "questionnaires/complete.html",
        _context(
            administration.case,
            administration,
            instrument,
            form=form,
            rows=_answer_rows(instrument, administration, elsewhere),
            error_list=_error_list(form, elsewhere),
            has_missing=_has_missing(instrument, administration),
            entry_url=_entry_url(administration, instrument),
        ),
    )


# --- Read one --------------------------------------------------------------------------


def _versions(administration: Administration) -> list[Administration]:
    """Every version of this administration (its corrections), first to last."""
    return list(
        Administration.objects.filter(
            case=administration.case,
            child=administration.child,
            instrument_code=administration.instrument_code,
            time_point=administration.time_point,
        )
        .select_related("created_by")
        .order_by("number", "id")
    )


@login_required
@require_GET
def questionnaire_detail(
    request: AuthenticatedHttpRequest, case_id: UUID, administration_id: UUID
) -> HttpResponse:
    administration = get_administration_for_user(request.user, case_id, administration_id)
    instrument = _instrument(administration)
    scores = list(ScaleScore.objects.filter(administration=administration).order_by("id"))
    flags = list(
        RiskFlag.objects.filter(administration=administration)
        .select_related("alert")
        .order_by("id")
    )
    versions = _versions(administration)
    _viewed(request, administration, "detail")
    return render(
        request,
        "questionnaires/detail.html",
        _context(
            administration.case,
            administration,
            instrument,
            rows=_answer_rows(instrument, administration, {}),
            scores=_score_rows(instrument, scores),
            flags=flags,
            versions=versions if len(versions) > 1 else [],
            latest=versions[-1] if versions else administration,
            entry_url=_entry_url(administration, instrument),
            unanswered=_unanswered(instrument, administration),
            is_items=instrument.licence == LicenceMode.ITEMS,
        ),
    )


# --- Correct ---------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def questionnaire_correct(
    request: AuthenticatedHttpRequest, case_id: UUID, administration_id: UUID
) -> HttpResponse:
    administration = get_administration_for_user(request.user, case_id, administration_id)
    instrument = _instrument(administration)
    if administration.status != AdministrationStatus.COMPLETED:
        messages.warning(
            request,
            "Only the current, completed version of a questionnaire can be corrected.",
        )
        return redirect(_detail_url(administration))
    assert administration.completed_on is not None  # a completed one has its date
    form = CorrectForm(
        request.POST if request.method == "POST" else None,
        instrument=instrument,
        initial=correct_initial(
            answers=administration.answers,
            entered=administration.entered,
            completed_on=administration.completed_on,
            version=administration.version,
        ),
    )
    elsewhere: dict[str, str] = {}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            completion = actions.do_correct_administration(
                administration,
                reason=data["reason"],
                completed_on=data["completed_on"],
                answers=form.answers(),
                entered=form.entered(),
                missing_confirmed=data["missing_confirmed"],
                expected_version=data["version"],
                acting_user=request.user,
            )
        except AnswerError as err:
            elsewhere = place_answer_errors(form, err.errors)
        except DomainError as err:
            form.add_error(None, str(err))
        else:
            new = completion.administration
            messages.success(request, f"Correction saved as version {new.number}.")
            return redirect(_detail_url(new))
    if request.method == "GET":
        _viewed(request, administration, "correct")
    return render(
        request,
        "questionnaires/correct.html",
        _context(
            administration.case,
            administration,
            instrument,
            form=form,
            error_list=_error_list(form, elsewhere),
            has_missing=_has_missing(instrument, administration)
            or any(key.startswith(("item_", "scale_")) for key in form.errors),
        ),
    )
