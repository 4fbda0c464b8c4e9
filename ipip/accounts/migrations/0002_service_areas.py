"""Load the eight areas the service runs in (reference data, not personal data)."""

import uuid

from django.apps.registry import Apps
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

AREAS = (
    ("Belfast", "northern_ireland"),
    ("Cardiff", "wales"),
    ("Glasgow", "scotland"),
    ("Grimsby", "england"),
    ("Hull", "england"),
    ("Peterborough", "england"),
    ("Sheffield", "england"),
    ("Southampton", "england"),
)


def load(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    Area = apps.get_model("accounts", "Area")
    for name, nation in AREAS:
        Area.objects.get_or_create(
            name=name, defaults={"nation": nation, "is_served": True, "public_id": uuid.uuid4()}
        )


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
