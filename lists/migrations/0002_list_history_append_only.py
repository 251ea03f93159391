"""On PostgreSQL, the database itself refuses UPDATE and DELETE on the lists' upload records and
entry history."""

from django.db import migrations

from core.history import append_only_trigger


class Migration(migrations.Migration):
    dependencies = [("lists", "0001_lists_entries_imports_history")]
    operations = [
        append_only_trigger("lists_listimport", function="greenmfg_history_append_only", trigger="listimport_append_only"),
        append_only_trigger("lists_entrychange", function="greenmfg_history_append_only", trigger="entrychange_append_only"),
    ]
