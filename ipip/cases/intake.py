"""Plain inputs for recording a family from a referral (pages and the API build these)."""

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class PlanInput:
    started_on: date | None
    ended_on: date | None
    is_ongoing: bool
    category: str = "not_known"


@dataclass(frozen=True)
class ChildInput:
    first_name: str
    last_name: str
    date_of_birth: date | None
    ever_on_plan: str  # Tristate
    care_proceedings: str  # Proceedings
    plans: tuple[PlanInput, ...] = ()
    lives_in_household: bool = True


@dataclass(frozen=True)
class CarerInput:
    first_name: str
    last_name: str
    relationship: str
    phone: str = ""
    email: str = ""
    lives_in_household: bool = True


@dataclass(frozen=True)
class AssessmentInput:
    kind: str  # AssessmentKind
    completed_on: date | None
    shows_neglect_concerns: str  # Tristate


@dataclass(frozen=True)
class FamilyInput:
    area_id: int | None
    address_line_1: str
    address_line_2: str
    town: str
    postcode: str
    referred_child: ChildInput
    other_children: tuple[ChildInput, ...] = ()
    carers: tuple[CarerInput, ...] = ()
    assessment: AssessmentInput | None = None
    extra: dict[str, str] = field(default_factory=dict)
