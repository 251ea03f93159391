from django.db import migrations, models


class Migration(migrations.Migration):
    """The objection log records the acting organisation like the other histories (core.history
    HistoryEntry). Rows written before carry an empty name; adding a column fires no row trigger,
    so the append-only guard stays as it is."""

    dependencies = [
        ("publicity", "0002_objection_history_append_only"),
    ]

    operations = [
        migrations.AddField(
            model_name="objectionlog",
            name="actor_organisation",
            field=models.CharField(default="", max_length=100, verbose_name="操作单位"),
            preserve_default=False,
        ),
    ]
