"""On PostgreSQL, the database itself refuses UPDATE and DELETE on the forms' history."""

from django.db import migrations

from core.history import append_only_trigger


class Migration(migrations.Migration):
    dependencies = [("dynamic", "0001_dynamic_forms")]
    operations = [
        append_only_trigger(
            "dynamic_formlog", function="greenmfg_history_append_only", trigger="formlog_append_only"
        ),
    ]
