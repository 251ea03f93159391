"""On PostgreSQL, the database itself refuses UPDATE and DELETE on the history table, so not even
raw SQL or a QuerySet written in a hurry can rewrite who did what. (TRUNCATE, used by test
teardown, is not a row operation and stays possible for the database owner.)"""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION greenmfg_history_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'applications_transitionlog is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER transitionlog_append_only
    BEFORE UPDATE OR DELETE ON applications_transitionlog
    FOR EACH ROW EXECUTE FUNCTION greenmfg_history_append_only();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS transitionlog_append_only ON applications_transitionlog;
DROP FUNCTION IF EXISTS greenmfg_history_append_only();
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("applications", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]
