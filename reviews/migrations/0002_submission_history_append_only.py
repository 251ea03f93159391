"""On PostgreSQL the database refuses UPDATE and DELETE on the submission history, as it does for
the applications' history (applications 0002)."""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION greenmfg_submission_log_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'reviews_submissionlog is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER submissionlog_append_only
    BEFORE UPDATE OR DELETE ON reviews_submissionlog
    FOR EACH ROW EXECUTE FUNCTION greenmfg_submission_log_append_only();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS submissionlog_append_only ON reviews_submissionlog;
DROP FUNCTION IF EXISTS greenmfg_submission_log_append_only();
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("reviews", "0001_city_submission")]
    operations = [migrations.RunPython(forward, backward)]
