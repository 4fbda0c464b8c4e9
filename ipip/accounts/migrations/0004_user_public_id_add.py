"""User.public_id, step 1 of 3: a nullable column, so existing rows need no value yet.

A unique column with a default cannot be added in one step: the default is worked out once
and every existing row would get the same value. Step 2 fills each row; step 3 makes the
column unique and required.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_role_label")]

    operations = [
        migrations.AddField(
            model_name="user",
            name="public_id",
            field=models.UUIDField(null=True, editable=False),
        ),
    ]
