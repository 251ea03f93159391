"""通知 三: cities report their city-level list by the batch's deadline; the province may extend a
city's deadline (the same per-city extension as the submission deadline) and sees who is late."""

import datetime

import pytest
from django.utils import timezone

from core.exceptions import NotAllowedNow
from lists.selectors import CityReport
from lists.services import city_list_import
from quotas.models import DeadlineExtension
from reference.models import City

from .conftest import factory_row, xlsx

TODAY = timezone.localdate()


def send(lw, *, by=None, city="330100"):
    return city_list_import(
        city=City.objects.get(code=city),
        year=lw.year,
        data=xlsx(
            [factory_row(1)]
            if city == "330100"
            else [(1, "宁波某公司", "", "海曙区", "园区", "高新区", 2024)]
        ),
        file_name="list.xlsx",
        by=by or lw.city,
    )


def past_deadline(lw):
    lw.batch.city_list_deadline = TODAY - datetime.timedelta(days=1)
    lw.batch.save()


def test_the_city_reports_up_to_and_including_the_deadline(lw):
    lw.batch.city_list_deadline = TODAY
    lw.batch.save()
    assert send(lw).counts["added"] == 1


def test_after_the_deadline_the_upload_is_refused_with_the_date(lw):
    past_deadline(lw)
    with pytest.raises(NotAllowedNow) as info:
        send(lw)
    assert "截止日期" in str(info.value) and "延期" in str(info.value)


def test_an_extension_for_the_city_lets_it_report_late_and_only_that_city(lw):
    past_deadline(lw)
    DeadlineExtension.objects.create(
        batch=lw.batch,
        city_id="330100",
        deadline=TODAY + datetime.timedelta(days=3),
        reason="系统故障",
        granted_by=lw.province,
    )
    assert send(lw).counts["added"] == 1
    with pytest.raises(NotAllowedNow):
        send(lw, by=lw.other_city, city="330200")


def test_an_extension_before_the_list_deadline_does_not_shorten_it(lw):
    lw.batch.city_list_deadline = TODAY
    lw.batch.save()
    DeadlineExtension.objects.create(
        batch=lw.batch,
        city_id="330100",
        deadline=TODAY - datetime.timedelta(days=30),
        reason="六月延期",
        granted_by=lw.province,
    )
    assert lw.batch.city_list_deadline_for("330100") == TODAY
    assert send(lw).counts["added"] == 1


def test_the_province_sees_who_reported_and_who_is_late(lw, client):
    send(lw)
    past_deadline(lw)
    DeadlineExtension.objects.create(
        batch=lw.batch,
        city_id="330300",
        deadline=TODAY + datetime.timedelta(days=3),
        reason="延期",
        granted_by=lw.province,
    )
    client.force_login(lw.province)
    page = client.get("/lists/reports/", {"year": lw.year}).content.decode()
    rows = {chunk.split('"')[0]: chunk for chunk in page.split('data-city="')[1:]}
    assert "已报送" in rows["330100"]
    assert "逾期未报送" in rows["330200"]
    assert "已延期" in rows["330300"] and "逾期" not in rows["330300"]
    assert "逾期未报送9个" in page


def test_a_city_that_has_not_reported_is_late_only_after_its_deadline_day():
    report = CityReport(city=None, deadline=TODAY, extended=False, last_import=None, active=0)
    assert not report.is_late(TODAY)
    assert report.is_late(TODAY + datetime.timedelta(days=1))
