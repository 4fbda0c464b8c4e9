"""Make the audit table append-only in the database itself.

The model already refuses updates and deletes; these triggers also refuse them from
raw SQL or any other client of the database. On PostgreSQL, UPDATE and DELETE are
refused row by row. TRUNCATE is left to the database owner (the test runner resets
tables with it, and the retention command of a later issue will be the one audited
path that removes rows). SQLite, the single-machine default, refuses UPDATE; its
DELETE stays open because Django's test flush deletes rows, and the model refuses it.
"""

from django.apps.registry import Apps
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

SQLITE = [
    """CREATE TRIGGER audit_auditevent_no_update BEFORE UPDATE ON audit_auditevent
       BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;""",
]
POSTGRES = [
    """CREATE OR REPLACE FUNCTION audit_auditevent_refuse() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION 'audit events are append-only'; END; $$ LANGUAGE plpgsql;""",
    """CREATE TRIGGER audit_auditevent_no_change BEFORE UPDATE OR DELETE ON audit_auditevent
       FOR EACH ROW EXECUTE FUNCTION audit_auditevent_refuse();""",
]


def create(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    vendor = schema_editor.connection.vendor
    statements = SQLITE if vendor == "sqlite" else POSTGRES if vendor == "postgresql" else []
    for sql in statements:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
