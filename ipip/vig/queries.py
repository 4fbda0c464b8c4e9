"""Reading VIG cycles: the index rows, and the clips a consent withdrawal says must go."""

from collections.abc import Mapping
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Prefetch, Q

from ipip.cases.models import Carer, Case, Child
from ipip.consent.models import Purpose
from ipip.consent.queries import consent_state
from ipip.consent.rules import State
from ipip.vig.models import Clip, Filming, VigCycle

# Withdrawing either consent means the family's clips must be deleted (consent.rules flags it).
CLIP_CONSENTS = (Purpose.FILMING, Purpose.CLIP_RETENTION)


def clip_consent_withdrawn(state: Mapping[Purpose, State]) -> bool:
    """Whether consent to filming or to keeping clips is withdrawn in this consent state."""
    return any(state[purpose] == State.WITHDRAWN for purpose in CLIP_CONSENTS)


def clips_to_delete(case: Case) -> int:
    """How many of the case's clips (not removed) must be deleted because consent to filming
    or to keeping clips is now withdrawn; 0 while both stand. Two queries at most."""
    if not clip_consent_withdrawn(consent_state(case)):
        return 0
    return Clip.objects.chosen().filter(filming__cycle__case=case).count()


@dataclass(frozen=True)
class CycleRow:
    """One row of the VIG index."""

    cycle: VigCycle
    has_filming: bool
    clip_count: int  # clips not removed


def cycle_rows(case: Case) -> list[CycleRow]:
    """The case's cycles in number order, whether each is filmed, and its clips not removed:
    one query however many cycles and clips."""
    cycles = (
        VigCycle.objects.filter(case=case)
        .annotate(
            has_filming=Exists(Filming.objects.filter(cycle=OuterRef("pk"))),
            clip_count=Count(
                "filmings__clips", filter=Q(filmings__clips__removed_at__isnull=True)
            ),
        )
        .order_by("number")
    )
    return [CycleRow(c, has_filming=c.has_filming, clip_count=c.clip_count) for c in cycles]


@dataclass(frozen=True)
class FilmingRow:
    """A filming on the cycle page with its chosen clips, and how many were removed."""

    filming: Filming
    clips: list[Clip]
    removed_clips: int


def filming_rows(cycle: VigCycle) -> list[FilmingRow]:
    """The cycle's filmings in date order with who was filmed and their chosen clips in time
    order: four queries however many filmings, people and clips."""
    filmings = (
        Filming.objects.filter(cycle=cycle)
        .prefetch_related(
            Prefetch("filmed_carers", queryset=Carer.objects.order_by("id")),
            Prefetch("filmed_children", queryset=Child.objects.order_by("date_of_birth", "id")),
            Prefetch("clips", queryset=Clip.objects.order_by("start_seconds", "id")),
        )
        .order_by("filmed_on", "id")
    )
    rows = []
    for filming in filmings:
        clips = list(filming.clips.all())
        chosen = [c for c in clips if not c.is_removed]
        rows.append(FilmingRow(filming, clips=chosen, removed_clips=len(clips) - len(chosen)))
    return rows
