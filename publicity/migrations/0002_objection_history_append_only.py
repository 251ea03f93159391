"""On PostgreSQL the database itself refuses UPDATE and DELETE on the objection history, as it
does for the applications' history (applications 0002)."""

from django.db import migrations

from core.history import append_only_trigger


class Migration(migrations.Migration):
    dependencies = [("publicity", "0001_publicity_objections_publication")]
    operations = [
        append_only_trigger("publicity_objectionlog", function="greenmfg_objectionlog_append_only", trigger="objectionlog_append_only"),
    ]
