"""On PostgreSQL, the database itself refuses UPDATE and DELETE on the history table, so not even
raw SQL or a QuerySet written in a hurry can rewrite who did what. (TRUNCATE, used by test
teardown, is not a row operation and stays possible for the database owner.)"""

from django.db import migrations

from core.history import append_only_trigger


class Migration(migrations.Migration):
    dependencies = [("applications", "0001_initial")]
    operations = [
        append_only_trigger("applications_transitionlog", function="greenmfg_history_append_only", trigger="transitionlog_append_only"),
    ]
