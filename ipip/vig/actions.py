"""Writes to VIG cycles: start and change a cycle, record a filming, add and remove clips,
record the shared review. Each is one transaction that locks the case and writes its audit
event; data holds ids and codes only (never the question, notes or reflections)."""

from collections.abc import Collection, Mapping
from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from ipip.accounts.models import User
from ipip.audit.events import Action
from ipip.audit.record import record
from ipip.cases.access import may_work_on_case
from ipip.cases.actions import check_version
from ipip.cases.models import Approach, Carer, Case, CaseStatus, Child
from ipip.consent.models import Purpose
from ipip.consent.queries import consent_state
from ipip.consent.rules import State
from ipip.core.dates import long_date
from ipip.core.errors import DomainError
from ipip.goals.actions import Rating, rate_goals
from ipip.goals.models import Goal, GoalStatus, Occasion
from ipip.vig.models import Clip, Filming, SharedReview, VigCycle
from ipip.vig.principles import check_selection
from ipip.vig.rules import FILM_MAX_SECONDS, format_clock

NO_FILMING_CONSENT = (
    "Record the family's consent to filming first: there is no consent to filming on {on}."
)


def _locked_case(case_id: int) -> Case:
    return Case.objects.select_for_update(of=("self",)).select_related("family").get(pk=case_id)


def _check_vig_case(case: Case, user: User, *, allow_closed: bool = False) -> None:
    """The user may work on the case, and it is an open VIG case that has been allocated.

    `allow_closed`: removing a clip is still allowed on a closed case, because a family may
    withdraw consent after closure and their clips must then go (as consent withdrawal is).
    """
    if not may_work_on_case(user, case):
        raise PermissionDenied
    if not (allow_closed and case.status == CaseStatus.CLOSED):
        case.ensure_open("its VIG cycles")
        if case.status not in (CaseStatus.ALLOCATED, CaseStatus.ACTIVE):
            raise DomainError("Allocate the case for VIG before recording VIG cycles.")
    if case.approach != Approach.VIG:
        raise DomainError(
            "This case does not receive Video Interaction Guidance: "
            "VIG cycles are recorded only for VIG cases."
        )


def _check_not_future(value: date, what: str) -> None:
    if value > timezone.localdate():
        raise DomainError(f"The {what} must be today or in the past.")


def _check_goals(case: Case, goals: Collection[Goal], *, already: Collection[int] = ()) -> None:
    """Goals of this case; a goal newly chosen must still be worked on."""
    for goal in goals:
        if goal.case_id != case.pk:
            raise DomainError("Choose only this case's goals.")
        if goal.status != GoalStatus.ACTIVE and goal.pk not in already:
            raise DomainError("Choose only goals the parent is still working on.")


def _clean_text(text: str, message: str) -> str:
    text = text.strip()
    if not text:
        raise DomainError(message)
    return text


def _locked_cycle(cycle: VigCycle) -> VigCycle:
    return VigCycle.objects.select_for_update(of=("self",)).get(pk=cycle.pk)


@transaction.atomic(durable=True)
def do_start_cycle(
    case: Case,
    *,
    helping_question: str,
    started_on: date,
    goals: Collection[Goal],
    acting_user: User,
) -> VigCycle:
    """Start the case's next VIG cycle, numbered 1, 2, 3... under the case lock.

    Only for an allocated or active VIG case, and only once the previous cycle is complete
    (its shared review recorded). Called by the allocated practitioner, a manager of the
    area or the national lead. Writes VIG_CYCLE_STARTED with the cycle's number and goal ids.
    """
    case = _locked_case(case.pk)
    _check_vig_case(case, acting_user)
    question = _clean_text(helping_question, "Enter the helping question.")
    _check_not_future(started_on, "date the cycle started")
    _check_goals(case, goals)
    previous = VigCycle.objects.filter(case=case).order_by("-number").first()
    if previous is not None:
        if previous.completed_on is None:
            raise DomainError(
                f"Cycle {previous.number} is not complete: record its shared review before "
                f"starting cycle {previous.number + 1}."
            )
        if started_on < previous.completed_on:
            raise DomainError(
                f"A new cycle cannot start before the shared review of cycle {previous.number} "
                f"({long_date(previous.completed_on)})."
            )
    cycle = VigCycle.objects.create(
        case=case,
        number=1 if previous is None else previous.number + 1,
        helping_question=question,
        started_on=started_on,
        created_by=acting_user,
        modified_by=acting_user,
    )
    cycle.goals.set(goals)
    record(
        Action.VIG_CYCLE_STARTED,
        actor=acting_user,
        subject=cycle,
        family_public_id=case.family.public_id,
        data={
            "cycle_id": str(cycle.public_id),
            "number": cycle.number,
            "goal_ids": sorted(str(g.public_id) for g in goals),
        },
    )
    return cycle


@transaction.atomic(durable=True)
def do_change_cycle(
    cycle: VigCycle,
    *,
    helping_question: str,
    goals: Collection[Goal],
    acting_user: User,
    expected_version: int | None = None,
) -> VigCycle:
    """Change a cycle's helping question and goals (a goal already chosen may stay even if it
    is no longer active). Same callers and case rules as `do_start_cycle`; refused if the
    cycle changed since the page was loaded. Writes VIG_CYCLE_CHANGED with the goal ids."""
    case = _locked_case(cycle.case_id)
    _check_vig_case(case, acting_user)
    cycle = _locked_cycle(cycle)
    check_version(cycle.version, expected_version, what="cycle")
    question = _clean_text(helping_question, "Enter the helping question.")
    _check_goals(case, goals, already=set(cycle.goals.values_list("pk", flat=True)))
    cycle.helping_question = question
    cycle.version += 1
    cycle.modified_by = acting_user
    cycle.save(update_fields=["helping_question", "version", "modified_by", "modified_at"])
    cycle.goals.set(goals)
    record(
        Action.VIG_CYCLE_CHANGED,
        actor=acting_user,
        subject=cycle,
        family_public_id=case.family.public_id,
        data={
            "cycle_id": str(cycle.public_id),
            "goal_ids": sorted(str(g.public_id) for g in goals),
        },
    )
    return cycle


def _check_filmed_people(
    case: Case, carers: Collection[Carer], children: Collection[Child]
) -> None:
    people: list[Carer | Child] = [*carers, *children]
    if any(person.family_id != case.family_id for person in people):
        raise DomainError("Choose only people of this family.")
    # VIG films an interaction between a parent or carer and a child: both must be in it.
    if not carers:
        raise DomainError("Select the parent or carer who was filmed.")
    if not children:
        raise DomainError("Select the child who was filmed.")


@transaction.atomic(durable=True)
def do_record_filming(
    cycle: VigCycle,
    *,
    filmed_on: date,
    activity: str,
    length_seconds: int,
    filmed_carers: Collection[Carer],
    filmed_children: Collection[Child],
    note: str,
    acting_user: User,
) -> Filming:
    """Record a filming made for a cycle that is not yet complete.

    Needs the family's consent to filming on the day of filming (`has_consent` semantics);
    refused otherwise, telling the user to record that consent first. Same callers and case
    rules as `do_start_cycle`. Writes VIG_FILMING_RECORDED with ids and the length.
    """
    case = _locked_case(cycle.case_id)
    _check_vig_case(case, acting_user)
    cycle = _locked_cycle(cycle)
    if cycle.is_complete:
        raise DomainError(
            f"Cycle {cycle.number} is complete: its shared review has been recorded. "
            "Start a new cycle for a new film."
        )
    activity = _clean_text(activity, "Enter the activity that was filmed.")
    _check_not_future(filmed_on, "date of filming")
    if filmed_on < cycle.started_on:
        raise DomainError(
            f"The date of filming cannot be before the cycle started "
            f"({long_date(cycle.started_on)})."
        )
    if not 1 <= length_seconds <= FILM_MAX_SECONDS:
        raise DomainError(
            f"The length of the film must be from 0:01 to {format_clock(FILM_MAX_SECONDS)}."
        )
    _check_filmed_people(case, filmed_carers, filmed_children)
    if consent_state(case, filmed_on)[Purpose.FILMING] != State.GIVEN:
        raise DomainError(NO_FILMING_CONSENT.format(on=long_date(filmed_on)))
    filming = Filming.objects.create(
        cycle=cycle,
        filmed_on=filmed_on,
        activity=activity,
        length_seconds=length_seconds,
        note=note.strip(),
        created_by=acting_user,
        modified_by=acting_user,
    )
    filming.filmed_carers.set(filmed_carers)
    filming.filmed_children.set(filmed_children)
    record(
        Action.VIG_FILMING_RECORDED,
        actor=acting_user,
        subject=filming,
        family_public_id=case.family.public_id,
        data={
            "cycle_id": str(cycle.public_id),
            "filming_id": str(filming.public_id),
            "length_seconds": length_seconds,
            "carer_ids": sorted(str(p.public_id) for p in filmed_carers),
            "child_ids": sorted(str(p.public_id) for p in filmed_children),
        },
    )
    return filming


def _check_clip_times(filming: Filming, start: Decimal, end: Decimal) -> None:
    if start < 0:
        raise DomainError("The start of the clip cannot be before the start of the film.")
    if end <= start:
        raise DomainError("The end of the clip must be after its start.")
    if end > filming.length_seconds:
        raise DomainError(f"The clip must end within the film, which is {filming.length} long.")


def _check_clip_consent(case: Case) -> None:
    today = timezone.localdate()
    state = consent_state(case, today)
    if state[Purpose.FILMING] != State.GIVEN:
        raise DomainError(NO_FILMING_CONSENT.format(on=long_date(today)))
    if state[Purpose.CLIP_RETENTION] == State.WITHDRAWN:
        raise DomainError(
            "The family has withdrawn consent to keeping clips: no clip can be added."
        )


@transaction.atomic(durable=True)
def do_add_clip(
    filming: Filming,
    *,
    start_seconds: Decimal,
    end_seconds: Decimal,
    principles: Collection[str],
    elements: Collection[str],
    note: str,
    acting_user: User,
) -> Clip:
    """Add a clip chosen from a filming: a time range within the film, at least one principle
    of attuned interaction, and elements only under the principles chosen.

    Needs consent to filming today, and refuses while consent to keeping clips is withdrawn.
    Same callers and case rules as `do_start_cycle`. Writes VIG_CLIP_ADDED with the codes.
    """
    case = _locked_case(filming.cycle.case_id)
    _check_vig_case(case, acting_user)
    filming = Filming.objects.select_related("cycle").get(pk=filming.pk)
    _check_clip_times(filming, start_seconds, end_seconds)
    chosen_principles, chosen_elements = check_selection(principles, elements)
    _check_clip_consent(case)
    clip = Clip.objects.create(
        filming=filming,
        start_seconds=start_seconds,
        end_seconds=end_seconds,
        principles=chosen_principles,
        elements=chosen_elements,
        note=note.strip(),
        created_by=acting_user,
        modified_by=acting_user,
    )
    record(
        Action.VIG_CLIP_ADDED,
        actor=acting_user,
        subject=clip,
        family_public_id=case.family.public_id,
        data={
            "clip_id": str(clip.public_id),
            "filming_id": str(filming.public_id),
            "cycle_id": str(filming.cycle.public_id),
            "principles": chosen_principles,
            "elements": chosen_elements,
        },
    )
    return clip


@transaction.atomic(durable=True)
def do_remove_clip(clip: Clip, *, acting_user: User, expected_version: int | None = None) -> Clip:
    """Remove a clip from those chosen: recorded (when and by whom), never deleted.

    Allowed on a closed case too, since withdrawing consent after closure means clips must
    go. Writes VIG_CLIP_REMOVED, noting whether filming or clip consent was withdrawn then.
    """
    case = _locked_case(
        Clip.objects.values_list("filming__cycle__case_id", flat=True).get(pk=clip.pk)
    )
    _check_vig_case(case, acting_user, allow_closed=True)
    clip = Clip.objects.select_for_update(of=("self",)).select_related("filming").get(pk=clip.pk)
    check_version(clip.version, expected_version, what="clip")
    clip.remove(at=timezone.now())
    clip.removed_by = acting_user
    clip.modified_by = acting_user
    clip.save(update_fields=["removed_at", "removed_by", "version", "modified_by", "modified_at"])
    state = consent_state(case)
    record(
        Action.VIG_CLIP_REMOVED,
        actor=acting_user,
        subject=clip,
        family_public_id=case.family.public_id,
        data={
            "clip_id": str(clip.public_id),
            "filming_id": str(clip.filming.public_id),
            "consent_withdrawn": any(
                state[p] == State.WITHDRAWN for p in (Purpose.FILMING, Purpose.CLIP_RETENTION)
            ),
        },
    )
    return clip


@transaction.atomic(durable=True)
def do_record_review(
    cycle: VigCycle,
    *,
    reviewed_on: date,
    parent_reflections: str,
    celebrated: str,
    next_goals: str,
    ratings: Mapping[Goal, Rating],
    acting_user: User,
    expected_version: int | None = None,
) -> SharedReview:
    """Record a cycle's shared review, which completes the cycle, with the parent's ratings of
    their goals, together or not at all.

    Once per cycle; needs at least one filming and a date on or after the latest filming.
    Same callers and case rules as `do_start_cycle`. Writes VIG_REVIEW_RECORDED, and
    GOALS_RATED (through `goals.actions.rate_goals`) when any goal is rated.
    """
    case = _locked_case(cycle.case_id)
    _check_vig_case(case, acting_user)
    cycle = _locked_cycle(cycle)
    check_version(cycle.version, expected_version, what="cycle")
    cycle.complete(on=reviewed_on)  # refuses a second review; saved below once all is checked
    last_filmed = cycle.filmings.aggregate(last=Max("filmed_on"))["last"]
    if last_filmed is None:
        raise DomainError("Record the filming of this cycle before its shared review.")
    _check_not_future(reviewed_on, "date of the shared review")
    if reviewed_on < last_filmed:
        raise DomainError(
            f"The shared review must be on or after the filming ({long_date(last_filmed)})."
        )
    reflections = _clean_text(parent_reflections, "Enter the parent's reflections.")
    celebrated = _clean_text(celebrated, "Enter what was celebrated.")
    cycle.modified_by = acting_user
    cycle.save(update_fields=["completed_on", "version", "modified_by", "modified_at"])
    review = SharedReview.objects.create(
        cycle=cycle,
        reviewed_on=reviewed_on,
        parent_reflections=reflections,
        celebrated=celebrated,
        next_goals=next_goals.strip(),
        created_by=acting_user,
        modified_by=acting_user,
    )
    record(
        Action.VIG_REVIEW_RECORDED,
        actor=acting_user,
        subject=review,
        family_public_id=case.family.public_id,
        data={
            "cycle_id": str(cycle.public_id),
            "review_id": str(review.public_id),
            "goals_rated": len(ratings),
        },
    )
    rate_goals(
        case,
        ratings,
        rated_on=reviewed_on,
        occasion=Occasion.VIG_REVIEW,
        source_public_id=cycle.public_id,
        acting_user=acting_user,
    )
    return review
