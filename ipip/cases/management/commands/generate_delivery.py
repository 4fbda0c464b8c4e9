"""`manage.py generate_delivery`: synthetic delivery records for the cases already on record.

For every allocated, active or closed case that has no delivery records yet, it writes what
the service would have recorded from allocation until today (or the case's closure): the
allocation history, consent, home visits, VIG cycles (filming, clips, shared review) or the
Pathways Triple P plan and sessions, the parent's goals with their ratings, and a few
safeguarding concerns, escalations and alerts. Everything is fake: fixed phrases, no names.

The records keep the rules the actions enforce: consent to filming before any filming, clips
within their film and only while clips may be kept, the shared review on or after the
filming, cycles and sessions numbered in date order, sessions of 60 to 90 minutes, ratings
from 1 to 10 never before their goal was set, and escalation outcomes that end eligibility
only on cases already closed. Sessions, filmings and reviews fall on days a home visit took
place. Most cases keep to the fidelity rules' pace; a few go slowly, miss visits or leave a
module out, so that some (not most) are flagged.

Each case draws from its own random stream (the seed and the case's id), so the same seed on
the same families gives the same records whatever the chunk size. A case counts as done once
it has any delivery record, so a second run adds nothing. Rows are written with the
multi-row INSERTs of `generate_families` (`Table`), one transaction per chunk of cases; no
audit event is written per record, only one DATA_GENERATED summary at the end.
"""

import secrets
import time as clock
import uuid
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from random import Random
from typing import Any, Final, cast

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from ipip.accounts.models import Role, User
from ipip.allocation.models import AllocationRecord, Capacity
from ipip.audit.events import Action
from ipip.audit.record import record
from ipip.cases.management.commands.generate_families import (
    LONDON,
    Row,
    Table,
    _chunks,
    at,
    days,
)
from ipip.cases.models import Approach, Carer, Case, CaseStatus, Child, ClosureReason
from ipip.consent.models import ConsentDecision, ConsentRecord, Purpose
from ipip.core.models import BaseModel
from ipip.dashboard.fidelity import VIG_CYCLES_MIN
from ipip.goals.models import RATING_MAX, RATING_MIN, Goal, GoalRating, GoalStatus, Occasion
from ipip.ptp.models import ContentLevel, HomeworkReview, PtpSession, SessionModule, SessionPlan
from ipip.ptp.modules import MODULE_CODES
from ipip.ptp.rules import SESSION_MINUTES_MAX, SESSION_MINUTES_MIN
from ipip.referrals.models import Referral
from ipip.safeguarding.models import (
    ENDS_ELIGIBILITY,
    Agency,
    Alert,
    AlertKind,
    Concern,
    ConcernStatus,
    Escalation,
    EscalationOutcome,
)
from ipip.vig.models import Clip, Filming, SharedReview, VigCycle
from ipip.vig.principles import PRINCIPLES, check_selection
from ipip.visits.models import Visit, VisitOutcome

DEFAULT_CHUNK: Final = 2000
PLANNED_AHEAD_DAYS: Final = 14  # open cases have their next visits planned this far ahead
ALERT_OPEN_DAYS: Final = 14  # alerts raised more recently are still waiting to be seen
SERVICE_CANCELS: Final = 0.04  # share of visits the service cancels
SLOW_SHARE: Final = 0.15  # cases whose VIG cycles or PTP sessions go at a slower pace
DELIVERED: Final = (CaseStatus.ALLOCATED, CaseStatus.ACTIVE, CaseStatus.CLOSED)

# Fixed phrases (fake, no names), as a practitioner or parent might put them.
HELPING_QUESTIONS: Final = (
    "How can I help my child settle at bedtime?",
    "What happens when we play together and it goes well?",
    "How can I notice what my child is trying to tell me?",
    "How can I stay calm when the mornings get busy?",
    "How can I help my child listen to me?",
    "What helps us enjoy mealtimes together?",
    "How can I give my child more praise?",
    "How can I follow my child's lead when we play?",
)
ACTIVITIES: Final = (
    "Playing with building blocks",
    "Reading a picture book together",
    "Baking biscuits",
    "Drawing and colouring",
    "Playing with play dough",
    "Doing a jigsaw puzzle",
    "Getting ready for school",
    "Tidying up toys together",
    "Sharing a snack at the table",
    "Playing a board game",
)
REFLECTIONS: Final = (
    "I didn't realise how much my child looks at me to see what I think.",
    "I liked seeing us laughing together.",
    "I could see that waiting gave my child time to answer.",
    "It was hard to watch at first, then I noticed the good moments.",
    "I saw that my child copies what I do.",
    "I was calmer than I thought I was.",
)
CELEBRATED: Final = (
    "Waiting for the child's turn and then answering warmly.",
    "Lots of eye contact and smiles during play.",
    "Naming what the child was doing in a warm voice.",
    "Following the child's lead in the game.",
    "Giving praise straight away.",
    "Helping the child finish the task without taking over.",
)
NEXT_GOALS: Final = (
    "Keep giving time and space during play.",
    "Try the same calm voice at bedtime.",
    "Notice and name the child's feelings.",
    "Play together for ten minutes every day.",
    "",
)
GOAL_TEXTS: Final = (
    "To have calmer mornings getting the children to school",
    "To keep to a bedtime routine every night",
    "To stay calm when my child has a tantrum",
    "To make sure there is food in for breakfast every day",
    "To get the children to their health appointments",
    "To keep the house tidy and safe for the children",
    "To spend ten minutes a day playing together",
    "To praise my child more often",
    "To get to school on time every day",
    "To shout less and talk more",
)
HOMEWORK: Final = (
    "Use descriptive praise at least three times a day.",
    "Keep a diary of when things get difficult.",
    "Try the calm-down routine when feeling angry.",
    "Plan one enjoyable activity with the children each day.",
    "Practise the relaxation exercise each evening.",
    "Set up a clear morning routine chart.",
    "Notice and write down one thing the child did well each day.",
)
CONCERNS: Final = (
    "An unexplained bruise was seen on the child's arm during the visit.",
    "The home was very cold and there was no food in the kitchen.",
    "The child was left alone in the house when the practitioner arrived.",
    "The parent appeared to be under the influence of alcohol at the visit.",
    "The child said they had not eaten since the day before.",
    "Unsafe sleeping arrangements were seen for the youngest child.",
)
ESCALATION_REASONS: Final = (
    "The neglect seen meets the threshold for a referral to children's social care.",
    "Concerns about the child's safety need an assessment by children's social care.",
    "The injury needs to be looked at by the child protection team.",
)
REALLOCATION_REASONS: Final = (
    "The previous practitioner's caseload was reduced.",
    "The previous practitioner moved to another team.",
    "The family asked for a different practitioner.",
)
OTHER_AGENCY: Final = "Local domestic abuse support service"

OPEN_OUTCOMES: Final = (  # outcomes that leave the family eligible (the case stays open)
    EscalationOutcome.NO_FURTHER_ACTION,
    EscalationOutcome.EARLY_HELP,
    EscalationOutcome.CHILD_IN_NEED,
    EscalationOutcome.SECTION_47,
)


def localday(moment: datetime) -> date:
    return timezone.localdate(moment, LONDON)


def between(rng: Random, first: date, last: date) -> date:
    """A day from `first` to `last` inclusive (`first` if the range is empty)."""
    return first + days(rng.randint(0, max(0, (last - first).days)))


# --- What one chunk of cases writes -------------------------------------------------------


@dataclass(frozen=True)
class CaseInfo:
    pk: int
    family_id: int
    area_id: int
    status: str
    approach: str
    practitioner: int
    allocated_at: datetime
    activated_at: datetime | None
    closed_at: datetime | None
    closure_reason: str
    has_allocation_record: bool

    @property
    def is_open(self) -> bool:
        return self.status != CaseStatus.CLOSED


@dataclass(frozen=True)
class Household:
    carers: tuple[int, ...]  # the main carer first
    carers_at_home: tuple[int, ...]
    children: tuple[int, ...]  # the referred child first


@dataclass(frozen=True)
class Service:
    """The run's clock and the people generated records name."""

    now: datetime
    today: date
    managers: Mapping[int, int]  # area pk -> its first centre manager
    lead: int | None
    practitioners: Mapping[int, Sequence[int]]  # area pk -> its practitioners

    def manager_of(self, area_id: int) -> int | None:
        return self.managers.get(area_id, self.lead)


Link = tuple[int, int]  # (index of a parent row in the chunk, id or index it links to)


@dataclass
class Chunk:
    """Rows for one chunk of cases. Rows that hang off a row written in the same chunk hold
    that row's index in its list; the writer swaps indexes for the ids the database gives."""

    allocations: list[Row] = field(default_factory=list)
    consents: list[Row] = field(default_factory=list)
    goals: list[Row] = field(default_factory=list)
    ratings: list[tuple[int, Row]] = field(default_factory=list)
    visits: list[Row] = field(default_factory=list)
    visit_carers: list[Link] = field(default_factory=list)
    visit_children: list[Link] = field(default_factory=list)
    cycles: list[Row] = field(default_factory=list)
    cycle_goals: list[Link] = field(default_factory=list)  # (cycle index, goal index)
    filmings: list[tuple[int, Row]] = field(default_factory=list)
    filming_carers: list[Link] = field(default_factory=list)
    filming_children: list[Link] = field(default_factory=list)
    clips: list[tuple[int, Row]] = field(default_factory=list)
    reviews: list[tuple[int, Row]] = field(default_factory=list)
    plans: list[Row] = field(default_factory=list)
    sessions: list[Row] = field(default_factory=list)
    session_modules: list[tuple[int, str]] = field(default_factory=list)
    concerns: list[Row] = field(default_factory=list)
    concern_children: list[Link] = field(default_factory=list)
    escalations: list[tuple[int, Row]] = field(default_factory=list)
    alerts: list[Row] = field(default_factory=list)


def base_row(by: int | None) -> Row:
    return {"public_id": uuid.uuid4(), "created_by_id": by, "modified_by_id": by}


# --- One case's delivery --------------------------------------------------------------------


@dataclass
class GoalPlan:
    index: int  # in Chunk.goals
    set_on: date
    now: int
    hoped: int
    slope: float
    reviews: int = 0


@dataclass
class ConsentPlan:
    given: dict[str, date] = field(default_factory=dict)
    withdrawn: dict[str, date] = field(default_factory=dict)

    def allows(self, purpose: str, day: date) -> bool:
        """Given on or before `day` and not withdrawn by then (as `has_consent` reads it)."""
        given = self.given.get(purpose)
        withdrawn = self.withdrawn.get(purpose)
        return given is not None and given <= day and (withdrawn is None or day < withdrawn)

    def not_withdrawn(self, purpose: str, day: date) -> bool:
        withdrawn = self.withdrawn.get(purpose)
        return withdrawn is None or day < withdrawn


class CaseDelivery:
    """Plays one case forward from allocation, appending its rows to the chunk."""

    def __init__(
        self, *, seed: int, case: CaseInfo, home: Household, service: Service, out: Chunk
    ) -> None:
        self.rng = Random(seed * 1_000_003 + case.pk)  # noqa: S311  # fake data needs no crypto
        self.case = case
        self.home = home
        self.service = service
        self.out = out
        self.start = localday(case.allocated_at)
        # The last day records can carry: the day before closure, or today.
        self.last_day = (
            localday(case.closed_at) - days(1) if case.closed_at else service.today - days(1)
        )
        self.handover: tuple[date, int] | None = None  # (day, practitioner before it)
        self.goals: list[GoalPlan] = []
        self.last_rated: date | None = None
        self.consent = ConsentPlan()

    def who(self, day: date) -> int:
        """The practitioner holding the case on `day`."""
        if self.handover is not None and day < self.handover[0]:
            return self.handover[1]
        return self.case.practitioner

    def in_the_past(self) -> bool:
        now = self.service.now
        c = self.case
        return all(t is None or t <= now for t in (c.allocated_at, c.activated_at, c.closed_at))

    def build(self) -> None:
        if not self.in_the_past():
            return  # families generated ahead of today: nothing can have happened yet
        self._allocation()
        took_place = self._visits()
        if took_place and self.home.carers and self.home.children:
            self._consent(took_place[0])
            self._goals(took_place)
            if self.case.approach == Approach.VIG:
                self._vig(took_place)
            else:
                self._ptp(took_place)
            self._finish_goals(took_place[-1])
        if self.home.children:
            self._safeguarding()

    # Allocation history ---------------------------------------------------------------

    def _allocation(self) -> None:
        c, rng = self.case, self.rng
        if c.has_allocation_record:
            return
        by = self.service.manager_of(c.area_id)
        others = [p for p in self.service.practitioners.get(c.area_id, ()) if p != c.practitioner]
        span = (self.last_day - self.start).days
        ended = c.closed_at
        if others and span >= 28 and rng.random() < 0.05:
            handover_day = self.start + days(rng.randint(14, span - 7))
            before = rng.choice(others)
            handover_at = at(rng, handover_day)
            self.handover = (handover_day, before)
            self._allocation_row(before, c.allocated_at, handover_at, by, "")
            self._allocation_row(
                c.practitioner, handover_at, ended, by, rng.choice(REALLOCATION_REASONS)
            )
        else:
            self._allocation_row(c.practitioner, c.allocated_at, ended, by, "")

    def _allocation_row(
        self, practitioner: int, begun: datetime, ended: datetime | None, by: int | None, why: str
    ) -> None:
        self.out.allocations.append(
            base_row(by)
            | {
                "case_id": self.case.pk,
                "practitioner_id": practitioner,
                "approach": self.case.approach,
                "is_randomised": False,
                "allocated_at": begun,
                "allocated_by_id": by,
                "ended_at": ended,
                "reason": why,
            }
        )

    # Visits -------------------------------------------------------------------------------

    def _miss_rate(self) -> float:
        rng = self.rng
        if self.case.closure_reason == ClosureReason.DISENGAGED:
            return rng.uniform(0.3, 0.6)
        roll = rng.random()
        if roll < 0.85:
            return rng.uniform(0.0, 0.1)
        return rng.uniform(0.12, 0.25) if roll < 0.96 else rng.uniform(0.35, 0.55)

    def _visits(self) -> list[date]:
        """Write the case's visits; return the days a visit took place, in order."""
        c = self.case
        if c.activated_at is None:
            self._visits_before_start()
            return []
        first = localday(c.activated_at)
        if (first - self.start).days >= 3 and self.rng.random() < 0.25:
            day = between(self.rng, self.start + days(1), first - days(1))
            self._visit(at(self.rng, day), self.rng.choice(self._missed()))
        self._visit(c.activated_at, VisitOutcome.TOOK_PLACE)  # the first visit: work begins
        took_place = [first]
        miss_rate = self._miss_rate()
        slots = self._weekly(first)
        overdue = c.is_open and self.rng.random() < 0.07
        past = [d for d in slots if d <= self.last_day]
        for n, day in enumerate(past):
            if overdue and n == len(past) - 1 and day <= self.service.today - days(2):
                self._visit(at(self.rng, day))  # never recorded: shows as overdue
                continue
            outcome = self._outcome(miss_rate)
            self._visit(at(self.rng, day), outcome)
            if outcome == VisitOutcome.TOOK_PLACE:
                took_place.append(day)
        if c.is_open:
            for day in slots[len(past) :]:
                self._visit(at(self.rng, day))  # planned
        return took_place

    def _weekly(self, first: date) -> list[date]:
        """Visit days after the first, about weekly, on weekdays, up to the horizon."""
        horizon = (
            self.last_day if self.case.closed_at else self.service.today + days(PLANNED_AHEAD_DAYS)
        )
        found: list[date] = []
        day = first
        while True:
            day += days(7 + self.rng.choice((-2, -1, 0, 0, 0, 1, 2)))
            if day.weekday() >= 5:
                day += days(7 - day.weekday())  # to the Monday
            if day > horizon:
                return found
            found.append(day)

    def _visits_before_start(self) -> None:
        """No visit has taken place: a failed attempt or two, and (if open) the next one."""
        rng, today = self.rng, self.service.today
        first_try = min(self.start + days(1), self.last_day)
        if not self.case.is_open:  # withdrew before the first visit
            self._visit(
                self._after_allocation(between(rng, first_try, self.last_day)),
                rng.choice(self._missed()),
            )
            return
        if self.last_day > self.start and rng.random() < 0.35:
            self._visit(
                self._after_allocation(between(rng, first_try, self.last_day)),
                rng.choice(self._missed()),
            )
        if rng.random() < 0.1 and (today - self.start).days >= 4:
            self._visit(at(rng, today - days(rng.randint(2, 3))))  # overdue
        else:
            self._visit(at(rng, today + days(rng.randint(1, PLANNED_AHEAD_DAYS))))

    def _after_allocation(self, day: date) -> datetime:
        """A time on `day` in the working day, never before the case was allocated."""
        return max(at(self.rng, day), self.case.allocated_at + timedelta(hours=1))

    @staticmethod
    def _missed() -> tuple[str, str]:
        return (VisitOutcome.NO_ONE_HOME, VisitOutcome.CANCELLED_BY_FAMILY)

    def _outcome(self, miss_rate: float) -> str:
        roll = self.rng.random()
        if roll < miss_rate:
            return self.rng.choice(self._missed())
        if roll < miss_rate + SERVICE_CANCELS:
            return VisitOutcome.CANCELLED_BY_SERVICE
        return VisitOutcome.TOOK_PLACE

    def _visit(self, when: datetime, outcome: str = "") -> None:
        rng, out = self.rng, self.out
        by = self.who(localday(when))
        if outcome == VisitOutcome.TOOK_PLACE and not (self.home.carers or self.home.children):
            outcome = VisitOutcome.NO_ONE_HOME  # a family with no one on record to be present
        planned = rng.choice((60, 60, 75, 90))
        row = base_row(by) | {
            "case_id": self.case.pk,
            "scheduled_at": when,
            "planned_minutes": planned,
            "outcome": outcome,
            "actual_minutes": None,
            "note": "",
            "recorded_at": None,
            "recorded_by_id": None,
            "version": 1,
        }
        if outcome:
            recorded = min(when + timedelta(hours=rng.randint(2, 20)), self.service.now)
            row |= {"recorded_at": recorded, "recorded_by_id": by, "version": 2}
        if outcome == VisitOutcome.TOOK_PLACE:
            row["actual_minutes"] = max(20, planned + rng.randint(-15, 20))
            index = len(out.visits)
            out.visit_carers.extend((index, pk) for pk in self._present(self.home.carers_at_home))
            out.visit_children.extend((index, pk) for pk in self._present(self.home.children))
        out.visits.append(row)

    def _present(self, people: tuple[int, ...]) -> tuple[int, ...]:
        """The first person, and each other one some of the time."""
        if not people:
            return ()
        return (people[0], *(p for p in people[1:] if self.rng.random() < 0.35))

    # Consent ------------------------------------------------------------------------------

    def _consent(self, on: date) -> None:
        rng = self.rng
        vig = self.case.approach == Approach.VIG
        chances = {
            Purpose.SERVICE: 1.0,
            Purpose.FILMING: 0.97 if vig else 0.45,
            Purpose.CLIP_RETENTION: 0.93 if vig else 0.3,
            Purpose.RESEARCH: 0.85,
            Purpose.INFORMATION_SHARING: 0.92,
        }
        for purpose, chance in chances.items():
            if purpose == Purpose.CLIP_RETENTION and Purpose.FILMING not in self.consent.given:
                continue
            if rng.random() < chance:
                self.consent.given[purpose] = on
                self._consent_row(purpose, ConsentDecision.GIVEN, on)
        span = (self.last_day - on).days
        if span >= 7 and rng.random() < 0.06:
            choices = [p for p in self.consent.given if p != Purpose.SERVICE]
            if choices:
                withdrawn_from = rng.choice(choices)
                withdrawn = on + days(rng.randint(7, span))
                self.consent.withdrawn[withdrawn_from] = withdrawn
                self._consent_row(withdrawn_from, ConsentDecision.WITHDRAWN, withdrawn)

    def _consent_row(self, purpose: str, decision: str, on: date) -> None:
        by = self.who(on)
        self.out.consents.append(
            base_row(by)
            | {
                "case_id": self.case.pk,
                "purpose": purpose,
                "decision": decision,
                "decided_on": on,
                "given_by_id": self.home.carers[0],
                "recorded_by_id": by,
                "note": "",
            }
        )

    # Goals --------------------------------------------------------------------------------

    def _goals(self, took_place: Sequence[date]) -> None:
        rng = self.rng
        count = rng.choices((1, 2, 3), weights=(30, 45, 25))[0]
        for text in rng.sample(GOAL_TEXTS, count):
            late = len(self.goals) == 2 and len(took_place) > 2
            set_on = (
                took_place[rng.randint(1, min(4, len(took_place) - 1))] if late else took_place[0]
            )
            now = rng.randint(2, 5)
            plan = GoalPlan(
                index=len(self.out.goals),
                set_on=set_on,
                now=now,
                hoped=rng.randint(max(now + 2, 7), RATING_MAX),
                slope=rng.uniform(0.3, 1.0),
            )
            by = self.who(set_on)
            self.out.goals.append(
                base_row(by)
                | {
                    "case_id": self.case.pk,
                    "text": text,
                    "set_on": set_on,
                    "status": GoalStatus.ACTIVE,
                    "version": 1,
                }
            )
            self._rating(plan, set_on, Occasion.SET, None)
            self.goals.append(plan)

    def _rating(self, plan: GoalPlan, on: date, occasion: str, source: uuid.UUID | None) -> None:
        by = self.who(on)
        self.out.ratings.append(
            (
                plan.index,
                base_row(by)
                | {
                    "rated_on": on,
                    "now": plan.now,
                    "hoped": plan.hoped,
                    "occasion": occasion,
                    "source_public_id": source,
                    "recorded_by_id": by,
                },
            )
        )

    def _rate_goals(self, on: date, occasion: str, source: uuid.UUID | None) -> None:
        """Rate every goal set before `on`: progress with some noise, within 1 to 10."""
        for plan in self.goals:
            if plan.set_on >= on:
                continue
            plan.reviews += 1
            self.last_rated = on
            trend = plan.now + plan.slope + self.rng.gauss(0, 0.8)
            plan.now = max(RATING_MIN, min(RATING_MAX, round(trend)))
            if self.rng.random() < 0.1:
                plan.hoped = max(
                    RATING_MIN, min(RATING_MAX, plan.hoped + self.rng.choice((-1, 1)))
                )
            self._rating(plan, on, occasion, source)

    def _finish_goals(self, last_visit: date) -> None:
        """A last review for completed cases; goals reached are marked achieved."""
        c = self.case
        if (
            c.closure_reason == ClosureReason.COMPLETED
            and self.rng.random() < 0.6
            and self.last_rated != last_visit
        ):
            self._rate_goals(last_visit, Occasion.REVIEW, None)
        for plan in self.goals:
            goal = self.out.goals[plan.index]
            if plan.reviews and plan.now >= plan.hoped:
                goal |= {"status": GoalStatus.ACHIEVED, "version": 2}
            elif plan.reviews and self.rng.random() < 0.05:
                goal |= {"status": GoalStatus.DROPPED, "version": 2}

    # VIG ----------------------------------------------------------------------------------

    def _vig(self, took_place: Sequence[date]) -> None:
        rng = self.rng
        target = rng.choices((3, 4, 5, 6), weights=(35, 35, 25, 5))[0]
        slow = rng.random() < SLOW_SHARE
        i, number = 0, 0
        while number < target and i < len(took_place):
            # Keeping to the dose: with few visits left, film and review at the next ones.
            hurry = not slow and len(took_place) - i - 1 < 3 * (VIG_CYCLES_MIN - number)
            if hurry:
                film_at, review_at = i + 1, i + 2
            else:
                film_at = i + (rng.choice((2, 3)) if slow else rng.choice((1, 1, 2)))
                review_at = film_at + (rng.choice((1, 2)) if slow else rng.choice((1, 1, 1, 2)))
            filmed_on = took_place[film_at] if film_at < len(took_place) else None
            if filmed_on is not None and not self.consent.allows(Purpose.FILMING, filmed_on):
                filmed_on = None  # no consent to filming that day: the cycle stalls
            reviewed_on = (
                took_place[review_at]
                if filmed_on is not None and review_at < len(took_place)
                else None
            )
            number += 1
            cycle = self._cycle(number, took_place[i], reviewed_on)
            if filmed_on is not None:
                self._filming(cycle, number, filmed_on)
            if reviewed_on is None:
                return
            source = cast(uuid.UUID, self.out.cycles[cycle]["public_id"])
            self._review(cycle, reviewed_on)
            self._rate_goals(reviewed_on, Occasion.VIG_REVIEW, source)
            i = review_at  # the next cycle's helping question is agreed at the review

    def _cycle(self, number: int, started_on: date, completed_on: date | None) -> int:
        index = len(self.out.cycles)
        by = self.who(started_on)
        self.out.cycles.append(
            base_row(by)
            | {
                "case_id": self.case.pk,
                "number": number,
                "helping_question": self.rng.choice(HELPING_QUESTIONS),
                "started_on": started_on,
                "completed_on": completed_on,
                "version": 1 if completed_on is None else 2,
            }
        )
        chosen = [g for g in self.goals if g.set_on <= started_on]
        for plan in self.rng.sample(chosen, min(len(chosen), self.rng.randint(1, 2))):
            self.out.cycle_goals.append((index, plan.index))
        return index

    def _filming(self, cycle: int, number: int, filmed_on: date) -> None:
        rng, out = self.rng, self.out
        index = len(out.filmings)
        length = rng.randint(480, 840)  # about ten minutes
        by = self.who(filmed_on)
        out.filmings.append(
            (
                cycle,
                base_row(by)
                | {
                    "filmed_on": filmed_on,
                    "activity": rng.choice(ACTIVITIES),
                    "length_seconds": length,
                    "note": "",
                },
            )
        )
        out.filming_carers.extend((index, pk) for pk in self._filmed(self.home.carers_at_home))
        out.filming_children.extend((index, pk) for pk in self._filmed(self.home.children))
        # Clips are chosen in the days after filming, while clips may be kept.
        if self.consent.not_withdrawn(Purpose.CLIP_RETENTION, filmed_on):
            self._clips(index, number, filmed_on, length)

    def _filmed(self, people: tuple[int, ...]) -> tuple[int, ...]:
        if not people:
            return ()
        return (people[0], *(p for p in people[1:2] if self.rng.random() < 0.25))

    def _clips(self, filming: int, number: int, filmed_on: date, length: int) -> None:
        rng = self.rng
        count = rng.randint(2, 4)
        part = length // count
        # Later cycles reach the higher principles (they build on each other).
        reachable = PRINCIPLES[: min(len(PRINCIPLES), number + 2)]
        removed_on = min(
            (
                self.consent.withdrawn[p]
                for p in (Purpose.FILMING, Purpose.CLIP_RETENTION)
                if p in self.consent.withdrawn
            ),
            default=None,
        )
        for n in range(count):
            span = rng.randint(8, 45)
            start = n * part + rng.randint(0, max(0, part - span - 1))
            tenth = rng.choice((0, 0, 5))
            principles = rng.sample(reachable, rng.choice((1, 1, 2)))
            elements = [
                e.code for p in principles for e in rng.sample(p.elements, rng.randint(0, 2))
            ]
            codes, element_codes = check_selection([p.code for p in principles], elements)
            by = self.who(filmed_on)
            row = base_row(by) | {
                "start_seconds": Decimal(start) + Decimal(tenth) / 10,
                "end_seconds": Decimal(start + span) + Decimal(tenth) / 10,
                "principles": codes,
                "elements": element_codes,
                "note": "",
                "removed_at": None,
                "removed_by_id": None,
                "version": 1,
            }
            if removed_on is not None:  # consent withdrawn later: the clip had to go
                row |= {
                    "removed_at": at(rng, removed_on),
                    "removed_by_id": self.who(removed_on),
                    "version": 2,
                }
            self.out.clips.append((filming, row))

    def _review(self, cycle: int, reviewed_on: date) -> None:
        rng = self.rng
        self.out.reviews.append(
            (
                cycle,
                base_row(self.who(reviewed_on))
                | {
                    "reviewed_on": reviewed_on,
                    "parent_reflections": rng.choice(REFLECTIONS),
                    "celebrated": rng.choice(CELEBRATED),
                    "next_goals": rng.choice(NEXT_GOALS),
                },
            )
        )

    # Pathways Triple P ------------------------------------------------------------------

    def _ptp(self, took_place: Sequence[date]) -> None:
        rng, out = self.rng, self.out
        planned = rng.choices((3, 4, 5, 6, 8), weights=(15, 25, 30, 20, 10))[0]
        modules = list(MODULE_CODES)
        if rng.random() < 0.12:
            modules.remove(rng.choice(modules))  # one module left out of the plan
        by = self.who(took_place[0])
        out.plans.append(
            base_row(by)
            | {
                "case_id": self.case.pk,
                "planned_sessions": planned,
                "planned_modules": modules,
                "starts_on": took_place[0],
                "note": "",
                "version": 1,
            }
        )
        slow = rng.random() < SLOW_SHARE
        order = rng.sample(modules, len(modules))
        spread = min(planned, rng.choice((2, 3, 3, 4)))
        i = 0 if rng.random() < 0.7 else 1
        number = 0
        while number < planned and i < len(took_place):
            number += 1
            if number <= spread:
                covered = order[
                    (number - 1) * len(order) // spread : number * len(order) // spread
                ]
            else:
                covered = rng.sample(modules, rng.randint(1, 2))  # practice and revisiting
            self._session(number, took_place[i], covered, last=number == planned)
            i += rng.choice((2, 2, 3, 4)) if slow else rng.choice((1, 1, 2))

    def _session(self, number: int, held_on: date, modules: Iterable[str], *, last: bool) -> None:
        rng, out = self.rng, self.out
        index = len(out.sessions)
        previous = out.sessions[-1] if number > 1 else None
        if previous is None or not previous["homework_set"]:
            review = HomeworkReview.NONE_SET
        else:
            review = rng.choices(
                (HomeworkReview.DONE, HomeworkReview.PARTLY_DONE, HomeworkReview.NOT_DONE),
                weights=(55, 30, 15),
            )[0]
        level = (
            ContentLevel.LEVEL_3 if number == 1 and rng.random() < 0.2 else ContentLevel.LEVEL_5
        )
        row = base_row(self.who(held_on)) | {
            "case_id": self.case.pk,
            "number": number,
            "held_on": held_on,
            "minutes": rng.randrange(SESSION_MINUTES_MIN, SESSION_MINUTES_MAX + 1, 5),
            "content_level": level,
            "homework_set": "" if last else rng.choice(HOMEWORK),
            "homework_review": review,
            "homework_review_note": "",
            "note": "",
            "version": 1,
        }
        out.sessions.append(row)
        out.session_modules.extend((index, code) for code in modules)
        self._rate_goals(held_on, Occasion.PTP_SESSION, cast(uuid.UUID, row["public_id"]))

    # Safeguarding -----------------------------------------------------------------------

    def _safeguarding(self) -> None:
        c, rng = self.case, self.rng
        if c.closure_reason == ClosureReason.ESCALATED:
            self._escalated_at_closure()
        elif c.closure_reason == ClosureReason.NO_LONGER_ELIGIBLE and rng.random() < 0.4:
            self._eligibility_ended()
        elif c.is_open and rng.random() < 0.07:
            self._open_case_concern()
        elif rng.random() < 0.03:
            raised = between(rng, self.start, self.last_day)
            concern = self._concern(raised)
            self._close_concern(
                concern, between(rng, raised, min(raised + days(10), self.last_day))
            )

    def _escalated_at_closure(self) -> None:
        rng, today = self.rng, self.service.today
        closed = self.last_day + days(1)
        raised = max(self.start, closed - days(rng.randint(0, 7)))
        concern = self._concern(raised)
        escalated = between(rng, raised, min(raised + days(2), closed))
        outcome_on = closed + days(rng.randint(3, 30))
        outcome = EscalationOutcome.AWAITING
        if outcome_on <= today:
            outcome = rng.choices(
                (
                    EscalationOutcome.SECTION_47,
                    EscalationOutcome.CHILD_PROTECTION_PLAN,
                    EscalationOutcome.CHILD_IN_NEED,
                    EscalationOutcome.CARE_PROCEEDINGS,
                    EscalationOutcome.NO_FURTHER_ACTION,
                ),
                weights=(35, 30, 25, 5, 5),
            )[0]
        self._escalation(concern, escalated, Agency.CHILDRENS_SOCIAL_CARE, outcome, outcome_on)
        if outcome in ENDS_ELIGIBILITY:
            label = EscalationOutcome(outcome).label.lower()
            self._alert(
                AlertKind.SAFEGUARDING_CLOSURE,
                f"An escalation ended in {label}. The case was already closed.",
                outcome_on,
            )

    def _eligibility_ended(self) -> None:
        """The escalation whose outcome (a plan, or proceedings) closed the case."""
        rng = self.rng
        closed = self.last_day + days(1)
        raised = max(self.start, closed - days(rng.randint(5, 20)))
        concern = self._concern(raised)
        escalated = between(rng, raised, min(raised + days(1), closed))
        outcome = rng.choice(
            (EscalationOutcome.CHILD_PROTECTION_PLAN, EscalationOutcome.CARE_PROCEEDINGS)
        )
        self._escalation(concern, escalated, Agency.CHILDRENS_SOCIAL_CARE, outcome, closed)
        label = EscalationOutcome(outcome).label.lower()
        self._alert(
            AlertKind.SAFEGUARDING_CLOSURE,
            f"Case closed as no longer eligible: an escalation ended in {label}.",
            closed,
        )

    def _open_case_concern(self) -> None:
        rng, today = self.rng, self.service.today
        raised = between(rng, self.start, today)
        concern = self._concern(raised)
        roll = rng.random()
        if roll < 0.25:
            escalated = between(rng, raised, min(raised + days(3), today))
            agency = rng.choices(
                (Agency.CHILDRENS_SOCIAL_CARE, Agency.POLICE, Agency.HEALTH, Agency.OTHER),
                weights=(75, 10, 10, 5),
            )[0]
            outcome_on = escalated + days(rng.randint(5, 25))
            outcome = (
                rng.choice(OPEN_OUTCOMES) if outcome_on <= today else EscalationOutcome.AWAITING
            )
            self._escalation(concern, escalated, agency, outcome, outcome_on)
        elif roll < 0.7 or (today - raised).days > 21:
            self._close_concern(concern, between(rng, raised, min(raised + days(10), today)))

    def _concern(self, raised_on: date) -> int:
        rng, out = self.rng, self.out
        index = len(out.concerns)
        by = self.who(raised_on)
        out.concerns.append(
            base_row(by)
            | {
                "case_id": self.case.pk,
                "raised_on": raised_on,
                "raised_by_id": by,
                "what_happened": rng.choice(CONCERNS),
                "status": ConcernStatus.OPEN,
                "closed_on": None,
                "version": 1,
            }
        )
        children = self.home.children
        out.concern_children.extend(
            (index, pk) for pk in (children[0], *(c for c in children[1:] if rng.random() < 0.3))
        )
        self._alert(AlertKind.CONCERN_RAISED, "A safeguarding concern was raised.", raised_on)
        return index

    def _close_concern(self, concern: int, on: date) -> None:
        self.out.concerns[concern] |= {
            "status": ConcernStatus.CLOSED_NFA,
            "closed_on": on,
            "version": 2,
        }

    def _escalation(
        self, concern: int, escalated_on: date, agency: str, outcome: str, outcome_on: date
    ) -> None:
        self.out.concerns[concern] |= {"status": ConcernStatus.ESCALATED, "version": 2}
        awaiting = outcome == EscalationOutcome.AWAITING
        self.out.escalations.append(
            (
                concern,
                base_row(self.who(escalated_on))
                | {
                    "escalated_on": escalated_on,
                    "reason": self.rng.choice(ESCALATION_REASONS),
                    "agency": agency,
                    "agency_name": OTHER_AGENCY if agency == Agency.OTHER else "",
                    "outcome": outcome,
                    "outcome_on": None if awaiting else outcome_on,
                    "version": 1 if awaiting else 2,
                },
            )
        )
        self._alert(
            AlertKind.ESCALATION,
            f"A safeguarding concern was escalated to: {Agency(agency).label}.",
            escalated_on,
        )

    def _alert(self, kind: str, message: str, on: date) -> None:
        rng, service = self.rng, self.service
        raised_at = min(at(rng, on), service.now)
        by = self.who(on)
        row = base_row(by) | {
            "area_id": self.case.area_id,
            "case_id": self.case.pk,
            "kind": kind,
            "message": message,
            "raised_at": raised_at,
            "for_user_id": None,  # the practitioner raised it: only the managers are told
            "acknowledged_at": None,
            "acknowledged_by_id": None,
        }
        manager = service.manager_of(self.case.area_id)
        if manager is not None and raised_at < service.now - days(ALERT_OPEN_DAYS):
            row |= {
                "acknowledged_at": raised_at + timedelta(hours=rng.randint(1, 72)),
                "acknowledged_by_id": manager,
            }
        self.out.alerts.append(row)


# --- Reading the cases and writing a chunk ----------------------------------------------


def pending_cases() -> QuerySet[Case]:
    """Allocated, active or closed cases with an allocation and no delivery records yet."""

    def has(model: Any) -> Exists:
        return Exists(model._default_manager.filter(case=OuterRef("pk")))

    return (
        Case.objects.filter(
            status__in=DELIVERED, allocated_at__isnull=False, allocated_to__isnull=False
        )
        .exclude(approach="")
        .filter(
            ~has(Visit),
            ~has(ConsentRecord),
            ~has(Goal),
            ~has(VigCycle),
            ~has(SessionPlan),
            ~has(PtpSession),
            ~has(Concern),
        )
    )


def read_cases(after: int, size: int) -> list[CaseInfo]:
    rows = (
        pending_cases()
        .filter(pk__gt=after)
        .annotate(has_history=Exists(AllocationRecord.objects.filter(case=OuterRef("pk"))))
        .order_by("pk")
        .values_list(
            "pk",
            "family_id",
            "area_id",
            "status",
            "approach",
            "allocated_to_id",
            "allocated_at",
            "activated_at",
            "closed_at",
            "closure_reason",
            "has_history",
        )[:size]
    )
    found = []
    for pk, family, area, status, approach, held_by, allocated, *rest in rows:
        assert allocated is not None and held_by is not None  # filtered on both
        found.append(CaseInfo(pk, family, area, status, approach, held_by, allocated, *rest))
    return found


def read_households(cases: Sequence[CaseInfo]) -> dict[int, Household]:
    """Per case: its family's carers (main carer first) and children (referred child first)."""
    family_ids = sorted({c.family_id for c in cases})
    carers: dict[int, list[tuple[int, bool]]] = {}
    children: dict[int, list[int]] = {}
    for ids in _chunks(family_ids):
        for pk, family_id, lives_there in (
            Carer.objects.filter(family_id__in=ids)
            .order_by("pk")
            .values_list("pk", "family_id", "lives_in_household")
        ):
            carers.setdefault(family_id, []).append((pk, lives_there))
        for pk, family_id in (
            Child.objects.filter(family_id__in=ids, lives_in_household=True)
            .order_by("date_of_birth", "pk")
            .values_list("pk", "family_id")
        ):
            children.setdefault(family_id, []).append(pk)
    referred: dict[int, int] = {}
    for ids in _chunks([c.pk for c in cases]):
        referred.update(
            Referral.objects.filter(case_id__in=ids).values_list("case_id", "referred_child_id")
        )
    found = {}
    for case in cases:
        own = carers.get(case.family_id, [])
        kids = children.get(case.family_id, [])
        first = referred.get(case.pk)
        if first in kids:
            kids = [first, *(k for k in kids if k != first)]
        at_home = tuple(pk for pk, home in own if home) or tuple(pk for pk, _ in own[:1])
        found[case.pk] = Household(
            carers=tuple(pk for pk, _ in own), carers_at_home=at_home, children=tuple(kids)
        )
    return found


def _model(model: Any) -> type[BaseModel]:
    """`Table` is typed for the domain models; through tables work the same way."""
    return cast(type[BaseModel], model)


class DeliveryWriter:
    """Writes a chunk: a few multi-row INSERTs per table, parents before what hangs off them."""

    def __init__(self, *, now: datetime) -> None:
        models = (
            AllocationRecord, ConsentRecord, Goal, GoalRating, Visit, VigCycle, Filming, Clip,
            SharedReview, SessionPlan, PtpSession, SessionModule, Concern, Escalation, Alert,
        )  # fmt: skip
        self.t: dict[Any, Table] = {m: Table(_model(m), now=now) for m in models}
        for through in (
            Visit.present_carers.through,
            Visit.present_children.through,
            VigCycle.goals.through,
            Filming.filmed_carers.through,
            Filming.filmed_children.through,
            Concern.children.through,
        ):
            self.t[through] = Table(_model(through), now=now)
        self.rows: Counter[str] = Counter()

    def _insert(self, model: Any, rows: Sequence[Row], *, returning: bool = False) -> list[int]:
        self.rows[model._meta.label] += len(rows)
        return self.t[model].insert(rows, returning=returning)

    def _links(
        self, through: Any, left: str, right: str, links: Iterable[Link], ids: Sequence[int]
    ) -> None:
        self._insert(through, [{left: ids[i], right: other} for i, other in links])

    @staticmethod
    def _hang(rows: Iterable[tuple[int, Row]], key: str, ids: Sequence[int]) -> list[Row]:
        return [row | {key: ids[i]} for i, row in rows]

    def write(self, out: Chunk) -> None:
        t = self._insert
        t(AllocationRecord, out.allocations)
        t(ConsentRecord, out.consents)
        goals = t(Goal, out.goals, returning=True)
        t(GoalRating, self._hang(out.ratings, "goal_id", goals))
        visits = t(Visit, out.visits, returning=True)
        self._links(Visit.present_carers.through, "visit_id", "carer_id", out.visit_carers, visits)
        self._links(
            Visit.present_children.through, "visit_id", "child_id", out.visit_children, visits
        )
        cycles = t(VigCycle, out.cycles, returning=True)
        self._links(
            VigCycle.goals.through,
            "vigcycle_id",
            "goal_id",
            ((c, goals[g]) for c, g in out.cycle_goals),
            cycles,
        )
        filmings = t(Filming, self._hang(out.filmings, "cycle_id", cycles), returning=True)
        self._links(
            Filming.filmed_carers.through, "filming_id", "carer_id", out.filming_carers, filmings
        )
        self._links(
            Filming.filmed_children.through,
            "filming_id",
            "child_id",
            out.filming_children,
            filmings,
        )
        t(Clip, self._hang(out.clips, "filming_id", filmings))
        t(SharedReview, self._hang(out.reviews, "cycle_id", cycles))
        t(SessionPlan, out.plans)
        sessions = t(PtpSession, out.sessions, returning=True)
        t(
            SessionModule,
            [{"session_id": sessions[i], "module": m} for i, m in out.session_modules],
        )
        concerns = t(Concern, out.concerns, returning=True)
        self._links(
            Concern.children.through, "concern_id", "child_id", out.concern_children, concerns
        )
        t(Escalation, self._hang(out.escalations, "concern_id", concerns))
        t(Alert, out.alerts)


def read_service(now: datetime) -> Service:
    active = User.objects.filter(is_active=True).order_by("pk")
    managers: dict[int, int] = {}
    for pk, area_id in active.filter(role=Role.CENTRE_MANAGER).values_list("pk", "area_id"):
        if area_id is not None:
            managers.setdefault(area_id, pk)
    practitioners: dict[int, list[int]] = {}
    for pk, area_id in active.filter(role=Role.PRACTITIONER).values_list("pk", "area_id"):
        if area_id is not None:
            practitioners.setdefault(area_id, []).append(pk)
    lead = active.filter(role=Role.NATIONAL_LEAD).values_list("pk", flat=True).first()
    return Service(
        now=now,
        today=timezone.localdate(now, LONDON),
        managers=managers,
        lead=lead,
        practitioners=practitioners,
    )


def set_capacities(service: Service, seed: int) -> int:
    """A capacity for each practitioner holding cases who has none, set by their manager."""
    rng = Random(seed)  # noqa: S311  # fake data needs no crypto
    holding = (
        User.objects.filter(role=Role.PRACTITIONER, capacity__isnull=True)
        .filter(Exists(Case.objects.filter(allocated_to=OuterRef("pk"))))
        .order_by("pk")
        .values_list("pk", "area_id")
    )
    made = []
    for pk, area_id in holding:
        manager = service.managers.get(area_id, service.lead)
        if manager is None:
            continue
        made.append(
            Capacity(
                practitioner_id=pk,
                max_open_cases=rng.randint(8, 15),
                set_by_id=manager,
                set_at=service.now,
                created_by_id=manager,
                modified_by_id=manager,
            )
        )
    Capacity.objects.bulk_create(made, batch_size=500)
    return len(made)


# --- The command -------------------------------------------------------------------------


class CaseRecordsCommand(BaseCommand):
    """The shell of a command that generates fake records for the cases on record (this one
    and `generate_questionnaires`): the seed and chunk options, the refusal outside the demo,
    tests and benchmarks, one DATA_GENERATED summary and the closing figures. A subclass
    names its records and implements `_generate(seed=, size=) -> (cases, rows)`."""

    command_name: str  # "generate_delivery"
    records: str  # "delivery records"
    audit_key: str  # "delivery": the summary's data keys are <key>_cases and <key>_rows

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--seed", type=int, default=None, help="random seed (reproducible data)"
        )
        parser.add_argument(
            "--chunk-size", type=int, default=DEFAULT_CHUNK, help="cases per transaction"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        size: int = options["chunk_size"]
        if size < 1:
            raise CommandError("The chunk size must be at least 1.")
        if not (settings.DEBUG or settings.IPIP_DEMO or settings.TESTING):
            raise CommandError(
                f"{self.command_name} writes fake records: run it only for the demo, "
                "tests or benchmarks (set IPIP_DEMO=1), never against real data."
            )
        seed: int = options["seed"] if options["seed"] is not None else secrets.randbelow(2**31)
        began = clock.perf_counter()
        cases, rows = self._generate(seed=seed, size=size)
        if rows:  # one summary event; none when there was nothing left to do
            with transaction.atomic():
                record(
                    Action.DATA_GENERATED,
                    actor=None,
                    data={
                        f"{self.audit_key}_cases": cases,
                        f"{self.audit_key}_rows": rows,
                        "seed": seed,
                    },
                )
        elapsed = clock.perf_counter() - began
        self.stdout.write(
            f"Generated {self.records} for {cases:,} cases (seed {seed}): {rows:,} rows in "
            f"{elapsed:.1f} s, {rows / max(elapsed, 1e-6):,.0f} rows a second."
        )

    def _generate(self, *, seed: int, size: int) -> tuple[int, int]:
        raise NotImplementedError


class Command(CaseRecordsCommand):
    help = (
        "Generate synthetic delivery records (visits, consent, VIG, PTP, goals, safeguarding) "
        "for allocated, active and closed cases that have none yet (fake data)."
    )
    command_name = "generate_delivery"
    records = "delivery records"
    audit_key = "delivery"

    def _generate(self, *, seed: int, size: int) -> tuple[int, int]:
        now = timezone.now()
        service = read_service(now)
        total = pending_cases().count()
        writer = DeliveryWriter(now=now)
        done = 0
        after = 0
        began = clock.perf_counter()
        while cases := read_cases(after, size):
            homes = read_households(cases)
            out = Chunk()
            for case in cases:
                CaseDelivery(
                    seed=seed, case=case, home=homes[case.pk], service=service, out=out
                ).build()
            with transaction.atomic():
                writer.write(out)
            after = cases[-1].pk
            done += len(cases)
            elapsed = clock.perf_counter() - began
            rows = sum(writer.rows.values())
            self.stdout.write(
                f"{done:,} of {total:,} cases, {rows:,} rows, {elapsed:.1f} s, "
                f"{rows / elapsed:,.0f} rows a second"
            )
        with transaction.atomic():
            capacities = set_capacities(service, seed)
        if capacities:
            self.stdout.write(f"Set the capacity of {capacities} practitioners.")
        rows = sum(writer.rows.values())
        if rows:
            self.stdout.write(
                "Rows: " + ", ".join(f"{k} {n:,}" for k, n in sorted(writer.rows.items()) if n)
            )
        return done, rows
