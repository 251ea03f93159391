"""Append-only history tables: who did what, when, from and to which state, and why.

Every history model of the portal (applications' TransitionLog, the city submissions'
SubmissionLog, the objections' ObjectionLog, the batch's BatchChange) derives from
AppendOnlyModel, so a row once written can be neither changed nor deleted through the ORM; each
has a migration built with `append_only_trigger`, so on PostgreSQL not even raw SQL can. (TRUNCATE,
used by test teardown, is not a row operation and stays possible for the database owner.)
"""

from django.conf import settings
from django.db import migrations, models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError("History is append-only.")

    def delete(self):
        raise TypeError("History is append-only.")


class AppendOnlyModel(models.Model):
    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise TypeError("History is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("History is append-only.")


class HistoryEntry(AppendOnlyModel):
    """One row of an append-only log: who acted (the user, and their organisation's name as it
    was then) and when. Each log adds what changed: its subject, from and to, and why."""

    actor = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, verbose_name=_("操作人"))
    actor_organisation = models.CharField(_("操作单位"), max_length=100)
    created_at = models.DateTimeField(_("时间"), default=timezone.now)

    class Meta:
        abstract = True

    @staticmethod
    def acting(by) -> dict:
        """The actor's fields for a new entry: `Log.objects.create(**Log.acting(by), …)`."""
        return {
            "actor": by,
            "actor_organisation": by.organisation.name if by.organisation_id else by.get_username(),
        }


def append_only_trigger(table: str, *, function: str, trigger: str) -> migrations.RunPython:
    """A migration operation: on PostgreSQL, a trigger on `table` that refuses UPDATE and DELETE."""
    forward_sql = f"""
CREATE OR REPLACE FUNCTION {function}() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '{table} is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER {trigger}
    BEFORE UPDATE OR DELETE ON {table}
    FOR EACH ROW EXECUTE FUNCTION {function}();
"""
    backward_sql = f"""
DROP TRIGGER IF EXISTS {trigger} ON {table};
DROP FUNCTION IF EXISTS {function}();
"""

    def forward(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(forward_sql)

    def backward(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(backward_sql)

    return migrations.RunPython(forward, backward)
