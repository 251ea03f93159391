"""On PostgreSQL the database itself refuses UPDATE and DELETE on the objection history, as it
does for the applications' history (applications 0002)."""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION greenmfg_objectionlog_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'publicity_objectionlog is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER objectionlog_append_only
    BEFORE UPDATE OR DELETE ON publicity_objectionlog
    FOR EACH ROW EXECUTE FUNCTION greenmfg_objectionlog_append_only();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS objectionlog_append_only ON publicity_objectionlog;
DROP FUNCTION IF EXISTS greenmfg_objectionlog_append_only();
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("publicity", "0001_publicity_objections_publication")]
    operations = [migrations.RunPython(forward, backward)]
