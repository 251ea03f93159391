"""The province edits the batch through services: quotas (Annex 1), park quota, assessor cap,
deadlines, extensions, publicity and joint departments; every change recorded, bad values
refused with nothing saved."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction

from quotas.models import Batch, BatchChange, CityQuota, DeadlineExtension
from quotas.services import (
    batch_update,
    city_quota_set,
    city_quotas_set,
    deadline_extend,
    deadline_extension_remove,
)
from tests import factories as f
from tests.quotas.conftest import recommend_factories


def quota(batch, code):
    return CityQuota.objects.get(batch=batch, city_id=code).factory_quota


def test_city_quota_set_changes_the_quota_and_records_who_what_and_why(world, officer):
    city_quota_set(world.batch, city="330100", quota=25, by=officer, reason="增补名额")
    assert quota(world.batch, "330100") == 25
    change = BatchChange.objects.get()
    assert (change.field, change.city_id, change.old_value, change.new_value, change.reason) == (
        "factory_quota",
        "330100",
        "2",
        "25",
        "增补名额",
    )
    assert change.actor == officer
    assert change.actor_organisation == "浙江省经济和信息化厅"
    assert change.created_at is not None


def test_quota_cannot_go_below_what_the_city_has_recommended(world, officer):
    recommend_factories(world.batch, 2)
    with pytest.raises(ValidationError) as exc:
        city_quota_set(world.batch, city="330100", quota=1, by=officer)
    assert exc.value.message_dict == {"330100": ["杭州市已推荐2个，名额不能少于2个。"]}
    assert quota(world.batch, "330100") == 2
    assert not BatchChange.objects.exists()
    city_quota_set(world.batch, city="330100", quota=2, by=officer)  # equal to used: fine


def test_a_returned_recommendation_gives_its_slot_back_so_the_quota_may_drop(world, officer):
    _first, second = recommend_factories(world.batch, 2)
    from applications.services import application_transition

    application_transition(second, name="return_for_revision", by=world.users["city"], comment="补充材料")
    city_quota_set(world.batch, city="330100", quota=1, by=officer)
    assert quota(world.batch, "330100") == 1


def test_quotas_of_several_cities_are_all_or_nothing(world, officer):
    recommend_factories(world.batch, 2)
    with pytest.raises(ValidationError) as exc:
        city_quotas_set(world.batch, quotas={"330200": 9, "330100": 0}, by=officer)
    assert set(exc.value.message_dict) == {"330100"}
    assert quota(world.batch, "330200") == 2
    assert not BatchChange.objects.exists()


def test_negative_quota_is_refused(world, officer):
    with pytest.raises(ValidationError):
        city_quota_set(world.batch, city="330200", quota=-1, by=officer)
    assert quota(world.batch, "330200") == 2


def test_a_city_without_a_quota_row_gets_one(officer, db):
    batch = f.batch(2031, quotas={})
    city_quota_set(batch, city="330900", quota=1, by=officer)
    assert quota(batch, "330900") == 1
    assert BatchChange.objects.get().old_value == ""


def test_unchanged_quotas_write_no_history(world, officer):
    assert city_quotas_set(world.batch, quotas={"330100": 2, "330200": 2}, by=officer) == []
    assert not BatchChange.objects.exists()


def test_batch_update_records_one_row_per_changed_setting(world, officer):
    new_deadline = world.batch.city_submission_deadline + datetime.timedelta(days=5)
    rows = batch_update(
        world.batch,
        by=officer,
        reason="厅务会决定",
        assessor_cap=15,
        city_submission_deadline=new_deadline,
        publicity_days=7,
        objection_contact="绿色制造处 0571-87058126",
        joint_departments=["浙江省经济和信息化厅", "浙江省生态环境厅"],
        park_quota=3,
        assessor_required=True,
        city_list_deadline=world.batch.city_list_deadline,  # unchanged: no row
    )
    batch = Batch.objects.get(pk=world.batch.pk)
    assert batch.assessor_cap == 15
    assert batch.city_submission_deadline == new_deadline
    assert batch.publicity_days == 7
    assert batch.park_quota == 3
    assert batch.assessor_required is True
    assert batch.joint_departments == ["浙江省经济和信息化厅", "浙江省生态环境厅"]
    changes = {c.field: c for c in BatchChange.objects.all()}
    assert set(changes) == {
        "assessor_cap",
        "city_submission_deadline",
        "publicity_days",
        "objection_contact",
        "joint_departments",
        "park_quota",
        "assessor_required",
    }
    assert len(rows) == 7
    assert changes["assessor_cap"].old_value == "10" and changes["assessor_cap"].new_value == "15"
    assert changes["city_submission_deadline"].new_value == new_deadline.isoformat()
    assert changes["park_quota"].old_value == "" and changes["park_quota"].new_value == "3"
    assert changes["joint_departments"].new_value == "浙江省经济和信息化厅、浙江省生态环境厅"
    assert all(c.reason == "厅务会决定" and c.actor == officer for c in changes.values())


def test_park_quota_cannot_go_below_the_most_parks_a_city_has_recommended(world, officer):
    batch_update(world.batch, by=officer, park_quota=5)
    for _ in range(2):
        f.advance(f.application(f.park("330100"), world.batch), "recommended")
    f.advance(f.application(f.park("330200"), world.batch), "recommended")
    with pytest.raises(ValidationError) as exc:
        batch_update(world.batch, by=officer, park_quota=1, publicity_days=9)
    assert exc.value.message_dict == {"park_quota": ["杭州市已推荐园区2个，园区推荐名额不能少于2个。"]}
    batch = Batch.objects.get(pk=world.batch.pk)
    assert (batch.park_quota, batch.publicity_days) == (5, 5)  # nothing saved, not even the valid part
    batch_update(world.batch, by=officer, park_quota=2)
    batch_update(world.batch, by=officer, park_quota=None)  # no park quota at all: always allowed
    assert Batch.objects.get(pk=world.batch.pk).park_quota is None


def test_assessor_cap_cannot_go_below_what_a_legal_entity_already_carries(world, officer):
    group_assessor = f.assessor()
    for county in ("330106", "330108"):
        f.advance(
            f.application(f.enterprise(county), world.batch, assessor_org=group_assessor), "county_review"
        )
    with pytest.raises(ValidationError) as exc:
        batch_update(world.batch, by=officer, assessor_cap=1)
    assert "上限不能少于2项" in exc.value.message_dict["assessor_cap"][0]
    assert Batch.objects.get(pk=world.batch.pk).assessor_cap == 10


@pytest.mark.parametrize(
    ("changes", "field"),
    [({"publicity_days": 0}, "publicity_days"), ({"joint_departments": ["  "]}, "joint_departments")],
)
def test_bad_settings_are_refused_with_a_message_for_the_field(world, officer, changes, field):
    with pytest.raises(ValidationError) as exc:
        batch_update(world.batch, by=officer, **changes)
    assert list(exc.value.message_dict) == [field]
    assert not BatchChange.objects.exists()


def test_batch_update_refuses_fields_that_are_not_settings(world, officer):
    with pytest.raises(TypeError):
        batch_update(world.batch, by=officer, year=1999)


def test_deadline_extension_add_change_remove_each_recorded(world, officer):
    batch = world.batch
    first = batch.city_submission_deadline + datetime.timedelta(days=10)
    later = first + datetime.timedelta(days=5)
    ext = deadline_extend(batch, city="330900", deadline=first, reason="台风影响", by=officer)
    assert (ext.deadline, ext.granted_by, ext.reason) == (first, officer, "台风影响")
    ext = deadline_extend(batch, city="330900", deadline=later, reason="再延五天", by=officer)
    assert DeadlineExtension.objects.get(batch=batch, city_id="330900").deadline == later
    assert Batch.objects.get(pk=batch.pk).submission_deadline_for("330900") == later
    deadline_extension_remove(batch, city="330900", reason="已按期报送", by=officer)
    assert not DeadlineExtension.objects.exists()
    rows = list(
        BatchChange.objects.order_by("pk").values_list("field", "city", "old_value", "new_value", "reason")
    )
    assert rows == [
        ("extension", "330900", "", first.isoformat(), "台风影响"),
        ("extension", "330900", first.isoformat(), later.isoformat(), "再延五天"),
        ("extension", "330900", later.isoformat(), "", "已按期报送"),
    ]


def test_extension_needs_a_reason_and_a_date_after_the_batch_deadline(world, officer):
    with pytest.raises(ValidationError) as exc:
        deadline_extend(
            world.batch, city="330900", deadline=world.batch.city_submission_deadline, reason=" ", by=officer
        )
    assert set(exc.value.message_dict) == {"deadline", "reason"}
    with pytest.raises(ValidationError):
        deadline_extension_remove(world.batch, city="330900", reason="", by=officer)
    assert not DeadlineExtension.objects.exists()
    assert not BatchChange.objects.exists()


def test_batch_changes_cannot_be_changed_or_deleted_through_the_orm(world, officer):
    city_quota_set(world.batch, city="330100", quota=3, by=officer)
    change = BatchChange.objects.get()
    change.new_value = "300"
    with pytest.raises(TypeError):
        change.save()
    with pytest.raises(TypeError):
        change.delete()
    with pytest.raises(TypeError):
        BatchChange.objects.filter(pk=change.pk).update(new_value="300")
    with pytest.raises(TypeError):
        BatchChange.objects.all().delete()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL")
def test_batch_changes_cannot_be_changed_even_with_raw_sql(world, officer):
    city_quota_set(world.batch, city="330100", quota=3, by=officer)
    change = BatchChange.objects.get()
    for sql in [
        "UPDATE quotas_batchchange SET new_value = '300' WHERE id = %s",
        "DELETE FROM quotas_batchchange WHERE id = %s",
    ]:
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cur,
        ):
            cur.execute(sql, [change.pk])
    assert BatchChange.objects.get(pk=change.pk).new_value == "3"


def test_an_extension_never_shortens_a_deadline_moved_later_by_the_batch(world, officer):
    batch = world.batch
    extended = batch.city_submission_deadline + datetime.timedelta(days=3)
    deadline_extend(batch, city="330900", deadline=extended, reason="台风", by=officer)
    later = batch.city_submission_deadline + datetime.timedelta(days=10)
    batch_update(batch, by=officer, city_submission_deadline=later)
    batch = Batch.objects.prefetch_related("extensions").get(pk=batch.pk)
    assert batch.submission_deadline_for("330900") == later
    assert batch.submission_deadline_for("330100") == later
