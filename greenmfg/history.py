"""Append-only history tables: who did what, when, from and to which state, and why.

Every history model of the portal (applications' TransitionLog, the city submissions'
SubmissionLog, the objections' ObjectionLog, the batch's BatchChange) derives from
AppendOnlyModel, so a row once written can be neither changed nor deleted through the ORM; each
has a migration built with `append_only_trigger`, so on PostgreSQL not even raw SQL can. (TRUNCATE,
used by test teardown, is not a row operation and stays possible for the database owner.)
"""

from django.db import migrations, models


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
