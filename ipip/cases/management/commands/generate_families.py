"""`manage.py generate_families N`: synthetic families with referrals, decisions and cases.

Everything is fake: names from Faker `en_GB`, postcodes made from each area's postcode
districts, Ofcom's drama telephone numbers (07700 900xxx) and example.com addresses.
The same `--seed` gives the same families, dates and decisions; public ids and
pseudonyms stay random, so a second run never collides with the first.

Eligibility is decided in memory by the pure rules, on facts built exactly as
`ipip.referrals.screening.facts_for` builds them from the records (same child labels,
same ordering), so the stored decision is the one screening the records would give.
Rows are written in batches (one transaction each) by multi-row INSERTs built from the
models' own fields and conversions (see `Table`), with no query per family, so a hundred
thousand families take about three minutes on SQLite or PostgreSQL.
"""

import argparse
import calendar
import secrets
import time as clock
import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from random import Random
from typing import Any, Final
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.db.models import Field, ForeignKey, OuterRef, Subquery
from django.utils import timezone
from faker import Faker

from ipip.accounts.models import AgencyType, Area, Nation, Role, User
from ipip.audit.events import Action
from ipip.audit.record import record
from ipip.cases.models import (
    ASSESSMENT_KINDS_BY_NATION,
    Approach,
    AssessmentKind,
    Carer,
    Case,
    CaseStatus,
    Child,
    ChildProtectionPlan,
    ClosureReason,
    EarlyHelpAssessment,
    Family,
    PlanCategory,
    Proceedings,
    Relationship,
    Tristate,
    name_key,
    new_pseudonym,
    postcode_key,
)
from ipip.core.models import BaseModel
from ipip.eligibility import rules
from ipip.referrals.models import (
    DuplicateCandidate,
    DuplicateStatus,
    EligibilityDecision,
    MatchReason,
    Referral,
    ReferralStatus,
)

LONDON: Final = ZoneInfo("Europe/London")
DEFAULT_START: Final = date(2024, 4, 1)
SERVICE_MONTHS: Final = 30
DEFAULT_BATCH: Final = 2000
# Rows per statement for the few queries that list ids (old SQLite allows 999 parameters).
ID_CHUNK: Final = 500

OUTCOME_WEIGHTS: Final[Mapping[rules.Outcome, int]] = {
    rules.Outcome.ELIGIBLE: 55,
    rules.Outcome.NOT_ELIGIBLE: 30,
    rules.Outcome.NEEDS_INFORMATION: 15,
}
DUPLICATE_SHARE: Final = 0.01
ACCEPT_SHARE: Final = 0.9  # of eligible referrals (the rest wait in the queue)
DECLINE_SHARE: Final = 0.65  # of not-eligible referrals (the rest are still open)
RESERVOIR_SIZE: Final = 20_000  # earlier referred children a duplicate may repeat

GENERATED_DOMAIN: Final = "generated.ipip.test"
EMAIL_DOMAINS: Final = ("example.com", "example.org", "example.net")
STREET_SUFFIXES: Final = (
    "Road", "Street", "Avenue", "Close", "Lane", "Drive", "Crescent", "Grove", "Way",
    "Terrace", "Gardens", "Place", "Court", "Walk", "Rise", "View",
)  # fmt: skip
# Letters allowed in the inward part of a UK postcode (no C, I, K, M, O or V).
INWARD_LETTERS: Final = "ABDEFGHJLNPQRSTUWXYZ"

REFERRAL_REASONS: Final = (
    "Home conditions are poor and there is often little food in the house.",
    "The child regularly arrives at school hungry and in unwashed clothes.",
    "Several missed health appointments and concerns about the child's weight.",
    "The parent is struggling with routines and supervision at home.",
    "Low school attendance and late arrival most days.",
    "Dental decay left untreated and appointments not kept.",
    "The parent's low mood is affecting the care the children receive.",
    "The child is often left without suitable supervision after school.",
    "Concerns about the emotional warmth and responsiveness the child receives.",
    "The family has engaged with early help but concerns about neglect continue.",
)
CLOSURE_NOTES: Final[Mapping[ClosureReason, str]] = {
    ClosureReason.COMPLETED: "The planned sessions were completed.",
    ClosureReason.WITHDREW: "The family chose to stop working with the service.",
    ClosureReason.DISENGAGED: "Visits were repeatedly missed and contact was lost.",
    ClosureReason.ESCALATED: "Referred to children's social care at the child-protection threshold.",
    ClosureReason.NO_LONGER_ELIGIBLE: "Circumstances changed and the criteria were no longer met.",
    ClosureReason.MOVED_AWAY: "The family moved out of the area.",
}
CLOSURE_WEIGHTS: Final[Mapping[ClosureReason, int]] = {
    ClosureReason.COMPLETED: 62,
    ClosureReason.WITHDREW: 9,
    ClosureReason.DISENGAGED: 13,
    ClosureReason.ESCALATED: 6,
    ClosureReason.NO_LONGER_ELIGIBLE: 4,
    ClosureReason.MOVED_AWAY: 6,
}
# Days from activation to closure, by reason.
CLOSURE_DAYS: Final[Mapping[ClosureReason, tuple[int, int]]] = {
    ClosureReason.COMPLETED: (63, 112),  # two to three months of visits, then the final review
    ClosureReason.WITHDREW: (7, 45),
    ClosureReason.DISENGAGED: (14, 70),
    ClosureReason.ESCALATED: (5, 60),
    ClosureReason.NO_LONGER_ELIGIBLE: (10, 60),
    ClosureReason.MOVED_AWAY: (10, 80),
}
PLAN_CATEGORY_WEIGHTS: Final[Mapping[PlanCategory, int]] = {
    PlanCategory.NEGLECT: 50,
    PlanCategory.EMOTIONAL: 25,
    PlanCategory.PHYSICAL: 10,
    PlanCategory.MULTIPLE: 10,
    PlanCategory.NOT_KNOWN: 5,
}


# --- Places ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Region:
    """Where a family lives: a name, its nation and some real postcode districts."""

    name: str
    nation: str
    districts: tuple[str, ...]
    towns: tuple[str, ...]
    weight: float = 1.0


SERVED_REGIONS: Final[Mapping[str, Region]] = {
    r.name: r
    for r in (
        Region("Belfast", Nation.NORTHERN_IRELAND,
               ("BT4", "BT5", "BT6", "BT9", "BT11", "BT12", "BT13", "BT14", "BT15", "BT17"),
               ("Belfast",), 1.0),
        Region("Cardiff", Nation.WALES,
               ("CF3", "CF5", "CF10", "CF11", "CF14", "CF23", "CF24"), ("Cardiff",), 1.0),
        Region("Glasgow", Nation.SCOTLAND,
               ("G13", "G14", "G15", "G20", "G21", "G22", "G31", "G32", "G33", "G34", "G40",
                "G42", "G45", "G51", "G52", "G53"), ("Glasgow",), 1.15),
        Region("Grimsby", Nation.ENGLAND,
               ("DN31", "DN32", "DN33", "DN34", "DN35", "DN37"),
               ("Grimsby", "Cleethorpes", "Immingham"), 0.75),
        Region("Hull", Nation.ENGLAND,
               ("HU1", "HU2", "HU3", "HU4", "HU5", "HU6", "HU7", "HU8", "HU9"), ("Hull",), 1.0),
        Region("Peterborough", Nation.ENGLAND,
               ("PE1", "PE2", "PE3", "PE4", "PE7"), ("Peterborough",), 0.9),
        Region("Sheffield", Nation.ENGLAND,
               ("S2", "S3", "S4", "S5", "S6", "S8", "S9", "S12", "S13", "S14", "S35"),
               ("Sheffield",), 1.15),
        Region("Southampton", Nation.ENGLAND,
               ("SO14", "SO15", "SO16", "SO17", "SO18", "SO19"), ("Southampton",), 1.0),
    )
}  # fmt: skip

# Places the service does not cover: families referred from there are not eligible.
OTHER_REGIONS: Final[tuple[Region, ...]] = (
    Region("Leeds", Nation.ENGLAND, ("LS6", "LS8", "LS9", "LS11", "LS14"), ("Leeds",)),
    Region("Manchester", Nation.ENGLAND, ("M8", "M11", "M12", "M13", "M40"), ("Manchester",)),
    Region("Bradford", Nation.ENGLAND, ("BD3", "BD4", "BD5", "BD8"), ("Bradford",)),
    Region("Nottingham", Nation.ENGLAND, ("NG3", "NG5", "NG7", "NG8"), ("Nottingham",)),
    Region("Bristol", Nation.ENGLAND, ("BS2", "BS5", "BS13"), ("Bristol",)),
    Region("Newcastle upon Tyne", Nation.ENGLAND, ("NE4", "NE5", "NE6", "NE15"),
           ("Newcastle upon Tyne",)),
    Region("Doncaster", Nation.ENGLAND, ("DN1", "DN2", "DN4", "DN5"), ("Doncaster",)),
    Region("Lincoln", Nation.ENGLAND, ("LN1", "LN2", "LN6"), ("Lincoln",)),
    Region("Swansea", Nation.WALES, ("SA1", "SA5", "SA6"), ("Swansea",)),
    Region("Edinburgh", Nation.SCOTLAND, ("EH4", "EH7", "EH11", "EH16"), ("Edinburgh",)),
    Region("Derry", Nation.NORTHERN_IRELAND, ("BT47", "BT48"), ("Derry",)),
)  # fmt: skip


@dataclass(frozen=True)
class ServedArea:
    pk: int
    name: str
    is_served: bool
    region: Region


def served_areas(areas: Iterable[Area]) -> list[ServedArea]:
    """The areas in the database, with their postcode districts (a fallback for new ones)."""
    found: list[ServedArea] = []
    for area in areas:
        region = SERVED_REGIONS.get(area.name) or Region(
            area.name, area.nation, ("ZZ1", "ZZ2", "ZZ3"), (area.name,)
        )
        found.append(
            ServedArea(pk=area.pk, name=area.name, is_served=area.is_served, region=region)
        )
    return found


# --- What a generated family looks like, before it is written ---------------------------


@dataclass
class PlanSpec:
    started_on: date
    ended_on: date | None
    is_ongoing: bool
    category: str


@dataclass(eq=False)
class ChildSpec:
    first_name: str
    last_name: str
    date_of_birth: date | None
    ever_on_plan: str = Tristate.NO
    care_proceedings: str = Proceedings.NONE
    plans: list[PlanSpec] = field(default_factory=list)
    pk: int | None = None  # set once written

    @property
    def written_pk(self) -> int:
        assert self.pk is not None, "the child has not been written yet"
        return self.pk


@dataclass
class CarerSpec:
    first_name: str
    last_name: str
    relationship: str
    phone: str
    email: str
    lives_in_household: bool
    has_parental_responsibility: bool


@dataclass
class AssessmentSpec:
    kind: str
    completed_on: date | None
    shows_neglect_concerns: str


@dataclass
class FamilySpec:
    received_on: date
    area: ServedArea | None
    other_area_name: str
    address_line_1: str
    address_line_2: str
    town: str
    postcode: str
    carers: list[CarerSpec]
    referred: ChildSpec
    others: list[ChildSpec]  # ordered as screening orders them: date of birth, then creation
    assessment: AssessmentSpec | None
    duplicate_of: ChildSpec | None = None


# --- Facts, exactly as screening builds them from the records --------------------------


def _child_fact(child: ChildSpec, label: str) -> rules.ChildFact:
    return rules.ChildFact(
        label=label,
        date_of_birth=child.date_of_birth,
        ever_on_plan=rules.Tristate(child.ever_on_plan),
        plans=tuple(
            rules.PlanFact(started_on=p.started_on, ended_on=p.ended_on, is_ongoing=p.is_ongoing)
            for p in child.plans
        ),
        care_proceedings=rules.Proceedings(child.care_proceedings),
    )


def facts_of(spec: FamilySpec) -> rules.ReferralFacts:
    """The mirror of `screening.facts_for` for a family not yet written.

    Plans are held in start order (the plans' default ordering) and the other children in
    the order screening reads them (date of birth, then creation order); each referred
    child has at most one assessment, so the one recorded is the one chosen.
    """
    area = spec.area
    assessment = spec.assessment
    return rules.ReferralFacts(
        referral_on=spec.received_on,
        area_name=area.name if area is not None else (spec.other_area_name or None),
        area_is_served=area is not None and area.is_served,
        referred_child=_child_fact(spec.referred, "the referred child"),
        other_children=tuple(
            _child_fact(child, f"other child {i}") for i, child in enumerate(spec.others, start=1)
        ),
        assessment=None
        if assessment is None
        else rules.AssessmentFact(
            kind_label=str(AssessmentKind(assessment.kind).label),
            completed_on=assessment.completed_on,
            shows_neglect_concerns=rules.Tristate(assessment.shows_neglect_concerns),
        ),
    )


# --- Generating families -------------------------------------------------------------


@dataclass(frozen=True)
class Spoiler:
    """One way a referral falls short of a criterion; `topic` keeps two from clashing."""

    name: str
    topic: str
    weight: int


NOT_MET_SPOILERS: Final = (
    Spoiler("area_not_served", "area", 17),
    Spoiler("too_young", "age", 9),
    Spoiler("too_old", "age", 9),
    Spoiler("no_neglect_concerns", "assessment", 16),
    Spoiler("assessment_after_referral", "assessment", 3),
    Spoiler("proceedings_under_way", "proceedings", 10),
    Spoiler("referred_child_plan", "child_plan", 21),
    Spoiler("sibling_recent_plan", "siblings", 15),
)
UNKNOWN_SPOILERS: Final = (
    Spoiler("area_unknown", "area", 4),
    Spoiler("dob_missing", "age", 14),
    Spoiler("assessment_missing", "assessment", 20),
    Spoiler("assessment_undated", "assessment", 14),
    Spoiler("concerns_unknown", "assessment", 16),
    Spoiler("proceedings_unknown", "proceedings", 16),
    Spoiler("child_plan_unknown", "child_plan", 10),
    Spoiler("sibling_plan_unknown", "siblings", 6),
)
NEEDS_SIBLING: Final = frozenset({"sibling_recent_plan", "sibling_plan_unknown"})


@dataclass(frozen=True)
class NamePools:
    """Names drawn once from Faker `en_GB` (seeded), then picked from at speed."""

    female: tuple[str, ...]
    male: tuple[str, ...]
    surnames: tuple[str, ...]
    streets: tuple[str, ...]

    @classmethod
    def draw(cls, fake: Any, size: int = 2000) -> "NamePools":  # Faker is untyped
        surnames = tuple(fake.last_name() for _ in range(size))
        streets = tuple(
            f"{fake.last_name() if i % 3 else fake.first_name()} {STREET_SUFFIXES[i % len(STREET_SUFFIXES)]}"
            for i in range(size)
        )
        return cls(
            female=tuple(fake.first_name_female() for _ in range(size)),
            male=tuple(fake.first_name_male() for _ in range(size)),
            surnames=surnames,
            streets=streets,
        )


def days(n: int) -> timedelta:
    return timedelta(days=n)


def at(rng: Random, day: date) -> datetime:
    """A time in the working day on `day`, UK time."""
    return datetime.combine(
        day, time(rng.randint(9, 16), rng.choice((0, 15, 30, 45))), tzinfo=LONDON
    )


class FamilyGenerator:
    """Makes one family at a time, aiming at an outcome and then letting the rules decide."""

    def __init__(self, *, rng: Random, names: NamePools, areas: Sequence[ServedArea]) -> None:
        self.rng = rng
        self.names = names
        self.areas = list(areas)
        self._area_weights = [a.region.weight for a in self.areas]
        self.reservoir: list[ChildSpec] = []
        self._remembered = 0

    # Choices ----------------------------------------------------------------------------

    def _target(self) -> rules.Outcome:
        return self.rng.choices(list(OUTCOME_WEIGHTS), weights=list(OUTCOME_WEIGHTS.values()))[0]

    def _pick_spoiler(self, pool: Sequence[Spoiler], taken: set[str]) -> Spoiler | None:
        free = [s for s in pool if s.topic not in taken]
        if not free:
            return None
        return self.rng.choices(free, weights=[s.weight for s in free])[0]

    def _spoilers(self, target: rules.Outcome) -> list[Spoiler]:
        if target is rules.Outcome.ELIGIBLE:
            return []
        pool = NOT_MET_SPOILERS if target is rules.Outcome.NOT_ELIGIBLE else UNKNOWN_SPOILERS
        first = self._pick_spoiler(pool, set())
        assert first is not None
        chosen = [first]
        if self.rng.random() < 0.15:
            # A second shortfall: for a not-eligible referral, often something also unknown.
            extra_pool = UNKNOWN_SPOILERS if self.rng.random() < 0.6 else pool
            extra = self._pick_spoiler(extra_pool, {first.topic})
            if extra is not None:
                chosen.append(extra)
        return chosen

    def _first_name(self) -> str:
        return self.rng.choice(self.names.female if self.rng.random() < 0.5 else self.names.male)

    # The family ----------------------------------------------------------------------

    def family(self, received_on: date) -> FamilySpec:
        spoilers = self._spoilers(self._target())
        names = {s.name for s in spoilers}
        topics = {s.topic for s in spoilers}
        area, other_area_name, region = self._place(names)
        duplicate = self._duplicate(topics)
        surname = duplicate.last_name if duplicate else self.rng.choice(self.names.surnames)
        spec = FamilySpec(
            received_on=received_on,
            area=area,
            other_area_name=other_area_name,
            **self._address(region),
            carers=self._carers(surname),
            referred=self._referred(surname, names, duplicate, received_on),
            others=self._others(surname, names, received_on),
            assessment=self._assessment(region.nation, received_on),
            duplicate_of=duplicate,
        )
        self._vary(spec)
        for spoiler in spoilers:  # a list: sets iterate in a different order in each process
            self._spoil(spoiler.name, spec)
        for child in (spec.referred, *spec.others):
            child.plans.sort(key=lambda p: p.started_on)
        # Stable: twins keep their creation order, as screening's ("date_of_birth", "id").
        spec.others.sort(key=lambda c: c.date_of_birth or date.min)
        self._remember(spec.referred)
        return spec

    def _place(self, names: set[str]) -> tuple[ServedArea | None, str, Region]:
        if "area_not_served" in names:
            region = self.rng.choice(OTHER_REGIONS)
            return None, region.name, region
        if "area_unknown" in names:
            regions = [*OTHER_REGIONS, *(a.region for a in self.areas)]
            return None, "", self.rng.choice(regions)
        area = self.rng.choices(self.areas, weights=self._area_weights)[0]
        return area, "", area.region

    def _address(self, region: Region) -> dict[str, str]:
        rng = self.rng
        street = f"{rng.randint(1, 240)} {rng.choice(self.names.streets)}"
        line_1, line_2 = (
            (f"Flat {rng.randint(1, 30)}", street) if rng.random() < 0.15 else (street, "")
        )
        inward = f"{rng.randint(0, 9)}{rng.choice(INWARD_LETTERS)}{rng.choice(INWARD_LETTERS)}"
        return {
            "address_line_1": line_1,
            "address_line_2": line_2,
            "town": rng.choice(region.towns),
            "postcode": f"{rng.choice(region.districts)} {inward}",
        }

    def _duplicate(self, topics: set[str]) -> ChildSpec | None:
        if "age" in topics or not self.reservoir or self.rng.random() >= DUPLICATE_SHARE:
            return None
        return self.rng.choice(self.reservoir)

    def _remember(self, child: ChildSpec) -> None:
        """Keep a sample of referred children for later referrals to repeat."""
        if child.date_of_birth is None:
            return
        self._remembered += 1
        if len(self.reservoir) < RESERVOIR_SIZE:
            self.reservoir.append(child)
        else:
            slot = self.rng.randrange(self._remembered)
            if slot < RESERVOIR_SIZE:
                self.reservoir[slot] = child

    def _carer(self, relationship: str, surname: str) -> CarerSpec:
        rng = self.rng
        female = {Relationship.MOTHER: True, Relationship.FATHER: False}.get(
            Relationship(relationship), rng.random() < 0.6
        )
        first = rng.choice(self.names.female if female else self.names.male)
        local = "".join(ch for ch in f"{first}.{surname}".lower() if ch.isalnum() or ch == ".")
        email = (
            f"{local}{rng.randint(1, 99)}@{rng.choice(EMAIL_DOMAINS)}"
            if rng.random() < 0.8
            else ""
        )
        phone = f"07700 900{rng.randrange(1000):03d}" if rng.random() < 0.95 else ""
        not_parent = relationship in (
            Relationship.GRANDPARENT,
            Relationship.KINSHIP_CARER,
            Relationship.STEP_PARENT,
            Relationship.OTHER,
        )
        return CarerSpec(
            first_name=first,
            last_name=surname,
            relationship=relationship,
            phone=phone,
            email=email,
            lives_in_household=not (relationship == Relationship.FATHER and rng.random() < 0.2),
            has_parental_responsibility=not (not_parent and rng.random() < 0.6),
        )

    def _carers(self, surname: str) -> list[CarerSpec]:
        rng = self.rng
        first = rng.choices(
            (
                Relationship.MOTHER,
                Relationship.FATHER,
                Relationship.GRANDPARENT,
                Relationship.KINSHIP_CARER,
            ),
            weights=(78, 10, 8, 4),
        )[0]
        carers = [self._carer(first, surname)]
        if rng.random() < 0.55:
            if first == Relationship.MOTHER:
                options = (Relationship.FATHER, Relationship.STEP_PARENT, Relationship.GRANDPARENT)
                weights: tuple[int, ...] = (60, 30, 10)
            else:
                options = (Relationship.MOTHER, Relationship.GRANDPARENT, Relationship.OTHER)
                weights = (50, 30, 20)
            second = rng.choices(options, weights=weights)[0]
            last = surname if rng.random() < 0.7 else rng.choice(self.names.surnames)
            carers.append(self._carer(second, last))
        return carers

    def _referred_age_days(self, names: set[str]) -> int:
        # 732 days is always at least 2 years; 4,740 days is always under 13 years.
        if "too_young" in names:
            return self.rng.randint(30, 728)
        if "too_old" in names:
            return self.rng.randint(4759, 5475)
        return int(self.rng.triangular(732, 4740, 1600))

    def _referred(
        self, surname: str, names: set[str], duplicate: ChildSpec | None, received_on: date
    ) -> ChildSpec:
        if duplicate is not None:
            return ChildSpec(duplicate.first_name, duplicate.last_name, duplicate.date_of_birth)
        dob = (
            None if "dob_missing" in names else received_on - days(self._referred_age_days(names))
        )
        return ChildSpec(self._first_name(), surname, dob)

    def _others(self, surname: str, names: set[str], received_on: date) -> list[ChildSpec]:
        rng = self.rng
        count = rng.choices((0, 1, 2, 3), weights=(35, 35, 20, 10))[0]
        if names & NEEDS_SIBLING or ("proceedings_under_way" in names and rng.random() < 0.4):
            count = max(count, 1)
        last = surname if rng.random() < 0.85 else rng.choice(self.names.surnames)
        return [
            ChildSpec(self._first_name(), last, received_on - days(rng.randint(20, 17 * 365)))
            for _ in range(count)
        ]

    def _assessment(self, nation: str, received_on: date) -> AssessmentSpec:
        kinds = sorted(ASSESSMENT_KINDS_BY_NATION[nation])
        return AssessmentSpec(
            kind=self.rng.choice(kinds),
            completed_on=received_on - days(self.rng.randint(7, 240)),
            shows_neglect_concerns=Tristate.YES,
        )

    # Plans -----------------------------------------------------------------------------

    def _category(self) -> str:
        return self.rng.choices(
            list(PLAN_CATEGORY_WEIGHTS), weights=list(PLAN_CATEGORY_WEIGHTS.values())
        )[0]

    def _ended_plan(self, born: date, end_from: date, end_to: date) -> PlanSpec | None:
        """A plan that ended between the two dates and started after the child was born."""
        earliest = max(end_from, born + days(90))
        if earliest > end_to:
            return None
        ended = earliest + days(self.rng.randint(0, (end_to - earliest).days))
        started = max(born, ended - days(self.rng.randint(90, 730)))
        return PlanSpec(started, ended, False, self._category())

    def _ongoing_plan(self, born: date, received_on: date) -> PlanSpec:
        started = max(born, received_on - days(self.rng.randint(30, 540)))
        return PlanSpec(min(started, received_on), None, True, self._category())

    def _vary(self, spec: FamilySpec) -> None:
        """Histories that still meet the criteria: old sibling plans, concluded proceedings."""
        ref = spec.received_on
        window_start = rules.two_year_window_start(ref)
        for child in spec.others:
            assert child.date_of_birth is not None
            if self.rng.random() < 0.08:
                plan = self._ended_plan(
                    child.date_of_birth, ref - days(8 * 365), window_start - days(1)
                )
                if plan is not None:
                    child.plans, child.ever_on_plan = [plan], Tristate.YES
            if self.rng.random() < 0.04:
                child.care_proceedings = Proceedings.CONCLUDED
        if self.rng.random() < 0.01:
            spec.referred.care_proceedings = Proceedings.CONCLUDED

    # Shortfalls -------------------------------------------------------------------------

    def _spoil(self, name: str, spec: FamilySpec) -> None:
        handlers: Mapping[str, Callable[[FamilySpec], None]] = {
            "no_neglect_concerns": lambda s: self._set_concerns(s, Tristate.NO),
            "concerns_unknown": lambda s: self._set_concerns(s, Tristate.UNKNOWN),
            "assessment_undated": lambda s: self._set_completed_on(s, None),
            "assessment_after_referral": lambda s: self._set_completed_on(
                s, s.received_on + days(self.rng.randint(1, 45))
            ),
            "assessment_missing": self._drop_assessment,
            "proceedings_under_way": lambda s: self._proceedings(s, Proceedings.UNDER_WAY),
            "proceedings_unknown": lambda s: self._proceedings(s, Proceedings.UNKNOWN),
            "referred_child_plan": self._referred_child_plan,
            "child_plan_unknown": self._child_plan_unknown,
            "sibling_recent_plan": self._sibling_recent_plan,
            "sibling_plan_unknown": self._sibling_plan_unknown,
        }
        handler = handlers.get(name)  # area and age shortfalls are made with the family
        if handler is not None:
            handler(spec)

    def _set_concerns(self, spec: FamilySpec, concerns: Tristate) -> None:
        assert spec.assessment is not None
        spec.assessment.shows_neglect_concerns = concerns

    def _set_completed_on(self, spec: FamilySpec, completed_on: date | None) -> None:
        assert spec.assessment is not None
        spec.assessment.completed_on = completed_on

    def _drop_assessment(self, spec: FamilySpec) -> None:
        spec.assessment = None

    def _proceedings(self, spec: FamilySpec, status: Proceedings) -> None:
        rng = self.rng
        if status is Proceedings.UNKNOWN and rng.random() < 0.3:
            chosen = [spec.referred, *spec.others]  # the referral says nothing for any child
        elif not spec.others or rng.random() < 0.6:
            chosen = [spec.referred]
        else:
            chosen = [rng.choice(spec.others)]
        for child in chosen:
            child.care_proceedings = status

    def _referred_child_plan(self, spec: FamilySpec) -> None:
        child, ref = spec.referred, spec.received_on
        born = child.date_of_birth or ref - days(5 * 365)
        child.ever_on_plan = Tristate.YES
        roll = self.rng.random()
        if roll < 0.15:
            child.plans = []  # "yes", with the dates not recorded
            return
        plan = None if roll < 0.4 else self._ended_plan(born, born, ref - days(1))
        child.plans = [plan or self._ongoing_plan(born, ref)]

    def _child_plan_unknown(self, spec: FamilySpec) -> None:
        spec.referred.ever_on_plan = Tristate.UNKNOWN
        spec.referred.plans = []

    def _sibling_recent_plan(self, spec: FamilySpec) -> None:
        ref = spec.received_on
        sibling = min(spec.others, key=lambda c: c.date_of_birth or ref)
        assert sibling.date_of_birth is not None
        sibling.ever_on_plan = Tristate.YES
        plan = None
        if self.rng.random() >= 0.35:
            plan = self._ended_plan(
                sibling.date_of_birth, rules.two_year_window_start(ref), ref - days(1)
            )
        sibling.plans = [plan or self._ongoing_plan(sibling.date_of_birth, ref)]

    def _sibling_plan_unknown(self, spec: FamilySpec) -> None:
        ref = spec.received_on
        sibling = self.rng.choice(spec.others)
        assert sibling.date_of_birth is not None
        roll = self.rng.random()
        if roll < 0.6:
            sibling.ever_on_plan, sibling.plans = Tristate.UNKNOWN, []
            return
        sibling.ever_on_plan = Tristate.YES
        sibling.plans = []
        if roll < 0.85:  # a plan whose end date the referrer did not give
            started = max(sibling.date_of_birth, ref - days(self.rng.randint(100, 1500)))
            sibling.plans = [PlanSpec(min(started, ref), None, False, self._category())]


# --- People: referrers, practitioners and managers -----------------------------------


@dataclass
class Staff:
    referrers: dict[int, list[User]]  # by area pk
    all_referrers: list[User]
    practitioners: dict[int, list[int]]  # by area pk
    managers: dict[int, int]  # the first centre manager of each area
    lead: int | None


REFERRER_AGENCIES: Final = (AgencyType.HEALTH_VISITOR, AgencyType.SCHOOL, AgencyType.EARLY_HELP)


def _agency_name(agency: str, area_name: str, fake: Any) -> str:  # Faker is untyped
    if agency == AgencyType.SCHOOL:
        return f"{fake.last_name()} Primary School"
    if agency == AgencyType.HEALTH_VISITOR:
        return f"{area_name} Health Visiting Service"
    if agency == AgencyType.EARLY_HELP:
        return f"{area_name} Early Help Team"
    return f"{fake.last_name()} Family Support"


class StaffBuilder:
    """Finds the people generated referrals need, creating a few per area only if missing."""

    def __init__(self, fake: Any) -> None:  # Faker is untyped
        self.fake = fake
        self.created = 0
        self._emails = set(
            User.objects.filter(email__endswith=f"@{GENERATED_DOMAIN}").values_list(
                "email", flat=True
            )
        )

    def _email(self, role: str, area_name: str) -> str:
        slug = "-".join(area_name.lower().split())
        n = 1
        while f"{role}{n}.{slug}@{GENERATED_DOMAIN}" in self._emails:
            n += 1
        email = f"{role}{n}.{slug}@{GENERATED_DOMAIN}"
        self._emails.add(email)
        return email

    def _new(self, role: Role, area: ServedArea, **extra: str) -> User:
        user = User(
            email=self._email(str(role).replace("_", "-"), area.name),
            first_name=self.fake.first_name(),
            last_name=self.fake.last_name(),
            role=role,
            area_id=area.pk,
            password=make_password(None),  # generated people cannot sign in
            **extra,
        )
        user.save()
        self.created += 1
        return user

    def build(self, areas: Sequence[ServedArea]) -> Staff:
        active = User.objects.filter(is_active=True).order_by("pk")
        referrers = list(active.filter(role=Role.REFERRER))
        unplaced = [u for u in referrers if u.area_id is None]
        by_area: dict[int, list[User]] = {}
        practitioners: dict[int, list[int]] = {}
        for area in areas:
            own = [u for u in referrers if u.area_id == area.pk] or unplaced
            if not own:
                own = [self._referrer(area, agency) for agency in REFERRER_AGENCIES]
                referrers.extend(own)
            by_area[area.pk] = own
            staff = list(
                active.filter(role=Role.PRACTITIONER, area_id=area.pk).values_list("pk", flat=True)
            )
            practitioners[area.pk] = staff or [
                self._new(Role.PRACTITIONER, area).pk for _ in range(4)
            ]
        managers: dict[int, int] = {}
        for pk, area_id in active.filter(role=Role.CENTRE_MANAGER).values_list("pk", "area_id"):
            if area_id is not None:
                managers.setdefault(area_id, pk)
        lead = active.filter(role=Role.NATIONAL_LEAD).values_list("pk", flat=True).first()
        return Staff(by_area, referrers, practitioners, managers, lead)

    def _referrer(self, area: ServedArea, agency: AgencyType) -> User:
        return self._new(
            Role.REFERRER,
            area,
            agency_type=agency,
            agency_name=_agency_name(agency, area.name, self.fake),
        )


# --- What happened after screening ----------------------------------------------------


@dataclass
class CaseSpec:
    accepted_at: datetime
    status: str = CaseStatus.ACCEPTED
    approach: str = ""
    allocated_to: int | None = None
    allocated_at: datetime | None = None
    activated_at: datetime | None = None
    closed_at: datetime | None = None
    closure_reason: str = ""
    closure_note: str = ""
    version: int = 1


@dataclass
class Planned:
    """A family with its referral, decision and (maybe) case, ready to write."""

    spec: FamilySpec
    referrer: User
    reason: str
    facts: rules.ReferralFacts
    decision: rules.Decision
    screened_at: datetime
    status: str = ReferralStatus.SCREENED
    decided_at: datetime | None = None
    decided_by: int | None = None
    decline_reason: str = ""
    case: CaseSpec | None = None

    @property
    def version(self) -> int:
        # Received (1), screened (2), then accepted or declined (3).
        return 2 if self.status == ReferralStatus.SCREENED else 3


class Planner:
    """Screens a generated family with the rules, then plays its referral forward."""

    def __init__(
        self, *, rng: Random, generator: FamilyGenerator, staff: Staff, as_of: datetime
    ) -> None:
        self.rng = rng
        self.generator = generator
        self.staff = staff
        self.as_of = as_of

    def plan(self, spec: FamilySpec) -> Planned:
        rng = self.rng
        area = spec.area
        pool = self.staff.referrers[area.pk] if area is not None else self.staff.all_referrers
        facts = facts_of(spec)
        planned = Planned(
            spec=spec,
            referrer=rng.choice(pool),
            reason=" ".join(rng.sample(REFERRAL_REASONS, rng.randint(1, 2))),
            facts=facts,
            decision=rules.evaluate(facts),
            screened_at=at(self.rng, spec.received_on),
        )
        outcome = planned.decision.outcome
        if outcome is rules.Outcome.ELIGIBLE and area is not None and spec.duplicate_of is None:
            if rng.random() < ACCEPT_SHARE:
                self._accept(planned, area.pk)
        elif outcome is rules.Outcome.NOT_ELIGIBLE and rng.random() < DECLINE_SHARE:
            self._decline(planned)
        return planned

    def _decider(self, planned: Planned) -> int | None:
        area = planned.spec.area
        return self.staff.managers.get(area.pk, self.staff.lead) if area else self.staff.lead

    def _accept(self, planned: Planned, area_pk: int) -> None:
        accepted_at = at(self.rng, planned.spec.received_on + days(self.rng.randint(1, 14)))
        case = self._case(area_pk, accepted_at)
        if accepted_at >= self.as_of:
            return  # still waiting in the queue at the end of the period
        planned.status = ReferralStatus.ACCEPTED
        planned.decided_at = accepted_at
        planned.decided_by = self._decider(planned)
        planned.case = case

    def _decline(self, planned: Planned) -> None:
        decided_at = at(self.rng, planned.spec.received_on + days(self.rng.randint(1, 10)))
        if decided_at >= self.as_of:
            return
        not_met = next(r for r in planned.decision.results if r.result is rules.Result.NOT_MET)
        planned.status = ReferralStatus.DECLINED
        planned.decided_at = decided_at
        planned.decided_by = self._decider(planned)
        planned.decline_reason = (
            f"The referral does not meet the service's criteria. {not_met.reason}"
        )

    def _case(self, area_pk: int, accepted_at: datetime) -> CaseSpec:
        rng = self.rng
        practitioner = rng.choice(self.staff.practitioners[area_pk])
        approach = rng.choice((Approach.VIG, Approach.PTP))
        allocated_at = accepted_at + days(rng.randint(3, 60))  # the waiting list
        activated_at: datetime | None = allocated_at + days(rng.randint(5, 21))
        reason = rng.choices(list(CLOSURE_WEIGHTS), weights=list(CLOSURE_WEIGHTS.values()))[0]
        if reason is ClosureReason.WITHDREW and rng.random() < 0.4:
            activated_at = None  # withdrew before the first visit
            closed_at = allocated_at + days(rng.randint(1, 10))
        else:
            assert activated_at is not None
            closed_at = activated_at + days(rng.randint(*CLOSURE_DAYS[reason]))
        case = CaseSpec(accepted_at=accepted_at)
        if allocated_at >= self.as_of:
            return case
        case.status, case.version = CaseStatus.ALLOCATED, 2
        case.allocated_to, case.approach, case.allocated_at = practitioner, approach, allocated_at
        if activated_at is not None and activated_at < self.as_of:
            case.status, case.version, case.activated_at = CaseStatus.ACTIVE, 3, activated_at
        if closed_at < self.as_of:
            case.status, case.version, case.closed_at = (
                CaseStatus.CLOSED,
                case.version + 1,
                closed_at,
            )
            case.closure_reason, case.closure_note = reason, CLOSURE_NOTES[reason]
        return case


# --- Writing ---------------------------------------------------------------------------

Row = dict[str, object]

# Column types the database drivers take as Python gives them (ids, text, booleans).
PASS_THROUGH: Final = frozenset({
    "AutoField", "BigAutoField", "SmallAutoField", "IntegerField", "BigIntegerField",
    "SmallIntegerField", "PositiveIntegerField", "PositiveBigIntegerField",
    "PositiveSmallIntegerField", "CharField", "TextField", "BooleanField",
})  # fmt: skip


def _chunks[T](items: Sequence[T], size: int = ID_CHUNK) -> list[Sequence[T]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def _hex(value: object) -> object:
    assert isinstance(value, uuid.UUID)
    return value.hex


def _converter(field: "Field[Any, Any]") -> Callable[[Any], object] | None:
    """How a value goes to the database for this column, as Django would send it.

    None when the driver takes the Python value as it is. Dates, times and UUIDs use the
    backend's own adapters directly (the generator only makes proper values of them);
    anything else goes through the field's `get_db_prep_save`.
    """
    db = connections[DEFAULT_DB_ALIAS]
    kind = field.get_internal_type()
    if isinstance(field, ForeignKey):
        kind = field.target_field.get_internal_type()
    if kind in PASS_THROUGH:
        return None
    if kind == "UUIDField":
        return None if db.features.has_native_uuid_field else _hex
    if kind == "DateTimeField":
        return db.ops.adapt_datetimefield_value
    if kind == "DateField":
        return db.ops.adapt_datefield_value
    return lambda value: field.get_db_prep_save(value, db)


def _array_type(field: "Field[Any, Any]") -> str:
    """The PostgreSQL array type for a column: varchar[] not varchar(80)[], so nothing is cut."""
    db_type = field.db_type(connection)
    assert db_type is not None
    return db_type.split("(")[0] + "[]"


class Table:
    """Multi-row INSERTs into one model's table, without building model instances.

    `bulk_create` spends most of its time building instances and preparing each value
    through the query compiler (about 3 ms a family here); this writes the same rows,
    converted by each field's own `get_db_prep_save`, in a few statements per batch.
    New ids come back with RETURNING (PostgreSQL, SQLite 3.35+) or, on older SQLite, are
    read back by each row's random `public_id`.
    """

    def __init__(self, model: type[BaseModel], *, now: datetime) -> None:
        meta = model._meta
        fields = [f for f in meta.concrete_fields if not f.primary_key]
        self.model = model
        self._columns = [(f.attname, f, _converter(f)) for f in fields]
        # created_at and modified_at: one "now" for the whole run, converted once.
        self._constants = {
            f.attname: f.get_db_prep_save(now, connection)
            for f in fields
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
        }
        quote = connection.ops.quote_name
        mark = "?" if connection.vendor == "sqlite" else "%s"
        table = quote(meta.db_table)
        names = ", ".join(quote(f.column) for f in fields)
        # Table and column names come from the model and are quoted; values are parameters.
        self._head = f"INSERT INTO {table} ({names}) VALUES "  # noqa: S608
        self._row = "(" + ", ".join([mark] * len(fields)) + ")"
        self._returning = f" RETURNING {quote(meta.pk.column)}"
        arrays = ", ".join(f"(%s)::{_array_type(f)}" for f in fields)
        self._unnest = f"INSERT INTO {table} ({names}) SELECT * FROM UNNEST({arrays})"  # noqa: S608
        limit = connection.features.max_query_params or 65_535
        self._per_statement = max(1, min(500, limit // len(fields)))

    def _values(self, row: Row) -> list[object]:
        values: list[object] = []
        for attname, field_, convert in self._columns:
            if attname in self._constants:
                values.append(self._constants[attname])
                continue
            value = row[attname] if attname in row else field_.get_default()
            values.append(value if convert is None or value is None else convert(value))
        return values

    def insert(self, rows: Sequence[Row], *, returning: bool = False) -> list[int]:
        """Insert the rows in order; with `returning`, give back their new ids in that order."""
        if not rows:
            return []
        values = [self._values(row) for row in rows]
        connection.ensure_connection()
        if connection.vendor == "postgresql":
            return self._insert_postgresql(values, returning=returning)
        use_returning = returning and connection.features.can_return_rows_from_bulk_insert
        ids: list[int] = []
        # The driver's own cursor: Django's debug cursor would log every chunk under DEBUG.
        cursor = connection.connection.cursor()
        try:
            for chunk in _chunks(values, self._per_statement):
                sql = self._head + ", ".join([self._row] * len(chunk))
                params = [value for row in chunk for value in row]
                if use_returning:
                    cursor.execute(sql + self._returning, params)
                    ids.extend(int(found[0]) for found in cursor.fetchall())
                else:
                    cursor.execute(sql, params)
        finally:
            cursor.close()
        if returning and not use_returning:
            ids = self._ids_by_public_id(rows)
        return ids

    def _insert_postgresql(self, values: list[list[object]], *, returning: bool) -> list[int]:
        # One statement per table: an array per column, unnested, as Django 5.2's own
        # bulk_create does on PostgreSQL; bound on the server, so the arrays go as they are.
        import psycopg  # only on PostgreSQL

        sql = self._unnest + (self._returning if returning else "")
        columns = [list(column) for column in zip(*values, strict=True)]
        with psycopg.Cursor(connection.connection) as cursor:
            cursor.execute(sql, columns)
            return [int(found[0]) for found in cursor.fetchall()] if returning else []

    def _ids_by_public_id(self, rows: Sequence[Row]) -> list[int]:
        manager = self.model._default_manager
        found: dict[object, int] = {}
        for chunk in _chunks([row["public_id"] for row in rows]):
            found.update(manager.filter(public_id__in=chunk).values_list("public_id", "pk"))
        return [found[row["public_id"]] for row in rows]


class BatchWriter:
    """Writes a batch of planned families: a few statements per table, none per family."""

    def __init__(self, *, now: datetime) -> None:
        self._pseudonyms: set[str] = set()
        self.tables = {
            model: Table(model, now=now)
            for model in (Family, Carer, Child, ChildProtectionPlan, EarlyHelpAssessment, Case,
                          Referral, EligibilityDecision, DuplicateCandidate)
        }  # fmt: skip

    def _new_pseudonym(self) -> str:
        while (pseudonym := new_pseudonym()) in self._pseudonyms:
            pass
        self._pseudonyms.add(pseudonym)
        return pseudonym

    def _pseudonyms_for(self, count: int) -> list[str]:
        """Fresh random pseudonyms, checked against those already on record."""
        chosen = [self._new_pseudonym() for _ in range(count)]
        while True:
            taken = {
                p
                for chunk in _chunks(chosen)
                for p in Family.objects.filter(pseudonym__in=chunk).values_list(
                    "pseudonym", flat=True
                )
            }
            if not taken:
                return chosen
            chosen = [self._new_pseudonym() if p in taken else p for p in chosen]

    def write(self, batch: Sequence[Planned]) -> None:
        tables = self.tables
        family_ids = tables[Family].insert(
            [
                self._family(p, pseudonym)
                for p, pseudonym in zip(batch, self._pseudonyms_for(len(batch)), strict=True)
            ],
            returning=True,
        )
        tables[Carer].insert(
            [
                _carer(c, fid, p.referrer.pk)
                for p, fid in zip(batch, family_ids, strict=True)
                for c in p.spec.carers
            ]
        )
        self._children(batch, family_ids)
        with_case = [
            (p, fid) for p, fid in zip(batch, family_ids, strict=True) if p.case is not None
        ]
        case_ids = dict(
            zip(
                (id(p) for p, _ in with_case),
                tables[Case].insert([_case(p, fid) for p, fid in with_case], returning=True),
                strict=True,
            )
        )
        referral_ids = tables[Referral].insert(
            [
                _referral(p, fid, case_ids.get(id(p)))
                for p, fid in zip(batch, family_ids, strict=True)
            ],
            returning=True,
        )
        tables[EligibilityDecision].insert(
            [_decision(p, rid) for p, rid in zip(batch, referral_ids, strict=True)]
        )
        tables[DuplicateCandidate].insert(
            [
                {
                    "public_id": uuid.uuid4(),
                    "referral_id": rid,
                    "existing_child_id": p.spec.duplicate_of.written_pk,
                    "match_reason": MatchReason.NAME_AND_DOB,
                    "created_by_id": p.referrer.pk,
                    "modified_by_id": p.referrer.pk,
                }
                for p, rid in zip(batch, referral_ids, strict=True)
                if p.spec.duplicate_of is not None
            ]
        )
        # Each referral's one decision is its current one: one UPDATE per chunk, by subquery
        # (unordered: ordering by id made PostgreSQL walk the primary key backwards).
        latest = EligibilityDecision.objects.filter(referral_id=OuterRef("pk")).order_by()
        for chunk in _chunks(referral_ids):
            Referral.objects.filter(pk__in=chunk).update(
                current_decision_id=Subquery(latest.values("pk")[:1])
            )

    @staticmethod
    def _family(planned: Planned, pseudonym: str) -> Row:
        spec = planned.spec
        return {
            "public_id": uuid.uuid4(),
            "pseudonym": pseudonym,
            "area_id": spec.area.pk if spec.area else None,
            "address_line_1": spec.address_line_1,
            "address_line_2": spec.address_line_2,
            "town": spec.town,
            "postcode": spec.postcode,
            "postcode_key": postcode_key(spec.postcode),
            "created_by_id": planned.referrer.pk,
            "modified_by_id": planned.referrer.pk,
        }

    def _children(self, batch: Sequence[Planned], family_ids: Sequence[int]) -> None:
        # The referred child first, then the others in screening's order, so that ids
        # follow that order and twins keep it.
        pairs = [
            (spec, _child(spec, fid, p.referrer.pk))
            for p, fid in zip(batch, family_ids, strict=True)
            for spec in (p.spec.referred, *p.spec.others)
        ]
        ids = self.tables[Child].insert([row for _, row in pairs], returning=True)
        plans: list[Row] = []
        for (spec, row), child_id in zip(pairs, ids, strict=True):
            spec.pk = child_id
            plans.extend(
                {
                    "public_id": uuid.uuid4(),
                    "child_id": child_id,
                    "started_on": plan.started_on,
                    "ended_on": plan.ended_on,
                    "is_ongoing": plan.is_ongoing,
                    "category": plan.category,
                    "created_by_id": row["created_by_id"],
                    "modified_by_id": row["created_by_id"],
                }
                for plan in spec.plans
            )
        self.tables[ChildProtectionPlan].insert(plans)
        self.tables[EarlyHelpAssessment].insert(
            [
                {
                    "public_id": uuid.uuid4(),
                    "child_id": p.spec.referred.written_pk,
                    "kind": p.spec.assessment.kind,
                    "completed_on": p.spec.assessment.completed_on,
                    "shows_neglect_concerns": p.spec.assessment.shows_neglect_concerns,
                    "created_by_id": p.referrer.pk,
                    "modified_by_id": p.referrer.pk,
                }
                for p in batch
                if p.spec.assessment is not None
            ]
        )


def _carer(carer: CarerSpec, family_id: int, by: int) -> Row:
    return {
        "public_id": uuid.uuid4(),
        "family_id": family_id,
        "first_name": carer.first_name,
        "last_name": carer.last_name,
        "relationship": carer.relationship,
        "phone": carer.phone,
        "email": carer.email,
        "lives_in_household": carer.lives_in_household,
        "has_parental_responsibility": carer.has_parental_responsibility,
        "created_by_id": by,
        "modified_by_id": by,
    }


def _child(spec: ChildSpec, family_id: int, by: int) -> Row:
    return {
        "public_id": uuid.uuid4(),
        "family_id": family_id,
        "first_name": spec.first_name,
        "last_name": spec.last_name,
        "name_key": name_key(spec.first_name, spec.last_name),
        "date_of_birth": spec.date_of_birth,
        "lives_in_household": True,
        "ever_on_plan": spec.ever_on_plan,
        "care_proceedings": spec.care_proceedings,
        "created_by_id": by,
        "modified_by_id": by,
    }


def _case(planned: Planned, family_id: int) -> Row:
    case = planned.case
    assert case is not None and planned.spec.area is not None
    return {
        "public_id": uuid.uuid4(),
        "family_id": family_id,
        "area_id": planned.spec.area.pk,
        "status": case.status,
        "approach": case.approach,
        "allocated_to_id": case.allocated_to,
        "accepted_at": case.accepted_at,
        "allocated_at": case.allocated_at,
        "activated_at": case.activated_at,
        "closed_at": case.closed_at,
        "closure_reason": case.closure_reason,
        "closure_note": case.closure_note,
        "version": case.version,
        "created_by_id": planned.decided_by,
        "modified_by_id": planned.decided_by,
    }


def _referral(planned: Planned, family_id: int, case_id: int | None) -> Row:
    spec = planned.spec
    referrer = planned.referrer
    return {
        "public_id": uuid.uuid4(),
        "family_id": family_id,
        "referred_child_id": spec.referred.written_pk,
        "referred_by_id": referrer.pk,
        "agency_type": referrer.agency_type,
        "agency_name": referrer.agency_name,
        "received_on": spec.received_on,
        "area_id": spec.area.pk if spec.area else None,
        "other_area_name": spec.other_area_name,
        "reason": planned.reason,
        "status": planned.status,
        "current_decision_id": None,  # set once the decisions are written
        "duplicate_status": DuplicateStatus.POSSIBLE
        if spec.duplicate_of
        else DuplicateStatus.NONE,
        "case_id": case_id,
        "decided_at": planned.decided_at,
        "decided_by_id": planned.decided_by,
        "decline_reason": planned.decline_reason,
        "version": planned.version,
        "created_by_id": referrer.pk,
        "modified_by_id": planned.decided_by or referrer.pk,
    }


def _decision(planned: Planned, referral_id: int) -> Row:
    decision = planned.decision
    by = planned.referrer.pk  # screened on receipt, as the referrer sent it
    return {
        "public_id": uuid.uuid4(),
        "referral_id": referral_id,
        "outcome": decision.outcome.value,
        "rules_version": decision.rules_version,
        "results": rules.decision_to_dict(decision)["results"],
        "facts": rules.facts_to_dict(planned.facts),
        "decided_at": planned.screened_at,
        "decided_by_id": by,
        "is_override": False,
        "overrides_id": None,
        "override_reason": "",
        "created_by_id": by,
        "modified_by_id": by,
    }


# --- The command ------------------------------------------------------------------------


def add_months(day: date, months: int) -> date:
    years, month = divmod(day.month - 1 + months, 12)
    year = day.year + years
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def referral_dates(rng: Random, count: int, start: date, end: date) -> list[date]:
    """Dates across the period, in order, with fewer referrals while the service starts up."""
    span = (end - start).days
    found: list[date] = []
    while len(found) < count:
        offset = rng.randrange(span)
        if offset < 90 and rng.random() > 0.4 + offset / 150:
            continue
        found.append(start + days(offset))
    return sorted(found)


def _iso_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{value!r} is not a date in the form YYYY-MM-DD"
        ) from None


class Command(BaseCommand):
    help = "Generate N synthetic families with referrals, eligibility decisions and cases (fake data)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("families", type=int, help="how many families to generate")
        parser.add_argument(
            "--seed", type=int, default=None, help="random seed (reproducible data)"
        )
        parser.add_argument(
            "--start",
            type=_iso_date,
            default=DEFAULT_START,
            help=f"first day of the {SERVICE_MONTHS}-month service period (default {DEFAULT_START})",
        )
        parser.add_argument(
            "--batch-size", type=int, default=DEFAULT_BATCH, help="families per transaction"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        count: int = options["families"]
        batch_size: int = options["batch_size"]
        if count < 1 or batch_size < 1:
            raise CommandError("The number of families and the batch size must be at least 1.")
        if not (settings.DEBUG or settings.IPIP_DEMO or settings.TESTING):
            raise CommandError(
                "generate_families writes fake families: run it only for the demo, tests or "
                "benchmarks (set IPIP_DEMO=1), never against real data."
            )
        seed: int = options["seed"] if options["seed"] is not None else secrets.randbelow(2**31)
        start: date = options["start"]
        areas = served_areas(Area.objects.filter(is_served=True).order_by("name"))
        if not areas:
            raise CommandError("No served areas are on record: run `manage.py migrate` first.")
        began = clock.perf_counter()
        self._generate(count=count, seed=seed, start=start, batch_size=batch_size, areas=areas)
        with transaction.atomic():
            record(Action.DATA_GENERATED, actor=None, data={"families": count, "seed": seed})
        elapsed = clock.perf_counter() - began
        self.stdout.write(
            f"Generated {count:,} families (seed {seed}) in {elapsed:.1f} s, "
            f"{count / elapsed:,.0f} families a second."
        )

    def _generate(
        self, *, count: int, seed: int, start: date, batch_size: int, areas: Sequence[ServedArea]
    ) -> None:
        # Separate streams: people created (or not) on the way never shift the families.
        rng = Random(seed)
        fake = Faker("en_GB")
        fake.seed_instance(seed)
        people = Faker("en_GB")
        people.seed_instance(seed + 1)
        end = add_months(start, SERVICE_MONTHS)
        with transaction.atomic():
            builder = StaffBuilder(people)
            staff = builder.build(areas)
        if builder.created:
            self.stdout.write(f"Created {builder.created} generated staff and referrers.")
        generator = FamilyGenerator(rng=rng, names=NamePools.draw(fake), areas=areas)
        planner = Planner(
            rng=rng,
            generator=generator,
            staff=staff,
            as_of=datetime.combine(end, time(0), tzinfo=LONDON),
        )
        writer = BatchWriter(now=timezone.now())
        dates = referral_dates(rng, count, start, end)
        outcomes: Counter[str] = Counter()
        statuses: Counter[str] = Counter()
        batches = (count + batch_size - 1) // batch_size
        began = clock.perf_counter()
        for number, offset in enumerate(range(0, count, batch_size), start=1):
            batch = [
                planner.plan(generator.family(day)) for day in dates[offset : offset + batch_size]
            ]
            with transaction.atomic():
                writer.write(batch)
            outcomes.update(p.decision.outcome.value for p in batch)
            statuses.update(p.case.status if p.case else f"referral {p.status}" for p in batch)
            done = offset + len(batch)
            elapsed = clock.perf_counter() - began
            self.stdout.write(
                f"Batch {number}/{batches}: {done:,} of {count:,} families, "
                f"{elapsed:.1f} s, {done / elapsed:,.0f} a second"
            )
        self.stdout.write("Outcomes: " + _shares(outcomes, count))
        self.stdout.write("Referrals and cases: " + _shares(statuses, count))


def _shares(counter: Counter[str], total: int) -> str:
    return ", ".join(f"{key} {n:,} ({n / total:.0%})" for key, n in sorted(counter.items()))
