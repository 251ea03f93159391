"""On PostgreSQL, the database itself refuses UPDATE and DELETE on the batch-change history, as it
does for applications' history (applications 0002): who changed a quota or a deadline stays on
record. (TRUNCATE, used by test teardown, is not a row operation.)"""

from django.db import migrations

from core.history import append_only_trigger


class Migration(migrations.Migration):
    dependencies = [("quotas", "0002_batch_change")]
    operations = [
        append_only_trigger("quotas_batchchange", function="greenmfg_batchchange_append_only", trigger="batchchange_append_only"),
    ]
