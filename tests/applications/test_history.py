import pytest
from django.db import DatabaseError, connection, transaction

from applications.models import TransitionLog


def test_every_transition_writes_who_when_from_to_and_why(world):
    app = world.in_state("factory", "county_review")
    from applications.services import application_transition

    application_transition(
        app, name="return_for_revision", by=world.users["county"], comment="请补充能耗数据"
    )
    rows = list(app.history.values_list("transition", "source", "target", "actor", "comment"))
    assert rows == [
        ("submit", "draft", "county_review", world.users["applicant_factory"].pk, ""),
        ("return_for_revision", "county_review", "returned", world.users["county"].pk, "请补充能耗数据"),
    ]
    last = app.history.last()
    assert last.actor_organisation == "西湖区经信局"
    assert last.created_at is not None


def test_history_rows_cannot_be_changed_or_deleted_through_the_orm(world):
    app = world.in_state("factory", "county_review")
    log = app.history.get()
    log.comment = "改写"
    with pytest.raises(TypeError):
        log.save()
    with pytest.raises(TypeError):
        log.delete()
    with pytest.raises(TypeError):
        TransitionLog.objects.filter(pk=log.pk).update(comment="改写")
    with pytest.raises(TypeError):
        TransitionLog.objects.filter(pk=log.pk).delete()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL")
def test_history_rows_cannot_be_changed_even_with_raw_sql(world):
    app = world.in_state("factory", "county_review")
    log = app.history.get()
    for sql in [
        "UPDATE applications_transitionlog SET comment = 'x' WHERE id = %s",
        "DELETE FROM applications_transitionlog WHERE id = %s",
    ]:
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cur,
        ):
            cur.execute(sql, [log.pk])
    assert TransitionLog.objects.get(pk=log.pk).comment == ""


def test_a_refused_transition_writes_no_history(world):
    from applications.services import application_transition
    from core.exceptions import DomainError

    app = world.application(with_report=False)
    with pytest.raises(DomainError):
        application_transition(app, name="submit", by=world.users["applicant_factory"])
    assert not app.history.exists()
