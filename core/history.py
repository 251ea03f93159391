"""Append-only history tables: who did what, when, from and to which state, and why.

Every history model of the portal (applications' TransitionLog, the city submissions'
SubmissionLog, the objections' ObjectionLog, the batch's BatchChange) derives from
AppendOnlyModel, so a row once written can be neither changed nor deleted through the ORM; each
has a migration built with `append_only_trigger`, so on PostgreSQL not even raw SQL can. (TRUNCATE,
used by test teardown, is not a row operation and stays possible for the database owner.)

And the history proves itself: the rows of one object (one application, one submission, …) form
a hash chain. Each row stores `prev_hash`, the hash of the row before it in its chain ("" for the
first), and `row_hash`, SHA-256 over prev_hash and the row's canonical content. Changing a row,
deleting one from the middle or reordering them breaks the chain; `manage.py verify_history`
walks every chain and names the first broken row. Writers of one chain take a transaction-scoped
lock on it (PostgreSQL advisory lock), so two concurrent writers cannot both append to the same
last row.
"""

import datetime
import decimal
import hashlib
import json
import zlib

from django.apps import apps
from django.conf import settings
from django.db import connections, migrations, models, router, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

HASHED_EXCLUDE = {"id", "prev_hash", "row_hash"}


def canonical_content(instance) -> str:
    """The row's content as canonical JSON: every concrete field but the id and the hashes, keys
    sorted, foreign keys as ids, datetimes in UTC."""
    values = {}
    for field in instance._meta.concrete_fields:
        if field.name in HASHED_EXCLUDE:
            continue
        value = getattr(instance, field.attname)
        if isinstance(value, datetime.datetime):
            value = value.astimezone(datetime.UTC).isoformat()
        elif isinstance(value, datetime.date):
            value = value.isoformat()
        elif isinstance(value, decimal.Decimal):
            value = str(value)
        values[field.attname] = value
    return json.dumps(values, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)


def row_hash(prev_hash: str, instance) -> str:
    return hashlib.sha256((prev_hash + canonical_content(instance)).encode()).hexdigest()


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError("History is append-only.")

    def bulk_create(self, objs, *args, **kwargs):
        # A plain bulk_create skips save() and so the hash chain: rows with empty hashes, which
        # verify_history reports as broken.
        raise TypeError("History rows are appended with bulk_append(), which fills the hash chain.")

    def bulk_append(self, objs, *, batch_size: int = 1000) -> list:
        """Append many history rows at once, the chain filled as save() fills it: every chain the
        rows belong to is locked once (in a fixed order, so two bulk writers cannot deadlock), the
        last hash of each is read in one query, each row's prev_hash and row_hash are set in list
        order, and the rows go in with one bulk_create. Within a chain the list order is the
        chain's order (ids are assigned in insertion order)."""
        objs = list(objs)
        if not objs:
            return objs
        model = self.model
        using = self.db
        attname = model.chain_attname()
        with transaction.atomic(using=using):
            chains = {getattr(obj, attname) for obj in objs}
            lock_chains(model, chains, using=using)
            tails = chain_tails(model, chains, using=using)
            for obj in objs:
                if obj.pk is not None:
                    raise TypeError("History is append-only.")
                chain = getattr(obj, attname)
                obj.prev_hash = tails.get(chain, "")
                obj.row_hash = row_hash(obj.prev_hash, obj)
                tails[chain] = obj.row_hash
            return super().bulk_create(objs, batch_size=batch_size)

    def delete(self):
        raise TypeError("History is append-only.")


class AppendOnlyModel(models.Model):
    # The field whose value names the row's chain (the object whose history it is).
    chain_field: str = ""

    prev_hash = models.CharField(max_length=64, blank=True, editable=False)
    row_hash = models.CharField(max_length=64, blank=True, editable=False)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise TypeError("History is append-only.")
        using = kwargs.get("using") or router.db_for_write(type(self), instance=self)
        chain = getattr(self, self.chain_attname())
        with transaction.atomic(using=using):
            lock_chains(type(self), [chain], using=using)
            self.prev_hash = chain_tails(type(self), [chain], using=using).get(chain, "")
            self.row_hash = row_hash(self.prev_hash, self)
            super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("History is append-only.")

    @classmethod
    def chain_attname(cls) -> str:
        return cls._meta.get_field(cls.chain_field).attname


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


class TransitionEntry(HistoryEntry):
    """A state change of a django-fsm-2 model: `transition` names the method that made it;
    `transition_model` is the model whose transitions the log records."""

    transition_model: type[models.Model]

    class Meta:
        abstract = True

    @property
    def transition_label(self) -> str:
        """The transition's label as its buttons show it (its `custom["label"]`), or its name."""
        meta = getattr(getattr(self.transition_model, self.transition, None), "_django_fsm", None)
        if meta is None:
            return self.transition
        return str(next(iter(meta.transitions.values())).custom.get("label", self.transition))


def append_only_trigger(table: str, *, function: str, trigger: str) -> migrations.RunPython:
    """A migration operation: on PostgreSQL, a trigger on `table` that refuses UPDATE and DELETE."""
    forward_sql = f"""
CREATE OR REPLACE FUNCTION {function}() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER {trigger}
    BEFORE UPDATE OR DELETE ON {table}
    FOR EACH ROW EXECUTE FUNCTION {function}();
"""
    backward_sql = f"""
DROP TRIGGER IF EXISTS {trigger} ON {table};
DO $$ BEGIN
    -- Several apps' logs share the function: it goes with the last trigger that uses it.
    IF NOT EXISTS (
        SELECT 1 FROM pg_trigger t JOIN pg_proc p ON t.tgfoid = p.oid WHERE p.proname = '{function}'
    ) THEN
        DROP FUNCTION IF EXISTS {function}();
    END IF;
END $$;
"""

    def forward(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(forward_sql, params=None)

    def backward(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(backward_sql, params=None)

    return migrations.RunPython(forward, backward)


def lock_chains(model, chains, *, using: str) -> None:
    """Serialise writers of the same chains until their transaction ends: one PostgreSQL advisory
    lock per (table, chain id), taken in ascending order in one query (elsewhere the database
    serialises writes anyway)."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return
    table = zlib.crc32(model._meta.db_table.encode()) - 2**31
    keys = sorted({int(chain) % 2**31 for chain in chains})
    with connection.cursor() as cursor:
        # unnest yields the array in order, and the aggregate takes each lock as it reads a row.
        cursor.execute(
            "SELECT count(pg_advisory_xact_lock(%s, k)) FROM unnest(%s::integer[]) AS k", [table, keys]
        )


def chain_tails(model, chains, *, using: str) -> dict:
    """The row_hash of the last row of each of `chains` that has rows (a query per 10,000 chains)."""
    attname = model.chain_attname()
    chains = list(chains)
    tails = {}
    for start in range(0, len(chains), 10_000):
        last_ids = (
            model.objects.using(using)
            .filter(**{f"{attname}__in": chains[start : start + 10_000]})
            .values(attname)
            .annotate(last=models.Max("pk"))
            .values("last")
        )
        tails.update(model.objects.using(using).filter(pk__in=last_ids).values_list(attname, "row_hash"))
    return tails


def broken_rows(model):
    """Yield (row, reason) for the first broken row of each chain of `model` (ordered by pk)."""
    attname = model.chain_attname()
    previous: dict = {}
    reported = set()
    for row in model.objects.order_by(attname, "pk").iterator(chunk_size=2000):
        chain = getattr(row, attname)
        if chain in reported:
            continue
        expected_prev = previous.get(chain, "")
        if row.prev_hash != expected_prev:
            reported.add(chain)
            yield row, "prev_hash does not match the row before it (a row was removed or reordered)"
            continue
        if row.row_hash != row_hash(row.prev_hash, row):
            reported.add(chain)
            yield row, "row_hash does not match the row's content (the row was changed)"
            continue
        previous[chain] = row.row_hash


def history_models():

    return [m for m in apps.get_models() if issubclass(m, AppendOnlyModel)]


def hash_chain_backfill(
    app_label: str, model_name: str, *, chain_field: str, trigger: str
) -> migrations.RunPython:
    """A migration operation: give rows written before the hash chain their prev_hash and
    row_hash, chain by chain in id order (on PostgreSQL with the append-only trigger paused for
    the length of the migration's transaction)."""

    def forward(apps, schema_editor):
        model = apps.get_model(app_label, model_name)
        table = model._meta.db_table
        postgres = schema_editor.connection.vendor == "postgresql"
        if not model.objects.exists():
            return
        if postgres:
            schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            schema_editor.execute(f"ALTER TABLE {table} DISABLE TRIGGER {trigger}")
        attname = model._meta.get_field(chain_field).attname
        previous: dict = {}
        for row in model.objects.order_by(attname, "pk"):
            chain = getattr(row, attname)
            prev = previous.get(chain, "")
            digest = row_hash(prev, row)
            model.objects.filter(pk=row.pk).update(prev_hash=prev, row_hash=digest)
            previous[chain] = digest
        if postgres:
            schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            schema_editor.execute(f"ALTER TABLE {table} ENABLE TRIGGER {trigger}")

    return migrations.RunPython(forward, migrations.RunPython.noop)
