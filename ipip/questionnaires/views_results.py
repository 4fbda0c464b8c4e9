"""The results page of a case: each instrument's scales across the time points, with a
chart and a table of the same numbers, and reliable change from baseline."""

from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.safestring import SafeString
from django.views.decorators.http import require_GET

from ipip.audit.events import Action
from ipip.audit.record import record
from ipip.core.http import AuthenticatedHttpRequest
from ipip.questionnaires.access import get_questionnaire_case
from ipip.questionnaires.charts import Slot, scale_chart_svg
from ipip.questionnaires.results import (
    TIME_POINTS,
    InstrumentResults,
    ScaleResults,
    family_results,
)


def scale_chart(group: InstrumentResults, scale: ScaleResults) -> SafeString:
    """The chart of one scale: a place for each time point, the bands of its age form."""
    by_time_point = {row.time_point: row for row in scale.rows}
    slots = [
        Slot(
            label=time_point.label,
            on=row.completed_on if (row := by_time_point.get(time_point)) else None,
            value=row.value if row else None,
        )
        for time_point in TIME_POINTS
    ]
    band_set = scale.chart_band_set
    return scale_chart_svg(
        slots,
        minimum=scale.scale.minimum,
        maximum=scale.scale.maximum,
        direction=scale.scale.direction,
        bands=band_set.bands if band_set else (),
        band_form=band_set.form if band_set else "",
        chart_id=f"chart-{group.anchor}-{scale.scale.code}",
        title=f"{group.heading}, {scale.scale.name.lower()}: score at each time point",
    )


@login_required
@require_GET
def questionnaire_results(request: AuthenticatedHttpRequest, case_id: UUID) -> HttpResponse:
    case = get_questionnaire_case(request.user, case_id)
    groups = family_results(case)
    record(
        Action.QUESTIONNAIRE_RESULTS_VIEWED,
        actor=request.user,
        subject=case,
        family_public_id=case.family.public_id,
        data={"instruments": sorted({group.instrument.code for group in groups})},
    )
    sections = [
        (group, [(scale, scale_chart(group, scale)) for scale in group.scales]) for group in groups
    ]
    return render(request, "questionnaires/results.html", {"case": case, "sections": sections})
