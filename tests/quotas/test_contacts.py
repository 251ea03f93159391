"""The batch's contacts are one list (quotas.contacts): typed as lines on the settings page,
carried over from the two fields they used to be, and read by the front door, the joint notice
and the applicant's receipt."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from quotas.models import Batch, BatchChange
from tests.quotas.test_views import settings_post

LIU = {"department": "浙江省经济和信息化厅绿色制造处", "name": "刘松", "phone": "0571-87058126"}
XU = {"department": "省技创中心", "name": "许文龙", "phone": "15384006412"}


def _migrate(target):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(target)
    return executor.loader.project_state(target).apps


@pytest.mark.django_db(transaction=True)
def test_the_migration_carries_both_old_fields_into_one_list_notice_contact_first():
    old = _migrate([("quotas", "0008_batch_removal_bar_years")])
    OldBatch = old.get_model("quotas", "Batch")
    common = {
        "title": "批次",
        "notice_number": "号",
        "guideline_edition": "导则",
        "city_submission_deadline": "2025-06-30",
        "city_list_deadline": "2025-12-31",
        "park_min_value_added_share": 50,
        "assessor_cap": 10,
    }
    both = OldBatch.objects.create(
        year=2025,
        contacts="浙江省经济和信息化厅绿色制造处 刘松 0571-87058126\n省技创中心 许文龙 15384006412\n",
        contact_name="许文龙",
        contact_phone="15384006412",
        **common,
    )
    notice_only = OldBatch.objects.create(
        year=2026, contacts="请咨询所在地经信局", contact_name="王五", contact_phone="0571-1234567", **common
    )
    neither = OldBatch.objects.create(year=2027, **common)
    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    assert Batch.objects.get(pk=both.pk).contacts == [XU, LIU]  # the notice's contact first
    assert Batch.objects.get(pk=notice_only.pk).contacts == [
        {"department": "", "name": "王五", "phone": "0571-1234567"},
        {"department": "请咨询所在地经信局", "name": "", "phone": ""},  # kept, not lost
    ]
    assert Batch.objects.get(pk=neither.pk).contacts == []


def test_the_province_types_the_contacts_as_lines_and_the_change_is_recorded(world, client):
    client.force_login(world.users["province"])
    url = reverse("batch-settings-update", args=[world.batch.year])
    data = settings_post(
        world.batch,
        contacts="浙江省经济和信息化厅绿色制造处 刘松 0571-87058126\n\n省技创中心 许文龙 15384006412",
    )
    client.post(url, data)
    assert Batch.objects.get(pk=world.batch.pk).contacts == [LIU, XU]
    change = BatchChange.objects.get(field="contacts")
    assert (
        change.new_value == "浙江省经济和信息化厅绿色制造处 刘松 0571-87058126；省技创中心 许文龙 15384006412"
    )
    page = client.get(reverse("batch-settings", args=[world.batch.year])).content.decode()
    assert "浙江省经济和信息化厅绿色制造处 刘松 0571-87058126\n省技创中心 许文龙 15384006412" in page


def test_a_contact_line_without_a_telephone_is_refused_beside_the_field(world, client):
    client.force_login(world.users["province"])
    response = client.post(
        reverse("batch-settings-update", args=[world.batch.year]),
        settings_post(
            world.batch, contacts="绿色制造处 刘松 0571-87058126\n绿色制造处 刘松", publicity_days="9"
        ),
    )
    assert response.context["settings_form"].errors == {
        "contacts": ["第2行须写明姓名和电话，以空格分隔，例如：绿色制造处 刘松 0571-87058126"]
    }
    batch = Batch.objects.get(pk=world.batch.pk)
    assert (batch.contacts, batch.publicity_days) == ([], 5)  # nothing saved


def test_front_door_and_receipt_show_every_contact_the_notice_prints_the_first(world, client):
    world.batch.contacts = [LIU, XU]
    world.batch.save()
    front = client.get("/").content.decode()
    assert "浙江省经济和信息化厅绿色制造处 刘松" in front and "15384006412" in front
    app = world.application()
    applicant = world.users["applicant_factory"]
    client.force_login(applicant)
    client.post(reverse("application-submit", args=[app.pk]), {"confirmed": "yes"})
    receipt = client.get(reverse("application-receipt", args=[app.pk])).content.decode()
    assert "刘松" in receipt and "许文龙" in receipt and 'href="tel:15384006412"' in receipt
    assert world.batch.notice_contact == LIU
