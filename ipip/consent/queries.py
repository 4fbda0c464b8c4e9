"""Reading consent: the state per purpose, and the one check other features enforce."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from ipip.cases.models import Case
from ipip.consent.models import ConsentRecord, Purpose
from ipip.consent.rules import Decision, State, latest_decisions, state_of


def _decision(record: ConsentRecord) -> Decision:
    return Decision(
        purpose=record.purpose,
        decision=record.decision,
        decided_on=record.decided_on,
        order=record.pk,
    )


def consent_state(case: Case, on: date | None = None) -> dict[Purpose, State]:
    """Given, withdrawn or not asked, for every purpose, as of `on` (today by default).

    One query, whatever the number of records.
    """
    rows = ConsentRecord.objects.filter(case=case).values_list(
        "pk", "purpose", "decision", "decided_on"
    )
    decisions = [
        Decision(purpose=purpose, decision=decision, decided_on=decided_on, order=pk)
        for pk, purpose, decision, decided_on in rows
    ]
    latest = latest_decisions(decisions, on=on or timezone.localdate())
    return {purpose: state_of(latest.get(purpose)) for purpose in Purpose}


def has_consent(case: Case, purpose: Purpose, on: date | None = None) -> bool:
    """Whether consent for `purpose` is given (and not since withdrawn) on `on`, default today.

    This is the check every feature that depends on consent calls before it acts: a
    filming record needs `Purpose.FILMING`, keeping clips and showing them in supervision
    needs `Purpose.CLIP_RETENTION`, allocation to a trial arm needs `Purpose.RESEARCH`, and
    sharing with another agency needs `Purpose.INFORMATION_SHARING`. Refuse with a
    `DomainError` when it is False.
    """
    return consent_state(case, on)[purpose] == State.GIVEN


@dataclass(frozen=True)
class CurrentConsent:
    """One row of the consent summary: the state and the record that set it, if any."""

    purpose: Purpose
    state: State
    record: ConsentRecord | None


def current_consents(
    records: Iterable[ConsentRecord], *, on: date | None = None
) -> list[CurrentConsent]:
    """The summary, in purpose order, from records already loaded (no query of its own)."""
    by_pk = {record.pk: record for record in records}
    latest = latest_decisions(
        (_decision(r) for r in by_pk.values()), on=on or timezone.localdate()
    )
    rows = []
    for purpose in Purpose:
        decision = latest.get(purpose)
        rows.append(
            CurrentConsent(
                purpose=purpose,
                state=state_of(decision),
                record=None if decision is None else by_pk[decision.order],
            )
        )
    return rows
