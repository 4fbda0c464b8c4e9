"""The entry pages through the test client: start, answer page by page, scores, check and
complete, read, and correct; with their errors, part-way saving and audit events."""

import re
from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from django.utils.html import escape
from pytest_django import DjangoAssertNumQueries

from ipip.accounts.models import User
from ipip.audit.events import Action
from ipip.audit.models import AuditEvent
from ipip.cases.models import Case
from ipip.questionnaires import actions
from ipip.questionnaires.forms import entered_scales, item_pages, number_text
from ipip.questionnaires.instruments import REGISTRY
from ipip.questionnaires.instruments.base import Instrument, LicenceMode
from ipip.questionnaires.models import Administration, AdministrationStatus, ScaleScore
from ipip.questionnaires.tests.test_actions import (
    TODAY,
    answer_all,
    case,
    child_of,
    complete,
    frozen,
    kidscore,
    start,
)

__all__ = ["case", "frozen", "kidscore"]  # fixtures shared with the action tests

pytestmark = pytest.mark.django_db

# Session, user, second-factor check, the case, the administration, its scores, its risk
# flags (with alerts), its versions and the audit row: the same however many versions.
DETAIL_QUERIES = 9


def url(name: str, administration: Administration) -> str:
    return reverse(
        f"questionnaires:{name}",
        kwargs={
            "case_id": administration.case.public_id,
            "administration_id": administration.public_id,
        },
    )


def start_url(case: Case) -> str:
    return reverse("questionnaires:start", kwargs={"case_id": case.public_id})


def messages_of(response: object) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]  # type: ignore[attr-defined]


def html_of(response: object) -> str:
    return response.content.decode()  # type: ignore[attr-defined, no-any-return]


def date_fields(name: str = "completed_on", on: object = TODAY) -> dict[str, str]:
    return {f"{name}_0": str(on.day), f"{name}_1": str(on.month), f"{name}_2": str(on.year)}  # type: ignore[attr-defined]


def viewed(page: str) -> AuditEvent:
    return AuditEvent.objects.get(action=Action.QUESTIONNAIRE_VIEWED, data__page=page)


def fresh(administration: Administration) -> Administration:
    return Administration.objects.select_related("case__family").get(pk=administration.pk)


def error_summary(html: str) -> str:
    match = re.search(r'<div class="govuk-error-summary".*?</ul>', html, re.S)
    assert match, "no error summary"
    return match.group(0)


# --- Start -------------------------------------------------------------------------------


def test_start_page_is_prefilled_from_the_link(client: Client, case: Case, alice: User) -> None:
    client.force_login(alice)
    response = client.get(f"{start_url(case)}?instrument=phq9&time_point=end")
    html = html_of(response)
    assert response.status_code == 200
    assert "Start a questionnaire" in html
    assert re.search(r'value="phq9" checked', html)
    assert re.search(r'value="end" checked', html)
    assert 'value="baseline" checked' not in html
    # PHQ-9 is about the parent: no child asked for.
    assert "Which child is it about?" not in html
    event = AuditEvent.objects.get(action=Action.CASE_PAGE_VIEWED)
    assert event.data["page"] == "questionnaires:start"
    assert not Administration.objects.exists()


def test_start_asks_for_the_child_when_the_library_has_one_about_a_child(
    client: Client, case: Case, alice: User, kidscore: Instrument
) -> None:
    client.force_login(alice)
    html = html_of(client.get(start_url(case)))
    assert "Which child is it about?" in html
    assert escape(child_of(case).first_name) in html


def test_start_items_goes_to_the_first_page_of_items(
    client: Client, case: Case, alice: User
) -> None:
    client.force_login(alice)
    response = client.post(start_url(case), {"instrument": "phq9", "time_point": "baseline"})
    administration = Administration.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("answer", administration)
    assert administration.administered_by == alice
    assert AuditEvent.objects.filter(action=Action.QUESTIONNAIRE_STARTED).count() == 1
    assert messages_of(response) == ["PHQ-9 started."]


def test_start_scores_only_about_a_child_goes_to_the_scores(
    client: Client, case: Case, alice: User, kidscore: Instrument
) -> None:
    client.force_login(alice)
    child = child_of(case)
    response = client.post(
        start_url(case),
        {"instrument": "kidscore", "time_point": "end", "child": str(child.public_id)},
    )
    administration = Administration.objects.get()
    assert response["Location"] == url("scores", administration)
    assert administration.child == child


def test_start_shows_the_actions_errors_by_their_fields(
    client: Client, case: Case, alice: User, kidscore: Instrument
) -> None:
    client.force_login(alice)
    response = client.post(start_url(case), {"instrument": "kidscore", "time_point": "end"})
    html = html_of(response)
    assert response.status_code == 200
    summary = error_summary(html)
    assert "Choose the child Kid score is about." in summary
    assert 'href="#id_child_0"' in summary
    assert 'id="id_child-error"' in html
    assert not Administration.objects.exists()


def test_start_refuses_a_second_one_with_a_message(
    client: Client, case: Case, alice: User
) -> None:
    start(case, alice)
    client.force_login(alice)
    response = client.post(start_url(case), {"instrument": "phq9", "time_point": "baseline"})
    assert response.status_code == 200
    assert "already started or completed" in error_summary(html_of(response))
    assert Administration.objects.count() == 1


def test_start_with_nothing_chosen_shows_both_errors(
    client: Client, case: Case, alice: User
) -> None:
    client.force_login(alice)
    html = html_of(client.post(start_url(case), {}))
    summary = error_summary(html)
    assert "Select the questionnaire" in summary
    assert "Select the time point" in summary
    assert "<title>Error: " in html


# --- Answer page by page -------------------------------------------------------------------


def test_answer_page_shows_a_page_of_radios(client: Client, case: Case, alice: User) -> None:
    administration = start(case, alice)
    client.force_login(alice)
    response = client.get(url("answer", administration))
    html = html_of(response)
    assert response.status_code == 200
    assert "PHQ-9 at baseline" in html
    assert "Page 1 of 2" in html
    assert html.count('class="govuk-radios__input"') == 5 * 4
    assert 'name="item_5"' in html
    assert 'name="item_6"' not in html
    assert "Save and continue" in html
    assert "Save and come back later" in html
    assert "None of the 9 items is answered yet." in html
    assert f'name="version" value="{administration.version}"' in html
    event = viewed("answer")
    assert (event.actor, event.subject_public_id) == (alice, administration.public_id)


def test_save_and_continue_saves_and_goes_to_the_next_page(
    client: Client, case: Case, alice: User
) -> None:
    administration = start(case, alice)
    client.force_login(alice)
    data = {"version": "1", "then": "continue", "item_1": "2", "item_2": "0", "item_4": "3"}
    response = client.post(url("answer", administration), data)
    assert response.status_code == 302
    assert response["Location"] == f"{url('answer', administration)}?page=2"
    saved = fresh(administration)
    assert saved.answers == {"1": 2, "2": 0, "4": 3}
    assert saved.version == 2
    html = html_of(client.get(response["Location"]))
    assert "Page 2 of 2" in html
    assert "3 of 9 items answered." in html
    # Items 3 and 5 on page 1 are still to answer, with links back to them.
    assert 'href="?page=1#id_item_3_0">item 3</a>' in html
    assert 'href="?page=1#id_item_5_0">item 5</a>' in html


def test_the_last_page_goes_on_to_check_and_complete(
    client: Client, case: Case, alice: User
) -> None:
    administration = start(case, alice)
    client.force_login(alice)
    data = {"version": "1", "then": "continue", "item_6": "1", "item_9": "0"}
    response = client.post(f"{url('answer', administration)}?page=2", data)
    assert response["Location"] == url("complete", administration)
    assert fresh(administration).answers == {"6": 1, "9": 0}


def test_save_and_come_back_later_then_resume(client: Client, case: Case, alice: User) -> None:
    administration = start(case, alice)
    client.force_login(alice)
    data = {"version": "1", "then": "later", "item_1": "3"}
    response = client.post(url("answer", administration), data)
    assert response["Location"] == url("detail", administration)
    assert messages_of(response) == ["Answers saved. You can come back to them later."]
    # Coming back: the answer is ticked and the page carries the new version.
    html = html_of(client.get(url("answer", administration)))
    assert re.search(r'id="id_item_1_3" name="item_1" type="radio" value="3" checked', html)
    assert 'name="version" value="2"' in html


def test_an_answer_that_is_not_an_option_is_shown_by_its_item(
    client: Client, case: Case, alice: User
) -> None:
    administration = start(case, alice)
    client.force_login(alice)
    data = {"version": "1", "then": "continue", "item_1": "2", "item_2": "9"}
    response = client.post(url("answer", administration), data)
    html = html_of(response)
    assert response.status_code == 200
    summary = error_summary(html)
    assert 'href="#id_item_2_0">Item 2: choose one of the answers' in summary
    assert 'id="id_item_2-error"' in html
    # What was typed is kept; nothing was saved.
    assert re.search(r'value="2" checked', html)
    assert fresh(administration).answers == {}


def test_a_stale_page_is_refused_with_the_message(
    client: Client, case: Case, alice: User, bob: User
) -> None:
    administration = start(case, alice)
    actions.do_save_answers(administration, answers={1: 1}, expected_version=1, acting_user=bob)
    client.force_login(alice)
    data = {"version": "1", "then": "continue", "item_1": "3", "item_2": "2"}
    response = client.post(url("answer", administration), data)
    html = html_of(response)
    assert response.status_code == 200
    assert "Someone else changed this questionnaire" in error_summary(html)
    assert re.search(r'id="id_item_2_2" name="item_2" type="radio" value="2" checked', html)
    assert fresh(administration).answers == {"1": 1}


def test_page_numbers_out_of_range_show_the_nearest_page(
    client: Client, case: Case, alice: User
) -> None:
    administration = start(case, alice)
    client.force_login(alice)
    assert "Page 2 of 2" in html_of(client.get(f"{url('answer', administration)}?page=99"))
    assert "Page 1 of 2" in html_of(client.get(f"{url('answer', administration)}?page=x"))


def test_a_completed_questionnaire_cannot_be_answered_again(
    client: Client, case: Case, alice: User
) -> None:
    done = complete(answer_all(start(case, alice), alice), alice).administration
    client.force_login(alice)
    for name in ("answer", "complete"):
        response = client.post(url(name, done), {"version": str(done.version), "item_1": "3"})
        assert response.status_code == 302
        assert response["Location"] == url("detail", done)
        assert "completed and locked" in messages_of(response)[0]
    response = client.get(url("answer", done))
    assert response["Location"] == url("detail", done)
    assert fresh(done).answers["1"] == 1


def test_the_answer_page_of_a_scores_only_questionnaire_is_the_scores_page(
    client: Client, case: Case, alice: User, kidscore: Instrument
) -> None:
    administration = start(case, alice, "kidscore", child=child_of(case))
    client.force_login(alice)
    assert client.get(url("answer", administration))["Location"] == url("scores", administration)
    phq9 = start(case, alice)
    assert client.get(url("scores", phq9))["Location"] == url("answer", phq9)


# --- Scores only ---------------------------------------------------------------------------


def test_scores_page_has_a_numeric_box_per_scale(
    client: Client, case: Case, alice: User, kidscore: Instrument
) -> None:
    administration = start(case, alice, "kidscore", child=child_of(case))
    client.force_login(alice)
    response = client.get(url("scores", administration))
    html = html_of(response)
    assert response.status_code == 200
    assert "Kid score at baseline: enter the scores" in html
    assert f"about {escape(child_of(case).first_name)}" in html
    assert html.count('inputmode="numeric"') == 3
    assert html.count('inputmode="decimal"') == 1
    assert "Enter a whole number from 0 to 10." in html
    assert 'name="scale_total"' not in html
    assert viewed("scores").subject_public_id == administration.public_id


def test_scores_out_of_range_are_shown_by_their_box_and_kept(
    client: Client, case: Case, alice: User, kidscore: Instrument
) -> None:
    administration = start(case, alice, "kidscore", child=child_of(case))
    client.force_login(alice)
    data = {"version": "1", "then": "continue", "scale_emotional": "11", "scale_conduct": "2"}
    response = client.post(url("scores", administration), data)
    html = html_of(response)
    assert response.status_code == 200
    summary = error_summary(html)
    assert 'href="#id_scale_emotional">Emotional must be from 0 to 10.' in summary
    assert 'id="id_scale_emotional-error"' in html
    assert 'value="11"' in html
    assert 'value="2"' in html
    assert fresh(administration).entered == {}


def test_scores_save_part_way_and_continue(
    client: Client, case: Case, alice: User, kidscore: Instrument
) -> None:
    administration = start(case, alice, "kidscore", child=child_of(case))
    client.force_login(alice)
    data = {"version": "1", "then": "later", "scale_emotional": "4"}
    response = client.post(url("scores", administration), data)
    assert response["Location"] == url("detail", administration)
    assert fresh(administration).entered == {"emotional": "4"}
    html = html_of(client.get(url("scores", administration)))
    assert 'value="4"' in html
    data = {"version": "2", "then": "continue", "scale_emotional": "4", "scale_conduct": "1"}
    response = client.post(url("scores", administration), data)
    assert response["Location"] == url("complete", administration)
    assert fresh(administration).entered == {"emotional": "4", "conduct": "1"}


# --- Check and complete --------------------------------------------------------------------


def test_complete_page_shows_the_answers_and_asks_about_blanks(
    client: Client, case: Case, alice: User
) -> None:
    administration = actions.do_save_answers(
        start(case, alice), answers={1: 2}, expected_version=1, acting_user=alice
    )
    client.force_login(alice)
    response = client.get(url("complete", administration))
    html = html_of(response)
    assert response.status_code == 200
    assert "Check the answers before completing" in html
    assert "More than half the days (2)" in html
    assert html.count("Not answered") == 8
    assert f'href="{url("answer", administration)}?page=2"' in html
    assert "The parent chose not to answer the items left blank" in html
    assert 'name="completed_on_0"' in html
    assert viewed("complete").subject_public_id == administration.public_id


def test_complete_page_does_not_ask_about_blanks_when_there_are_none(
    client: Client, case: Case, alice: User
) -> None:
    administration = answer_all(start(case, alice), alice)
    client.force_login(alice)
    html = html_of(client.get(url("complete", administration)))
    assert "Not answered" not in html
    assert "The parent chose not to answer" not in html


def test_complete_scores_and_shows_the_result(client: Client, case: Case, alice: User) -> None:
    administration = answer_all(start(case, alice), alice, {1: 3, 2: 3})
    client.force_login(alice)
    data = {"version": str(administration.version), **date_fields()}
    response = client.post(url("complete", administration), data)
    assert response.status_code == 302
    assert response["Location"] == url("detail", administration)
    done = fresh(administration)
    assert done.status == AdministrationStatus.COMPLETED
    assert done.completed_on == TODAY
    assert ScaleScore.objects.get(administration=done).value == 12
    assert AuditEvent.objects.filter(action=Action.QUESTIONNAIRE_COMPLETED).count() == 1
    assert messages_of(response) == ["PHQ-9 completed and scored."]
    html = html_of(client.get(response["Location"]))
    assert "Depression severity" in html
    assert "Moderate" in html
    assert "A risk was found" not in html


def test_completing_with_a_risk_shows_the_alert_on_screen(
    client: Client, case: Case, alice: User
) -> None:
    administration = answer_all(start(case, alice), alice, {9: 2})
    client.force_login(alice)
    data = {"version": str(administration.version), **date_fields()}
    response = client.post(url("complete", administration), data, follow=True)
    html = html_of(response)
    assert "A risk was found in these answers" in html
    assert "PHQ-9 item 9 answered 2" in html
    assert "centre managers have been alerted" in html
    assert reverse("safeguarding:raise", kwargs={"case_id": case.public_id}) in html
    assert reverse("safeguarding:index", kwargs={"case_id": case.public_id}) in html
    assert AuditEvent.objects.filter(action=Action.QUESTIONNAIRE_RISK_FOUND).count() == 1


def test_complete_with_blanks_unconfirmed_shows_each_by_its_row(
    client: Client, case: Case, alice: User
) -> None:
    administration = actions.do_save_answers(
        start(case, alice),
        answers=dict.fromkeys(range(1, 8), 1),
        expected_version=1,
        acting_user=alice,
    )
    client.force_login(alice)
    data = {"version": str(administration.version), **date_fields()}
    response = client.post(url("complete", administration), data)
    html = html_of(response)
    assert response.status_code == 200
    assert "<title>Error: " in html
    summary = error_summary(html)
    assert '<a href="#item_8">Item 8 is not answered.</a>' in summary
    assert '<a href="#item_9">Item 9 is not answered.</a>' in summary
    assert re.search(r'id="item_8">.*?Item 8 is not answered', html, re.S)
    # The date typed is kept; nothing is completed.
    assert f'value="{TODAY.year}"' in html
    assert fresh(administration).status == AdministrationStatus.IN_PROGRESS


def test_complete_with_blanks_confirmed(client: Client, case: Case, alice: User) -> None:
    administration = actions.do_save_answers(
        start(case, alice),
        answers=dict.fromkeys(range(1, 8), 1),
        expected_version=1,
        acting_user=alice,
    )
    client.force_login(alice)
    data = {
        "version": str(administration.version),
        "missing_confirmed": "on",
        **date_fields(),
    }
    response = client.post(url("complete", administration), data)
    assert response.status_code == 302
    assert fresh(administration).status == AdministrationStatus.COMPLETED


def test_complete_shows_a_date_error_by_the_date(client: Client, case: Case, alice: User) -> None:
    administration = answer_all(start(case, alice), alice)
    client.force_login(alice)
    data = {
        "version": str(administration.version),
        **date_fields(on=TODAY + timedelta(days=3)),
    }
    html = html_of(client.post(url("complete", administration), data))
    summary = error_summary(html)
    assert 'href="#id_completed_on_0">The date it was completed must be today' in summary
    assert 'id="id_completed_on-error"' in html
    assert fresh(administration).status == AdministrationStatus.IN_PROGRESS


def test_complete_from_a_stale_page_is_refused(
    client: Client, case: Case, alice: User, bob: User
) -> None:
    administration = answer_all(start(case, alice), alice)
    actions.do_save_answers(
        administration, answers={1: 0}, expected_version=administration.version, acting_user=bob
    )
    client.force_login(alice)
    data = {"version": str(administration.version), **date_fields()}
    html = html_of(client.post(url("complete", administration), data))
    assert "Someone else changed this questionnaire" in error_summary(html)
    assert fresh(administration).status == AdministrationStatus.IN_PROGRESS


def test_scores_only_complete_and_detail(
    client: Client, case: Case, alice: User, kidscore: Instrument
) -> None:
    administration = actions.do_save_answers(
        start(case, alice, "kidscore", child=child_of(case)),
        entered={"emotional": "4", "conduct": "2", "warmth": "3.25"},
        expected_version=1,
        acting_user=alice,
    )
    client.force_login(alice)
    html = html_of(client.get(url("complete", administration)))
    assert "Check the scores before completing" in html
    # Impact is optional: the others are all given, so only impact is blank.
    assert "The scores left blank were not given" in html
    data = {"version": str(administration.version), **date_fields()}
    response = client.post(url("complete", administration), data, follow=True)
    html = html_of(response)
    assert fresh(administration).status == AdministrationStatus.COMPLETED
    assert "Scores entered" in html
    assert re.search(r"Emotional</th>\s*<td[^>]*>4</td>\s*<td[^>]*>High", html)
    assert re.search(r"Total</th>\s*<td[^>]*>6</td>", html)
    assert "(4-17 form)" in html
    assert "aged 72 months when completed" in html


# --- Read one ------------------------------------------------------------------------------


def test_detail_of_one_in_progress(client: Client, case: Case, alice: User) -> None:
    administration = actions.do_save_answers(
        start(case, alice), answers={1: 2, 7: 0}, expected_version=1, acting_user=alice
    )
    client.force_login(alice)
    response = client.get(url("detail", administration))
    html = html_of(response)
    assert response.status_code == 200
    assert "In progress" in html
    assert "1. Little interest or pleasure in doing things" in html
    assert "More than half the days (2)" in html
    assert "Not at all (0)" in html
    assert f'href="{url("answer", administration)}?page=1">Continue answering' in html
    assert url("complete", administration) in html
    assert "Correct these answers" not in html
    assert '<h2 class="govuk-heading-l">Scores</h2>' not in html
    event = viewed("detail")
    assert (event.actor, event.subject_public_id) == (alice, administration.public_id)
    assert event.data["instrument"] == "phq9"


def test_detail_of_a_corrected_one_shows_the_versions(
    client: Client,
    case: Case,
    alice: User,
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    old = complete(answer_all(start(case, alice), alice), alice).administration
    new = actions.do_correct_administration(
        old,
        reason="Item 3 was entered on the wrong line.",
        completed_on=TODAY,
        answers={3: 2},
        expected_version=old.version,
        acting_user=alice,
    ).administration
    client.force_login(alice)
    with django_assert_num_queries(DETAIL_QUERIES):
        html = html_of(client.get(url("detail", new)))
    assert "Versions" in html
    assert "Item 3 was entered on the wrong line." in html
    assert url("detail", old) in html
    assert url("correct", new) in html
    old_html = html_of(client.get(url("detail", old)))
    assert "This version was corrected" in old_html
    assert url("detail", new) in old_html
    assert url("correct", old) not in old_html


# --- Correct -------------------------------------------------------------------------------


def test_correct_page_is_prefilled(client: Client, case: Case, alice: User) -> None:
    done = complete(answer_all(start(case, alice), alice, {4: 3}), alice).administration
    client.force_login(alice)
    response = client.get(url("correct", done))
    html = html_of(response)
    assert response.status_code == 200
    assert "Correct PHQ-9 at baseline" in html
    assert html.count('class="govuk-radios__input"') == 9 * 4
    assert re.search(r'id="id_item_4_3" name="item_4" type="radio" value="3" checked', html)
    assert (
        f'name="completed_on_2" type="text" inputmode="numeric" autocomplete="off" value="{TODAY.year}"'
        in html
    )
    assert "Why are the answers being corrected?" in html
    assert viewed("correct").subject_public_id == done.public_id


def _correct_data(done: Administration, **changes: str) -> dict[str, str]:
    data = {f"item_{number}": str(raw) for number, raw in done.answers.items()}
    return {"version": str(done.version), **date_fields(), **data, **changes}


def test_correct_needs_a_reason(client: Client, case: Case, alice: User) -> None:
    done = complete(answer_all(start(case, alice), alice), alice).administration
    client.force_login(alice)
    response = client.post(url("correct", done), _correct_data(done, item_2="3"))
    html = html_of(response)
    assert response.status_code == 200
    assert 'href="#id_reason">Say why the answers are being corrected' in error_summary(html)
    assert re.search(r'id="id_item_2_3" name="item_2" type="radio" value="3" checked', html)
    assert Administration.objects.count() == 1


def test_correct_saves_a_new_version(client: Client, case: Case, alice: User) -> None:
    done = complete(answer_all(start(case, alice), alice), alice).administration
    client.force_login(alice)
    data = _correct_data(done, item_2="3", reason="Item 2 was entered wrongly.")
    response = client.post(url("correct", done), data)
    new = Administration.objects.get(number=2)
    assert response.status_code == 302
    assert response["Location"] == url("detail", new)
    assert messages_of(response) == ["Correction saved as version 2."]
    assert new.answers["2"] == 3
    assert new.correction_reason == "Item 2 was entered wrongly."
    assert fresh(done).status == AdministrationStatus.SUPERSEDED
    assert AuditEvent.objects.filter(action=Action.QUESTIONNAIRE_CORRECTED).count() == 1


def test_correct_clearing_an_item_asks_to_confirm_the_blank(
    client: Client, case: Case, alice: User
) -> None:
    done = complete(answer_all(start(case, alice), alice), alice).administration
    client.force_login(alice)
    data = _correct_data(done, reason="Item 5 was not answered.")
    del data["item_5"]
    html = html_of(client.post(url("correct", done), data))
    assert 'href="#id_item_5_0">Item 5 is not answered.' in error_summary(html)
    assert "The parent chose not to answer the items left blank" in html
    data["missing_confirmed"] = "on"
    response = client.post(url("correct", done), data)
    assert response.status_code == 302
    assert "5" not in Administration.objects.get(number=2).answers


def test_correct_scores_only(
    client: Client, case: Case, alice: User, kidscore: Instrument
) -> None:
    done = complete(
        start(case, alice, "kidscore", child=child_of(case)),
        alice,
        entered={"emotional": "4", "conduct": "2", "warmth": "3"},
    ).administration
    client.force_login(alice)
    assert 'value="4"' in html_of(client.get(url("correct", done)))
    data = {
        "version": str(done.version),
        **date_fields(),
        "scale_emotional": "12",
        "scale_conduct": "2",
        "scale_warmth": "3",
        "reason": "Typed wrongly.",
    }
    html = html_of(client.post(url("correct", done), data))
    assert 'href="#id_scale_emotional">Emotional must be from 0 to 10.' in error_summary(html)
    data["scale_emotional"] = "1"
    response = client.post(url("correct", done), data)
    new = Administration.objects.get(number=2)
    assert response["Location"] == url("detail", new)
    assert new.entered["emotional"] == "1"


def test_only_a_completed_current_version_can_be_corrected(
    client: Client, case: Case, alice: User
) -> None:
    administration = start(case, alice)
    client.force_login(alice)
    response = client.get(url("correct", administration))
    assert response["Location"] == url("detail", administration)
    assert "Only the current, completed version" in messages_of(response)[0]


def test_correct_from_a_stale_page_is_refused(client: Client, case: Case, alice: User) -> None:
    done = complete(answer_all(start(case, alice), alice), alice).administration
    client.force_login(alice)
    data = _correct_data(done, reason="x", version=str(done.version - 1))
    html = html_of(client.post(url("correct", done), data))
    assert "Someone else changed this questionnaire" in error_summary(html)
    assert Administration.objects.count() == 1


# --- Every instrument in the library ---------------------------------------------------


@pytest.mark.parametrize("code", sorted(REGISTRY))
def test_every_instrument_in_the_library_can_be_entered(
    client: Client, case: Case, alice: User, code: str
) -> None:
    instrument = REGISTRY[code]
    child = child_of(case) if instrument.about_child else None
    administration = start(case, alice, code, child=child)
    client.force_login(alice)
    name = "answer" if instrument.licence == LicenceMode.ITEMS else "scores"
    response = client.get(url(name, administration))
    assert response.status_code == 200
    assert escape(instrument.name) in html_of(response)
    # Every item at its first option, or every score at its lowest, then complete.
    data: dict[str, str] = {"version": "1", "then": "continue"}
    for page in range(1, len(item_pages(instrument)) + 1):
        answers = {
            f"item_{item.number}": str(instrument.options_for(item.number)[0].value)
            for item in item_pages(instrument)[page - 1]
        }
        response = client.post(f"{url('answer', administration)}?page={page}", data | answers)
        assert response.status_code == 302, html_of(response)
        data["version"] = str(int(data["version"]) + 1)
    if instrument.licence == LicenceMode.SCORES_ONLY:
        lowest = {f"scale_{s.code}": number_text(s.minimum) for s in entered_scales(instrument)}
        response = client.post(url("scores", administration), data | lowest)
        assert response["Location"] == url("complete", administration), html_of(response)
        data["version"] = "2"
    data = {"version": data["version"], **date_fields()}
    response = client.post(url("complete", administration), data)
    assert response.status_code == 302, html_of(response)
    assert fresh(administration).status == AdministrationStatus.COMPLETED
    assert ScaleScore.objects.filter(administration=administration).count() == len(
        instrument.scales
    )


@pytest.mark.skipif("dass21" not in REGISTRY, reason="DASS-21 not in the library yet")
def test_dass21_over_three_pages_with_a_depression_risk(
    client: Client, case: Case, alice: User
) -> None:
    administration = start(case, alice, "dass21")
    client.force_login(alice)
    html = html_of(client.get(url("answer", administration)))
    assert "Page 1 of 3" in html
    assert html.count('class="govuk-radios__input"') == 7 * 4
    depression = set(REGISTRY["dass21"].scale("depression").items)
    answers = {n: 3 if n in depression else 0 for n in range(1, 22)}
    saved = actions.do_save_answers(
        administration, answers=answers, expected_version=1, acting_user=alice
    )
    data = {"version": str(saved.version), **date_fields()}
    html = html_of(client.post(url("complete", saved), data, follow=True))
    assert "A risk was found in these answers" in html
    assert "Extremely severe" in html
    assert re.search(r"Depression</th>\s*<td[^>]*>42</td>", html)


@pytest.mark.skipif("sdq" not in REGISTRY, reason="SDQ not in the library yet")
def test_sdq_scores_about_a_child_use_the_bands_for_its_age(
    client: Client, case: Case, alice: User
) -> None:
    client.force_login(alice)
    child = child_of(case)
    response = client.post(
        start_url(case),
        {"instrument": "sdq", "time_point": "baseline", "child": str(child.public_id)},
    )
    administration = Administration.objects.get()
    assert response["Location"] == url("scores", administration)
    entered = {"emotional": "5", "conduct": "1", "hyperactivity": "6", "peer": "2"}
    data = {
        "version": "1",
        "then": "continue",
        "scale_prosocial": "8",
        **{f"scale_{code}": value for code, value in entered.items()},
    }
    assert client.post(url("scores", administration), data)["Location"] == url(
        "complete", administration
    )
    saved = fresh(administration)
    data = {"version": str(saved.version), "missing_confirmed": "on", **date_fields()}
    html = html_of(client.post(url("complete", saved), data, follow=True))
    assert fresh(administration).status == AdministrationStatus.COMPLETED
    # Aged 6: the 4-17 form's bands; the total is made from the four difficulties.
    assert "(4-17 form)" in html
    assert re.search(r"Total difficulties</th>\s*<td[^>]*>14</td>", html)
