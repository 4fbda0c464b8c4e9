from ipip.referrals.forms import OtherChildForm


def test_untouched_other_child_row_is_blank() -> None:
    form = OtherChildForm(data={"plan_category": ""})
    assert form.is_valid()
    assert form.is_blank()


def test_plan_category_is_kept() -> None:
    form = OtherChildForm(
        data={
            "first_name": "Sam",
            "last_name": "Example",
            "ever_on_plan": "yes",
            "care_proceedings": "none",
            "plan_started_on_0": "3",
            "plan_started_on_1": "4",
            "plan_started_on_2": "2020",
            "plan_is_ongoing": "on",
            "plan_category": "neglect",
        }
    )
    assert form.is_valid(), form.errors
    (plan,) = form.plans()
    assert plan.category == "neglect"
    assert plan.is_ongoing
