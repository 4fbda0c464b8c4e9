"""The questionnaire actions: start, save part-way, complete (scoring and risk alerts) and
correct, with their audit events and refusals.

Also the shared test pieces of the entry tests: a Sheffield case allocated to alice with
two children (the referred one, aged 6, and one with no date of birth), a small scores-only
instrument about a child (`KIDSCORE`, registered per test), and `start`/`answer_all`.
"""

from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from ipip.accounts.models import User
from ipip.audit.events import Action
from ipip.audit.models import AuditEvent
from ipip.cases.models import Case, Child
from ipip.core.errors import ConcurrentEdit, DomainError
from ipip.core.testing import builders
from ipip.core.testing.clock import frozen_at
from ipip.questionnaires import actions
from ipip.questionnaires.instruments import REGISTRY
from ipip.questionnaires.instruments.base import (
    Band,
    BandSet,
    Direction,
    Instrument,
    LicenceMode,
    Scale,
)
from ipip.questionnaires.instruments.scoring import AnswerError
from ipip.questionnaires.models import (
    Administration,
    AdministrationStatus,
    RiskFlag,
    ScaleScore,
    TimePoint,
)
from ipip.safeguarding.models import Alert, AlertKind
from ipip.safeguarding.queries import alerts_for

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 12, 9, 0, tzinfo=UTC)
TODAY = date(2026, 3, 12)

frozen = frozen_at(NOW)

# A scores-only instrument about a child, for children aged 2 to 17: three entered
# scales (one optional, one with two decimal places), a total made from two of them,
# bands for 4-17 only, and a risk band on the total.
_BANDS = BandSet(
    bands=(
        Band("normal", "Normal", Decimal(0), Decimal(3)),
        Band("high", "High", Decimal(4), None),
    ),
    form="4-17",
    min_age_months=48,
)
KIDSCORE = Instrument(
    code="kidscore",
    name="Kid score",
    version="1",
    licence=LicenceMode.SCORES_ONLY,
    licence_note="A licensed test instrument: scores only.",
    about="The parent, about one child.",
    sources=("Made up for tests.",),
    scales=(
        Scale(
            "emotional",
            "Emotional",
            Decimal(0),
            Decimal(10),
            Direction.LOWER_IS_BETTER,
            band_sets=(_BANDS,),
        ),
        Scale("conduct", "Conduct", Decimal(0), Decimal(10), Direction.LOWER_IS_BETTER),
        Scale(
            "impact", "Impact", Decimal(0), Decimal(10), Direction.LOWER_IS_BETTER, optional=True
        ),
        Scale(
            "warmth",
            "Warmth",
            Decimal(1),
            Decimal(4),
            Direction.HIGHER_IS_BETTER,
            decimal_places=2,
        ),
        Scale(
            "total",
            "Total",
            Decimal(0),
            Decimal(20),
            Direction.LOWER_IS_BETTER,
            sum_of_scales=("emotional", "conduct"),
            band_sets=(
                BandSet(
                    bands=(
                        Band("normal", "Normal", Decimal(0), Decimal(17)),
                        Band("very_high", "Very high", Decimal(18), None),
                    )
                ),
            ),
            risk_bands=frozenset({"very_high"}),
        ),
    ),
    about_child=True,
    child_age_months=(24, 216),
)


@pytest.fixture
def kidscore(monkeypatch: pytest.MonkeyPatch) -> Instrument:
    monkeypatch.setitem(REGISTRY, KIDSCORE.code, KIDSCORE)
    return KIDSCORE


@pytest.fixture
def case(rita: User, bob: User, alice: User) -> Case:
    no_birthday = builders.child_input(born=date(2022, 1, 1), date_of_birth=None)
    return builders.allocated_case(
        rita, bob, alice, referral=builders.referral_input(others=(no_birthday,))
    )


@pytest.fixture
def hull_case(rita: User, dave: User, charlie: User) -> Case:
    return builders.allocated_case(
        rita, dave, charlie, referral=builders.referral_input(area="Hull")
    )


def child_of(case: Case) -> Child:
    """The referred child, aged 6: the one with a date of birth."""
    return Child.objects.get(family_id=case.family_id, date_of_birth__isnull=False)


def start(
    case: Case,
    user: User,
    code: str = "phq9",
    *,
    time_point: TimePoint = TimePoint.BASELINE,
    child: Child | None = None,
) -> Administration:
    return actions.do_start_administration(
        case, instrument_code=code, time_point=time_point, child=child, acting_user=user
    )


def answer_all(
    administration: Administration, user: User, values: Mapping[int, int] | None = None
) -> Administration:
    """PHQ-9 answered 1 to every item except 9 (0), unless `values` says otherwise."""
    answers = dict.fromkeys(range(1, 9), 1) | {9: 0} | dict(values or {})
    return actions.do_save_answers(
        administration,
        answers=answers,
        expected_version=administration.version,
        acting_user=user,
    )


def complete(administration: Administration, user: User, **kwargs: object) -> actions.Completion:
    return actions.do_complete_administration(
        administration,
        completed_on=kwargs.pop("completed_on", TODAY),  # type: ignore[arg-type]  # test helper
        expected_version=administration.version,
        acting_user=user,
        **kwargs,  # type: ignore[arg-type]  # test helper
    )


def events(action: Action) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action).order_by("id"))


# --- Start -------------------------------------------------------------------------------


def test_start_creates_an_administration_in_progress(case: Case, alice: User) -> None:
    administration = start(case, alice)
    assert administration.status == AdministrationStatus.IN_PROGRESS
    assert administration.instrument_version == "1"
    assert administration.version == 1
    assert administration.number == 1
    assert administration.administered_by == alice
    [event] = events(Action.QUESTIONNAIRE_STARTED)
    assert event.subject_public_id == administration.public_id
    assert event.family_public_id == case.family.public_id
    assert event.data == {"instrument": "phq9", "time_point": "baseline"}


def test_start_refuses_a_second_at_the_same_time_point(case: Case, alice: User) -> None:
    start(case, alice)
    with pytest.raises(DomainError, match="already started"):
        start(case, alice)
    start(case, alice, time_point=TimePoint.END)
    assert Administration.objects.count() == 2


def test_start_refuses_an_unknown_instrument(case: Case, alice: User) -> None:
    with pytest.raises(DomainError, match="no questionnaire"):
        start(case, alice, "nope")
    assert not Administration.objects.exists()


def test_start_refuses_someone_not_on_the_case(case: Case, charlie: User) -> None:
    with pytest.raises(PermissionDenied):
        start(case, charlie)
    assert not events(Action.QUESTIONNAIRE_STARTED)


def test_start_about_a_child_needs_the_child(
    case: Case, alice: User, kidscore: Instrument
) -> None:
    with pytest.raises(AnswerError) as caught:
        start(case, alice, "kidscore")
    assert set(caught.value.errors) == {"child"}
    administration = start(case, alice, "kidscore", child=child_of(case))
    assert administration.child == child_of(case)


def test_start_refuses_a_child_of_another_family(
    case: Case, hull_case: Case, alice: User, kidscore: Instrument
) -> None:
    with pytest.raises(AnswerError, match="not in this family") as caught:
        start(case, alice, "kidscore", child=child_of(hull_case))
    assert set(caught.value.errors) == {"child"}


def test_start_refuses_a_child_without_a_date_of_birth(
    case: Case, alice: User, kidscore: Instrument
) -> None:
    child = Child.objects.get(family_id=case.family_id, date_of_birth__isnull=True)
    with pytest.raises(AnswerError, match="date of birth"):
        start(case, alice, "kidscore", child=child)


def test_start_refuses_a_child_for_a_questionnaire_about_the_parent(
    case: Case, alice: User
) -> None:
    with pytest.raises(AnswerError, match="not about a child"):
        start(case, alice, child=child_of(case))
    assert not Administration.objects.exists()


# --- Save part-way -------------------------------------------------------------------------


def test_save_merges_answers_and_bumps_the_version(case: Case, alice: User) -> None:
    administration = start(case, alice)
    actions.do_save_answers(
        administration, answers={1: 2, 2: 3}, expected_version=1, acting_user=alice
    )
    saved = actions.do_save_answers(
        administration, answers={2: None, 3: 0}, expected_version=2, acting_user=alice
    )
    saved.refresh_from_db()
    assert saved.answers == {"1": 2, "3": 0}
    assert saved.version == 3
    assert saved.status == AdministrationStatus.IN_PROGRESS
    last = events(Action.QUESTIONNAIRE_SAVED)[-1]
    # The number answered, never the answers themselves.
    assert last.data == {"instrument": "phq9", "answered": 2}


def test_save_refuses_a_stale_version(case: Case, alice: User, bob: User) -> None:
    administration = start(case, alice)
    actions.do_save_answers(administration, answers={1: 2}, expected_version=1, acting_user=bob)
    with pytest.raises(ConcurrentEdit):
        actions.do_save_answers(
            administration, answers={1: 0}, expected_version=1, acting_user=alice
        )
    administration.refresh_from_db()
    assert administration.answers == {"1": 2}


def test_save_refuses_an_answer_out_of_range(case: Case, alice: User) -> None:
    administration = start(case, alice)
    with pytest.raises(AnswerError) as caught:
        actions.do_save_answers(
            administration, answers={1: 1, 3: 4, 12: 0}, expected_version=1, acting_user=alice
        )
    assert set(caught.value.errors) == {"item_3", "item_12"}
    administration.refresh_from_db()
    assert administration.answers == {}
    assert administration.version == 1


def test_save_refuses_scores_for_an_items_instrument(case: Case, alice: User) -> None:
    administration = start(case, alice)
    with pytest.raises(AnswerError) as caught:
        actions.do_save_answers(
            administration, entered={"total": "5"}, expected_version=1, acting_user=alice
        )
    assert set(caught.value.errors) == {"instrument"}


def test_a_completed_administration_is_locked(case: Case, alice: User) -> None:
    administration = answer_all(start(case, alice), alice)
    completed = complete(administration, alice).administration
    with pytest.raises(DomainError, match="locked"):
        actions.do_save_answers(
            completed, answers={1: 3}, expected_version=completed.version, acting_user=alice
        )
    with pytest.raises(DomainError, match="locked"):
        complete(completed, alice)
    completed.refresh_from_db()
    assert completed.answers["1"] == 1


# --- Complete ------------------------------------------------------------------------------


def test_complete_scores_and_locks(case: Case, alice: User) -> None:
    administration = answer_all(start(case, alice), alice, {1: 3, 2: 3})
    completion = complete(administration, alice)
    done = completion.administration
    done.refresh_from_db()
    assert done.status == AdministrationStatus.COMPLETED
    assert done.completed_on == TODAY
    assert done.child_age_months is None
    [score] = ScaleScore.objects.filter(administration=done)
    assert (score.scale_code, score.value, score.band_code) == ("total", Decimal(12), "moderate")
    assert completion.risk_flags == []
    [event] = events(Action.QUESTIONNAIRE_COMPLETED)
    assert event.subject_public_id == done.public_id
    assert event.data == {"instrument": "phq9", "time_point": "baseline", "risks": 0}
    assert not Alert.objects.exists()


def test_complete_refuses_missing_items_without_confirmation(case: Case, alice: User) -> None:
    administration = actions.do_save_answers(
        start(case, alice),
        answers=dict.fromkeys(range(1, 8), 1),
        expected_version=1,
        acting_user=alice,
    )
    with pytest.raises(AnswerError) as caught:
        complete(administration, alice)
    assert caught.value.errors == {
        "item_8": "Item 8 is not answered.",
        "item_9": "Item 9 is not answered.",
    }
    administration.refresh_from_db()
    assert administration.status == AdministrationStatus.IN_PROGRESS


def test_complete_with_missing_items_confirmed_leaves_the_score_incomplete(
    case: Case, alice: User
) -> None:
    # One more item missing than the PHQ-9 total may be prorated from.
    missing = REGISTRY["phq9"].scale("total").max_missing + 1
    administration = actions.do_save_answers(
        start(case, alice),
        answers=dict.fromkeys(range(1, 10 - missing), 1),
        expected_version=1,
        acting_user=alice,
    )
    completion = complete(administration, alice, missing_confirmed=True)
    [score] = ScaleScore.objects.filter(administration=completion.administration)
    assert score.value is None
    assert score.missing == missing
    assert completion.administration.status == AdministrationStatus.COMPLETED


def test_complete_refuses_nothing_answered_even_if_confirmed(case: Case, alice: User) -> None:
    administration = start(case, alice)
    with pytest.raises(AnswerError) as caught:
        complete(administration, alice, missing_confirmed=True)
    assert set(caught.value.errors) == {"instrument"}


def test_complete_refuses_a_future_date(case: Case, alice: User) -> None:
    administration = answer_all(start(case, alice), alice)
    with pytest.raises(AnswerError, match="today or in the past") as caught:
        complete(administration, alice, completed_on=TODAY + timedelta(days=1))
    assert set(caught.value.errors) == {"completed_on"}


def test_complete_refuses_a_date_before_the_case_was_opened(case: Case, alice: User) -> None:
    administration = answer_all(start(case, alice), alice)
    with pytest.raises(AnswerError, match="before the case was opened") as caught:
        complete(administration, alice, completed_on=TODAY - timedelta(days=1))
    assert set(caught.value.errors) == {"completed_on"}


def test_complete_refuses_a_stale_version(case: Case, alice: User) -> None:
    administration = answer_all(start(case, alice), alice)
    with pytest.raises(ConcurrentEdit):
        actions.do_complete_administration(
            administration, completed_on=TODAY, expected_version=1, acting_user=alice
        )
    administration.refresh_from_db()
    assert administration.status == AdministrationStatus.IN_PROGRESS


def test_a_risk_answer_alerts_the_practitioner_and_the_areas_managers(
    case: Case, alice: User, bob: User, lena: User, charlie: User, dave: User
) -> None:
    administration = answer_all(start(case, alice), alice, {9: 1})
    completion = complete(administration, bob)
    [flag] = completion.risk_flags
    assert flag.code == "item_9"
    assert flag.alert is not None
    alert = flag.alert
    assert alert.kind == AlertKind.QUESTIONNAIRE_RISK
    assert alert.for_user == alice
    assert alert.case == case
    for allowed in (alice, bob, lena):
        assert alert in alerts_for(allowed)
    for outsider in (charlie, dave):
        assert alert not in alerts_for(outsider)
    [found] = events(Action.QUESTIONNAIRE_RISK_FOUND)
    assert found.data["risk"] == "item_9"
    assert found.data["alert_id"] == str(alert.public_id)
    assert len(events(Action.ALERT_RAISED)) == 1
    assert events(Action.QUESTIONNAIRE_COMPLETED)[0].data["risks"] == 1


# --- Scores only ---------------------------------------------------------------------------


def test_scores_only_saves_scores_and_refuses_bad_ones(
    case: Case, alice: User, kidscore: Instrument
) -> None:
    administration = start(case, alice, "kidscore", child=child_of(case))
    with pytest.raises(AnswerError) as caught:
        actions.do_save_answers(
            administration,
            entered={"emotional": "11", "conduct": "two", "warmth": "2.555", "impact": "1.5"},
            expected_version=1,
            acting_user=alice,
        )
    assert set(caught.value.errors) == {
        "scale_emotional",
        "scale_conduct",
        "scale_warmth",
        "scale_impact",
    }
    assert "from 0 to 10" in caught.value.errors["scale_emotional"]
    saved = actions.do_save_answers(
        administration,
        entered={"emotional": "4", "warmth": "2.50"},
        expected_version=1,
        acting_user=alice,
    )
    saved.refresh_from_db()
    assert saved.entered == {"emotional": "4", "warmth": "2.5"}
    assert saved.answers == {}


def test_scores_only_refuses_item_answers(case: Case, alice: User, kidscore: Instrument) -> None:
    administration = start(case, alice, "kidscore", child=child_of(case))
    with pytest.raises(AnswerError) as caught:
        actions.do_save_answers(
            administration, answers={1: 1}, expected_version=1, acting_user=alice
        )
    assert set(caught.value.errors) == {"instrument"}


def test_scores_only_complete_needs_every_required_score(
    case: Case, alice: User, kidscore: Instrument
) -> None:
    administration = start(case, alice, "kidscore", child=child_of(case))
    saved = actions.do_save_answers(
        administration, entered={"emotional": "4"}, expected_version=1, acting_user=alice
    )
    with pytest.raises(AnswerError) as caught:
        complete(saved, alice)
    # Impact is optional and the total is computed: neither is asked for.
    assert set(caught.value.errors) == {"scale_conduct", "scale_warmth"}


def test_scores_only_complete_bands_by_the_childs_age(
    case: Case, alice: User, kidscore: Instrument
) -> None:
    administration = start(case, alice, "kidscore", child=child_of(case))
    completion = complete(
        administration,
        alice,
        entered={"emotional": "4", "conduct": "3", "warmth": "3.25"},
    )
    done = completion.administration
    scores = {s.scale_code: s for s in ScaleScore.objects.filter(administration=done)}
    assert scores["emotional"].band_code == "high"
    assert scores["emotional"].form == "4-17"
    assert scores["total"].value == Decimal(7)
    assert scores["impact"].value is None
    assert done.child_age_months == 72
    assert completion.risk_flags == []


def test_scores_only_risk_band_raises_an_alert(
    case: Case, alice: User, kidscore: Instrument
) -> None:
    administration = start(case, alice, "kidscore", child=child_of(case))
    completion = complete(
        administration, alice, entered={"emotional": "9", "conduct": "9", "warmth": "2"}
    )
    [flag] = completion.risk_flags
    assert flag.code == "band_total_very_high"
    assert Alert.objects.get().kind == AlertKind.QUESTIONNAIRE_RISK


def test_scores_only_refuses_a_child_outside_the_ages(
    case: Case, alice: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    from dataclasses import replace

    older_only = replace(KIDSCORE, child_age_months=(96, 216))
    monkeypatch.setitem(REGISTRY, older_only.code, older_only)
    administration = start(case, alice, "kidscore", child=child_of(case))
    with pytest.raises(AnswerError, match="aged 8 to 17") as caught:
        complete(administration, alice, entered={"emotional": "1", "conduct": "1", "warmth": "2"})
    assert set(caught.value.errors) == {"completed_on"}


# --- Correct -------------------------------------------------------------------------------


def _completed(case: Case, user: User, values: Mapping[int, int] | None = None) -> Administration:
    return complete(answer_all(start(case, user), user, values), user).administration


def test_correct_makes_a_new_version_and_keeps_the_old(case: Case, alice: User) -> None:
    old = _completed(case, alice)
    completion = actions.do_correct_administration(
        old,
        reason="Item 1 was entered wrongly.",
        completed_on=TODAY,
        answers={1: 3},
        expected_version=old.version,
        acting_user=alice,
    )
    new = completion.administration
    old.refresh_from_db()
    assert old.status == AdministrationStatus.SUPERSEDED
    assert old.answers["1"] == 1
    assert new.status == AdministrationStatus.COMPLETED
    assert (new.number, new.version, new.supersedes) == (2, 1, old)
    assert new.answers["1"] == 3
    assert new.correction_reason == "Item 1 was entered wrongly."
    assert ScaleScore.objects.get(administration=new).value == Decimal(10)
    assert ScaleScore.objects.get(administration=old).value == Decimal(8)
    [event] = events(Action.QUESTIONNAIRE_CORRECTED)
    assert event.subject_public_id == new.public_id
    assert event.data == {
        "instrument": "phq9",
        "time_point": "baseline",
        "supersedes_id": str(old.public_id),
        "number": 2,
    }


def test_correct_needs_a_reason(case: Case, alice: User) -> None:
    old = _completed(case, alice)
    with pytest.raises(AnswerError) as caught:
        actions.do_correct_administration(
            old, reason="  ", completed_on=TODAY, expected_version=old.version, acting_user=alice
        )
    assert set(caught.value.errors) == {"reason"}
    old.refresh_from_db()
    assert old.status == AdministrationStatus.COMPLETED
    assert Administration.objects.count() == 1


def test_correct_refuses_one_in_progress_or_superseded(case: Case, alice: User) -> None:
    in_progress = start(case, alice, time_point=TimePoint.END)
    with pytest.raises(DomainError, match="Only a completed"):
        actions.do_correct_administration(
            in_progress, reason="x", completed_on=TODAY, expected_version=1, acting_user=alice
        )
    old = _completed(case, alice)
    actions.do_correct_administration(
        old, reason="x", completed_on=TODAY, expected_version=old.version, acting_user=alice
    )
    old.refresh_from_db()
    with pytest.raises(DomainError, match="Only a completed"):
        actions.do_correct_administration(
            old, reason="y", completed_on=TODAY, expected_version=old.version, acting_user=alice
        )


def test_correct_refuses_a_stale_version(case: Case, alice: User) -> None:
    old = _completed(case, alice)
    with pytest.raises(ConcurrentEdit):
        actions.do_correct_administration(
            old, reason="x", completed_on=TODAY, expected_version=1, acting_user=alice
        )
    assert Administration.objects.count() == 1


def test_a_correction_keeping_a_risk_flags_it_without_a_second_alert(
    case: Case, alice: User
) -> None:
    old = _completed(case, alice, {9: 1})
    assert Alert.objects.count() == 1
    completion = actions.do_correct_administration(
        old,
        reason="Item 2 was entered wrongly.",
        completed_on=TODAY,
        answers={2: 0},
        expected_version=old.version,
        acting_user=alice,
    )
    [flag] = completion.risk_flags
    assert flag.administration == completion.administration
    assert flag.alert is None
    assert Alert.objects.count() == 1
    assert RiskFlag.objects.count() == 2
    found = events(Action.QUESTIONNAIRE_RISK_FOUND)
    assert len(found) == 2
    assert found[-1].data["already_alerted"] is True


def test_a_correction_adding_a_risk_raises_a_new_alert(case: Case, alice: User) -> None:
    old = _completed(case, alice, {9: 0})
    assert Alert.objects.count() == 0
    completion = actions.do_correct_administration(
        old,
        reason="Item 9 was entered on the wrong line.",
        completed_on=TODAY,
        answers={9: 2},
        expected_version=old.version,
        acting_user=alice,
    )
    [flag] = completion.risk_flags
    assert flag.alert is not None
    assert Alert.objects.count() == 1


def test_a_correction_that_removes_the_risk_raises_none(case: Case, alice: User) -> None:
    old = _completed(case, alice, {9: 2})
    completion = actions.do_correct_administration(
        old,
        reason="Item 9 was entered on the wrong line.",
        completed_on=TODAY,
        answers={9: 0},
        expected_version=old.version,
        acting_user=alice,
    )
    assert completion.risk_flags == []
    assert Alert.objects.count() == 1
