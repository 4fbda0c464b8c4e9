"""User.public_id, step 2 of 3: a random UUID for every row that has none (data only)."""

import uuid

from django.apps.registry import Apps
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

BATCH = 1000


def fill(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    User = apps.get_model("accounts", "User")
    pending = User.objects.filter(public_id__isnull=True).only("pk")
    batch = []
    for user in pending.iterator(chunk_size=BATCH):
        user.public_id = uuid.uuid4()
        batch.append(user)
        if len(batch) >= BATCH:
            User.objects.bulk_update(batch, ["public_id"])
            batch = []
    if batch:
        User.objects.bulk_update(batch, ["public_id"])


class Migration(migrations.Migration):
    dependencies = [("accounts", "0004_user_public_id_add")]

    # Reversing leaves the values in place: step 1's reversal drops the column anyway.
    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
