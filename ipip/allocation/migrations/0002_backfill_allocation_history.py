"""Start the allocation history of cases allocated before it existed: one current record per
allocated case, from the case's own practitioner, approach and date."""

from django.apps.registry import Apps
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor


def backfill(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    Case = apps.get_model("cases", "Case")
    AllocationRecord = apps.get_model("allocation", "AllocationRecord")
    have = set(AllocationRecord.objects.values_list("case_id", flat=True))
    rows = [
        AllocationRecord(
            case_id=case.pk,
            practitioner_id=case.allocated_to_id,
            approach=case.approach,
            allocated_at=case.allocated_at or case.accepted_at,
        )
        for case in Case.objects.filter(allocated_to__isnull=False).exclude(approach="").iterator()
        if case.pk not in have
    ]
    AllocationRecord.objects.bulk_create(rows, batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("allocation", "0001_initial")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
