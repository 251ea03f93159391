"""The province opens next year's batch in the browser: the last batch's settings copied, the new
notice and dates set, Annex 1 copied as a start; nobody else may."""

import datetime

import pytest
from django.urls import reverse

from quotas.models import Batch, BatchChange
from tests import factories as f

pytestmark = pytest.mark.django_db


def _data(**overrides):
    return {
        "year": "2026",
        "title": "2026年省级绿色低碳工业园区和工厂推荐",
        "notice_number": "浙经信绿色便函〔2026〕1号",
        "notice_date": "2026-05-20",
        "city_submission_deadline": "2026-06-30",
        "city_list_deadline": "2026-12-31",
        "publicity_days": "10",
        **overrides,
    }


def test_the_province_opens_next_years_batch_copying_the_settings(client):
    last = f.batch(
        2025,
        quotas={"330100": 20, "330200": 31},
        assessor_cap=10,
        publicity_days=15,
        contacts=[{"department": "绿色制造处", "name": "刘松", "phone": "0571-87058126"}],
        copy_to="省发展改革委，省生态环境厅。",
        printed_by="浙江省经济和信息化厅办公室",
        removal_bar_years=5,
    )
    client.force_login(f.user_of(f.province()))
    form = client.get(reverse("batch-open")).content.decode()
    assert 'value="2026"' in form and 'value="15"' in form  # prefilled from the last batch
    resp = client.post(reverse("batch-open"), _data())
    assert resp.status_code == 302 and resp["Location"] == reverse("batch-settings", args=[2026])
    new = Batch.objects.get(year=2026)
    assert (new.notice_number, new.publicity_days, new.city_submission_deadline) == (
        "浙经信绿色便函〔2026〕1号",
        10,
        datetime.date(2026, 6, 30),
    )
    assert (new.assessor_cap, new.contacts, new.joint_departments) == (
        last.assessor_cap,
        last.contacts,
        last.joint_departments,
    )
    # The standing rules and the joint notice's 版记 carry over: a unit removed under a five-year
    # bar is not let back in because the new batch started from the default of three.
    assert (new.removal_bar_years, new.copy_to, new.printed_by) == (5, last.copy_to, last.printed_by)
    assert {q.city_id: q.factory_quota for q in new.quotas.all()} == {"330100": 20, "330200": 31}
    assert new.accepting_applications is False
    assert BatchChange.objects.filter(batch=new, field="year").exists()


def test_an_existing_year_is_refused_next_to_the_field(client):
    f.batch(2025)
    client.force_login(f.user_of(f.province()))
    resp = client.post(reverse("batch-open"), _data(year="2025"))
    assert resp.status_code == 400 and "2025年度批次已存在" in resp.content.decode()
    assert Batch.objects.count() == 1


def test_a_city_cannot_open_a_batch(client):
    f.batch(2025)
    client.force_login(f.user_of(f.city_bureau("330100")))
    assert client.post(reverse("batch-open"), _data()).status_code == 404
    assert Batch.objects.count() == 1
