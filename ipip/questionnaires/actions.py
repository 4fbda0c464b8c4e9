"""Writes to questionnaires: start one, save answers part-way, complete it (scoring it and
raising any risk alert), and correct a completed one with a reason.

Questionnaires are follow-up records: end and follow-up time points come after closure, so
these actions work on a closed case too. Who: anyone who may work on the case. Audit data
holds ids, codes and counts only: never an answer or a score.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from ipip.accounts.models import User
from ipip.audit.events import Action
from ipip.audit.record import record
from ipip.cases.access import may_work_on_case
from ipip.cases.actions import check_version
from ipip.cases.models import Case, Child
from ipip.core.dates import whole_months_between
from ipip.core.errors import DomainError
from ipip.questionnaires.instruments import get_instrument
from ipip.questionnaires.instruments.base import Instrument, LicenceMode
from ipip.questionnaires.instruments.scoring import (
    AnswerError,
    Scored,
    parse_entered,
    score_entered,
    score_items,
    validate_answers,
)
from ipip.questionnaires.models import (
    Administration,
    AdministrationStatus,
    RiskFlag,
    ScaleScore,
    TimePoint,
)
from ipip.safeguarding.actions import raise_alert
from ipip.safeguarding.models import AlertKind

Answers = Mapping[int, int | None]
Entered = Mapping[str, str | None]


@dataclass(frozen=True)
class Completion:
    administration: Administration
    scored: Scored
    risk_flags: list[RiskFlag]


def _locked_case(case_id: int, acting_user: User) -> Case:
    case = (
        Case.objects.select_for_update(of=("self",))
        .select_related("family", "allocated_to")
        .get(pk=case_id)
    )
    if not may_work_on_case(acting_user, case):
        raise PermissionDenied
    return case


def _locked_administration(administration: Administration, acting_user: User) -> Administration:
    _locked_case(administration.case_id, acting_user)
    return (
        Administration.objects.select_for_update(of=("self",))
        .select_related("case__family", "case__allocated_to", "child")
        .get(pk=administration.pk)
    )


def _instrument(code: str) -> Instrument:
    try:
        return get_instrument(code)
    except KeyError:
        raise DomainError("There is no questionnaire with that name.") from None


def _merge_answers(
    instrument: Instrument, saved: Mapping[str, int], answers: Answers
) -> dict[str, int]:
    validate_answers(instrument, answers)
    merged = dict(saved)
    for number, raw in answers.items():
        if raw is None:
            merged.pop(str(number), None)
        else:
            merged[str(number)] = raw
    return merged


def _merge_entered(
    instrument: Instrument, saved: Mapping[str, str], entered: Entered
) -> dict[str, str]:
    values = parse_entered(instrument, entered)
    merged = dict(saved)
    for code, text in entered.items():
        if code in values:
            merged[code] = str(values[code])
        elif not (text or "").strip():
            merged.pop(code, None)
    return merged


def _as_answers(saved: Mapping[str, int]) -> dict[int, int | None]:
    return {int(number): raw for number, raw in saved.items()}


@transaction.atomic(durable=True)
def do_start_administration(
    case: Case,
    *,
    instrument_code: str,
    time_point: TimePoint,
    child: Child | None = None,
    acting_user: User,
) -> Administration:
    """Start an instrument at a time point (for one child, if it is about a child).

    Refuses a second one while one is in progress or completed for the same time point
    (and child): continue it, or correct it. Writes QUESTIONNAIRE_STARTED.
    """
    case = _locked_case(case.pk, acting_user)
    instrument = _instrument(instrument_code)
    if time_point not in TimePoint.values:
        raise DomainError("Choose a time point: baseline, end or follow-up.")
    if instrument.about_child:
        if child is None:
            raise AnswerError({"child": f"Choose the child {instrument.name} is about."})
        if child.family_id != case.family_id:
            raise AnswerError({"child": "That child is not in this family."})
        if child.date_of_birth is None:
            raise AnswerError(
                {"child": "Record the child's date of birth first: it chooses the bands."}
            )
    elif child is not None:
        raise AnswerError({"child": f"{instrument.name} is not about a child."})
    current = Administration.objects.filter(
        case=case, child=child, instrument_code=instrument.code, time_point=time_point
    ).exclude(status=AdministrationStatus.SUPERSEDED)
    if current.exists():
        raise DomainError(
            f"{instrument.name} at {TimePoint(time_point).label.lower()} is already started "
            "or completed: continue it, or correct it."
        )
    administration = Administration.objects.create(
        case=case,
        child=child,
        instrument_code=instrument.code,
        instrument_version=instrument.version,
        time_point=time_point,
        administered_by=acting_user,
        created_by=acting_user,
        modified_by=acting_user,
    )
    record(
        Action.QUESTIONNAIRE_STARTED,
        actor=acting_user,
        subject=administration,
        family_public_id=case.family.public_id,
        data={"instrument": instrument.code, "time_point": str(time_point)},
    )
    return administration


def _check_in_progress(administration: Administration) -> None:
    if administration.status != AdministrationStatus.IN_PROGRESS:
        raise DomainError(
            "This questionnaire is completed and locked: to change an answer, make a "
            "correction with a reason."
        )


def _save(
    administration: Administration,
    instrument: Instrument,
    *,
    answers: Answers | None,
    entered: Entered | None,
) -> None:
    if instrument.licence == LicenceMode.ITEMS:
        if entered:
            raise AnswerError({"instrument": f"{instrument.name} is entered item by item."})
        administration.answers = _merge_answers(instrument, administration.answers, answers or {})
    else:
        if answers:
            raise AnswerError({"instrument": f"{instrument.name} is scored on paper."})
        administration.entered = _merge_entered(instrument, administration.entered, entered or {})


@transaction.atomic(durable=True)
def do_save_answers(
    administration: Administration,
    *,
    answers: Answers | None = None,
    entered: Entered | None = None,
    expected_version: int | None,
    acting_user: User,
) -> Administration:
    """Save answers (items stored) or scores (scores only) part-way. Only the items given
    change; None (or a blank score) clears one. Raises AnswerError naming each bad item.

    Writes QUESTIONNAIRE_SAVED with the number of items answered (never the answers).
    """
    administration = _locked_administration(administration, acting_user)
    _check_in_progress(administration)
    check_version(administration.version, expected_version, what="questionnaire")
    instrument = _instrument(administration.instrument_code)
    _save(administration, instrument, answers=answers, entered=entered)
    administration.version += 1
    administration.modified_by = acting_user
    administration.save(
        update_fields=["answers", "entered", "version", "modified_by", "modified_at"]
    )
    record(
        Action.QUESTIONNAIRE_SAVED,
        actor=acting_user,
        subject=administration,
        family_public_id=administration.case.family.public_id,
        data={
            "instrument": instrument.code,
            "answered": len(administration.answers) or len(administration.entered),
        },
    )
    return administration


def _missing(instrument: Instrument, administration: Administration) -> dict[str, str]:
    if instrument.licence == LicenceMode.ITEMS:
        return {
            f"item_{item.number}": f"Item {item.number} is not answered."
            for item in instrument.items
            if str(item.number) not in administration.answers
        }
    return {
        f"scale_{scale.code}": f"Enter the {scale.name.lower()} score."
        for scale in instrument.scales
        if not scale.sum_of_scales
        and not scale.optional
        and scale.code not in administration.entered
    }


def _check_completed_on(case: Case, completed_on: date) -> None:
    if completed_on > timezone.localdate():
        raise AnswerError(
            {"completed_on": "The date it was completed must be today or in the past."}
        )
    if completed_on < timezone.localdate(case.accepted_at):
        raise AnswerError(
            {"completed_on": "The date it was completed cannot be before the case was opened."}
        )


def _age_months(instrument: Instrument, administration: Administration, on: date) -> int | None:
    child = administration.child
    if not instrument.about_child or child is None or child.date_of_birth is None:
        return None
    age = whole_months_between(child.date_of_birth, on)
    if instrument.child_age_months is not None:
        low, high = instrument.child_age_months
        if not low <= age < high:
            raise AnswerError(
                {
                    "completed_on": f"{instrument.name} is for children aged {low // 12} to "
                    f"{high // 12 - 1}; the child was {age // 12} on that date."
                }
            )
    return age


def _score(instrument: Instrument, administration: Administration, age: int | None) -> Scored:
    if instrument.licence == LicenceMode.ITEMS:
        return score_items(instrument, _as_answers(administration.answers), age_months=age)
    values = {code: Decimal(text) for code, text in administration.entered.items()}
    return score_entered(instrument, values, age_months=age)


def _store_scores(administration: Administration, scored: Scored, acting_user: User) -> None:
    ScaleScore.objects.bulk_create(
        ScaleScore(
            administration=administration,
            scale_code=result.code,
            value=result.value,
            band_code=result.band.code if result.band else "",
            band_label=result.band.label if result.band else "",
            form=result.form,
            answered=result.answered,
            missing=result.missing,
            prorated=result.prorated,
            note=result.note[:200],
            created_by=acting_user,
            modified_by=acting_user,
        )
        for result in scored.scales
    )


def _raise_risks(
    administration: Administration, instrument: Instrument, scored: Scored, acting_user: User
) -> list[RiskFlag]:
    """Flag each risk; alert for each one the version this corrects had not already
    alerted for (a correction that keeps item 9 above 0 does not alert twice)."""
    case = administration.case
    alerted_before: set[str] = set()
    if administration.supersedes_id is not None:
        alerted_before = set(
            RiskFlag.objects.filter(administration_id=administration.supersedes_id).values_list(
                "code", flat=True
            )
        )
    flags = []
    for risk in scored.risks:
        alert = None
        if risk.code not in alerted_before:
            alert = raise_alert(
                case,
                kind=AlertKind.QUESTIONNAIRE_RISK,
                message=f"Risk on a questionnaire: {risk.message}"[:300],
                acting_user=acting_user,
                for_user=case.allocated_to,
            )
        flag = RiskFlag.objects.create(
            administration=administration,
            code=risk.code,
            message=risk.message[:300],
            alert=alert,
            created_by=acting_user,
            modified_by=acting_user,
        )
        record(
            Action.QUESTIONNAIRE_RISK_FOUND,
            actor=acting_user,
            subject=administration,
            family_public_id=case.family.public_id,
            data={
                "instrument": instrument.code,
                "risk": risk.code,
                "alert_id": str(alert.public_id) if alert is not None else None,
                "already_alerted": alert is None,
            },
        )
        flags.append(flag)
    return flags


def _finish(
    administration: Administration,
    instrument: Instrument,
    *,
    completed_on: date,
    missing_confirmed: bool,
    acting_user: User,
) -> Completion:
    """Check, score and lock an administration whose answers are set (not saved yet)."""
    _check_completed_on(administration.case, completed_on)
    missing = _missing(instrument, administration)
    if instrument.licence == LicenceMode.SCORES_ONLY and not administration.entered:
        raise AnswerError({"instrument": "Enter at least one score."})
    if instrument.licence == LicenceMode.ITEMS and not administration.answers:
        # Nothing to score: confirming every item as missing would lock an empty record.
        raise AnswerError({"instrument": "Answer at least one item."})
    if missing and not missing_confirmed:
        raise AnswerError(missing)
    age = _age_months(instrument, administration, completed_on)
    scored = _score(instrument, administration, age)
    administration.status = AdministrationStatus.COMPLETED
    administration.completed_on = completed_on
    administration.child_age_months = age
    administration.instrument_version = instrument.version
    administration.version += 1
    administration.modified_by = acting_user
    administration.save()
    _store_scores(administration, scored, acting_user)
    flags = _raise_risks(administration, instrument, scored, acting_user)
    return Completion(administration, scored, flags)


@transaction.atomic(durable=True)
def do_complete_administration(
    administration: Administration,
    *,
    completed_on: date,
    answers: Answers | None = None,
    entered: Entered | None = None,
    missing_confirmed: bool = False,
    expected_version: int | None,
    acting_user: User,
) -> Completion:
    """Save the last answers, then score and lock the administration.

    Every item must be answered (every score given) unless `missing_confirmed` says the
    parent chose not to answer the rest; the missing-item rule then decides which scores
    can be made. A risk answer or score alerts the practitioner and the area's managers.
    Writes QUESTIONNAIRE_COMPLETED (and QUESTIONNAIRE_RISK_FOUND, ALERT_RAISED per risk).
    """
    administration = _locked_administration(administration, acting_user)
    _check_in_progress(administration)
    check_version(administration.version, expected_version, what="questionnaire")
    instrument = _instrument(administration.instrument_code)
    _save(administration, instrument, answers=answers, entered=entered)
    completion = _finish(
        administration,
        instrument,
        completed_on=completed_on,
        missing_confirmed=missing_confirmed,
        acting_user=acting_user,
    )
    record(
        Action.QUESTIONNAIRE_COMPLETED,
        actor=acting_user,
        subject=administration,
        family_public_id=administration.case.family.public_id,
        data={
            "instrument": instrument.code,
            "time_point": administration.time_point,
            "risks": len(completion.risk_flags),
        },
    )
    return completion


@transaction.atomic(durable=True)
def do_correct_administration(
    administration: Administration,
    *,
    reason: str,
    completed_on: date,
    answers: Answers | None = None,
    entered: Entered | None = None,
    missing_confirmed: bool = False,
    expected_version: int | None,
    acting_user: User,
) -> Completion:
    """Correct a completed administration: a new version (number + 1) with the corrected
    answers and the reason, scored and locked; the old one is kept, marked superseded.

    `answers`/`entered` change the old version's answers (None clears an item). Writes
    QUESTIONNAIRE_CORRECTED (and risk events if the corrected answers carry a risk).
    """
    old = _locked_administration(administration, acting_user)
    if old.status != AdministrationStatus.COMPLETED:
        raise DomainError("Only a completed questionnaire can be corrected.")
    check_version(old.version, expected_version, what="questionnaire")
    reason = reason.strip()
    if not reason:
        raise AnswerError({"reason": "Say why the answers are being corrected."})
    instrument = _instrument(old.instrument_code)
    old.status = AdministrationStatus.SUPERSEDED
    old.version += 1
    old.modified_by = acting_user
    old.save(update_fields=["status", "version", "modified_by", "modified_at"])
    new = Administration(
        case=old.case,
        child=old.child,
        instrument_code=old.instrument_code,
        instrument_version=instrument.version,
        time_point=old.time_point,
        answers=dict(old.answers),
        entered=dict(old.entered),
        administered_by=old.administered_by,
        number=old.number + 1,
        supersedes=old,
        correction_reason=reason,
        created_by=acting_user,
        modified_by=acting_user,
    )
    _save(new, instrument, answers=answers, entered=entered)
    new.version = 0  # `_finish` adds one: the new version starts at 1
    completion = _finish(
        new,
        instrument,
        completed_on=completed_on,
        missing_confirmed=missing_confirmed,
        acting_user=acting_user,
    )
    record(
        Action.QUESTIONNAIRE_CORRECTED,
        actor=acting_user,
        subject=new,
        family_public_id=old.case.family.public_id,
        data={
            "instrument": instrument.code,
            "time_point": old.time_point,
            "supersedes_id": str(old.public_id),
            "number": new.number,
        },
    )
    return completion
