"""History that proves itself: each append-only row carries prev_hash and its own SHA-256 over
prev_hash and its content; `manage.py verify_history` walks every chain and names the first
broken row — after a row is changed or removed behind the ORM's back (SQL with the append-only
trigger disabled). Concurrent writers of one chain never fork it."""

import io
import time

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction

from applications.models import TransitionLog
from core.history import row_hash
from tests.applications.conftest import World
from tests.helpers import race


@pytest.fixture
def world(db, time_machine):
    return World(clock=time_machine)


def verify() -> tuple[bool, str]:
    out = io.StringIO()
    try:
        call_command("verify_history", stdout=out)
    except CommandError:
        return False, out.getvalue()
    return True, out.getvalue()


def tamper(sql: str, params=()):
    """Change history the way an intruder with database access would: trigger off, SQL, trigger on."""
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending deferred checks before ALTER TABLE
        cursor.execute("ALTER TABLE applications_transitionlog DISABLE TRIGGER transitionlog_append_only")
        cursor.execute(sql, params)
        cursor.execute("ALTER TABLE applications_transitionlog ENABLE TRIGGER transitionlog_append_only")


def test_each_row_chains_to_the_one_before_it(world):
    app = world.in_state("factory", "city_review")
    first, second = app.history.order_by("pk")
    assert first.prev_hash == "" and second.prev_hash == first.row_hash
    for row in (first, second):
        assert row.row_hash == row_hash(row.prev_hash, row) and len(row.row_hash) == 64
    ok, out = verify()
    assert ok, out
    assert "Every history chain holds." in out


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL")
def test_a_row_changed_through_sql_is_named(world):
    app = world.in_state("factory", "recommended")
    rows = list(app.history.order_by("pk"))
    tamper("UPDATE applications_transitionlog SET comment = %s WHERE id = %s", ["改过的意见", rows[1].pk])
    ok, out = verify()
    assert not ok
    assert f"applications.TransitionLog id={rows[1].pk} (application {app.pk}): row_hash" in out
    assert f"id={rows[2].pk}" not in out  # the first broken row of the chain is named


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL")
def test_a_row_removed_through_sql_is_found_at_the_next_row(world):
    app = world.in_state("factory", "recommended")
    rows = list(app.history.order_by("pk"))
    tamper("DELETE FROM applications_transitionlog WHERE id = %s", [rows[1].pk])
    ok, out = verify()
    assert not ok
    assert f"applications.TransitionLog id={rows[2].pk} (application {app.pk}): prev_hash" in out


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("bulk", [False, True], ids=["save", "bulk_append"])
def test_concurrent_writers_of_one_chain_never_fork_it(bulk):
    world = World()
    app = world.in_state("factory", "county_review")
    actor = world.users["county"]

    def append(i):
        def row(j):
            return TransitionLog(
                application_id=app.pk,
                transition="note",
                source="county_review",
                target="county_review",
                actor=actor,
                actor_organisation="县经信局",
                comment=f"并发记录{i}-{j}",
            )

        def call():
            with transaction.atomic():
                if bulk:
                    TransitionLog.objects.bulk_append([row(1), row(2)])
                else:
                    row(1).save()
                time.sleep(0.05)  # hold the transaction open: the next writer must wait

        return call

    ok, failed = race([append(i) for i in range(6)])
    assert len(ok) == 6 and not failed
    rows = list(TransitionLog.objects.filter(application=app).order_by("pk"))
    assert len({r.prev_hash for r in rows}) == len(rows)  # no two rows on the same predecessor
    ok, out = verify()
    assert ok, out


def test_bulk_append_continues_each_chain_in_list_order(world):
    """Rows of several chains, some with rows already, appended at once: each row links to the
    last row of its own chain, and two rows of one chain link to each other in list order."""
    a = world.in_state("factory", "city_review")
    b = world.in_state("park", "recommended")
    before = {app.pk: app.history.order_by("pk").last().row_hash for app in (a, b)}
    actor = world.users["province"]

    def note(app, i):
        return TransitionLog(
            application=app,
            transition="note",
            source=app.state,
            target=app.state,
            actor=actor,
            actor_organisation="省经信厅",
            comment=f"批量记录{i}",
        )

    rows = TransitionLog.objects.bulk_append([note(a, 1), note(b, 2), note(a, 3)])
    assert rows[0].prev_hash == before[a.pk] and rows[1].prev_hash == before[b.pk]
    assert rows[2].prev_hash == rows[0].row_hash
    for row in TransitionLog.objects.filter(pk__in=[r.pk for r in rows]):
        assert row.row_hash == row_hash(row.prev_hash, row)
    ok, out = verify()
    assert ok, out


def test_plain_bulk_create_of_history_is_refused(world):
    """bulk_create would skip the chain (empty hashes that verify_history reports as broken)."""
    app = world.in_state("factory", "city_review")
    row = TransitionLog(
        application=app,
        transition="note",
        source="city_review",
        target="city_review",
        actor=world.users["province"],
        actor_organisation="省经信厅",
    )
    with pytest.raises(TypeError, match="bulk_append"):
        TransitionLog.objects.bulk_create([row])
    assert TransitionLog.objects.filter(transition="note").count() == 0
