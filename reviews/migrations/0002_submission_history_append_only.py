"""On PostgreSQL the database refuses UPDATE and DELETE on the submission history, as it does for
the applications' history (applications 0002)."""

from django.db import migrations

from core.history import append_only_trigger


class Migration(migrations.Migration):
    dependencies = [("reviews", "0001_city_submission")]
    operations = [
        append_only_trigger("reviews_submissionlog", function="greenmfg_submission_log_append_only", trigger="submissionlog_append_only"),
    ]
