"""The default time points: SDQ, Parenting Scale, PCRI and DASS-21 at baseline and end;
SDQ and Parenting Scale at follow-up (6 months after closure)."""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

DEFAULTS = {
    "baseline": ["sdq", "parenting_scale", "pcri", "dass21"],
    "end": ["sdq", "parenting_scale", "pcri", "dass21"],
    "follow_up": ["sdq", "parenting_scale"],
}


def add_defaults(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    settings_model = apps.get_model("questionnaires", "ScheduleSettings")
    scheduled = apps.get_model("questionnaires", "ScheduledInstrument")
    if not settings_model.objects.exists():
        settings_model.objects.create()
    for time_point, codes in DEFAULTS.items():
        for code in codes:
            scheduled.objects.get_or_create(time_point=time_point, instrument_code=code)


class Migration(migrations.Migration):
    dependencies = [("questionnaires", "0001_initial")]
    operations = [migrations.RunPython(add_defaults, migrations.RunPython.noop)]
