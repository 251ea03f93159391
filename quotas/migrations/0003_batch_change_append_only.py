"""On PostgreSQL, the database itself refuses UPDATE and DELETE on the batch-change history, as it
does for applications' history (applications 0002): who changed a quota or a deadline stays on
record. (TRUNCATE, used by test teardown, is not a row operation.)"""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION greenmfg_batchchange_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'quotas_batchchange is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER batchchange_append_only
    BEFORE UPDATE OR DELETE ON quotas_batchchange
    FOR EACH ROW EXECUTE FUNCTION greenmfg_batchchange_append_only();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS batchchange_append_only ON quotas_batchchange;
DROP FUNCTION IF EXISTS greenmfg_batchchange_append_only();
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("quotas", "0002_batch_change")]
    operations = [migrations.RunPython(forward, backward)]
