"""A publicity length in working days counts by the batch's calendar: its statutory holidays do
not count and the weekend days worked in their place do (quotas/calendar.py). The calendar is data
on the batch, typed on the settings page (dates or ranges, one per line) or loaded with it."""

import datetime

import pytest
from django.urls import reverse

from quotas.calendar import dates_parse
from quotas.models import Batch, BatchChange, PublicityDayKind
from quotas.services import batch_load_file
from tests.quotas.test_views import settings_post

D = datetime.date


def _batch(**calendar) -> Batch:
    return Batch(publicity_days=5, publicity_day_kind=PublicityDayKind.WORKING, **calendar)


def test_without_a_calendar_five_working_days_are_monday_to_friday():
    assert _batch().publicity_last_day(D(2025, 9, 29)) == D(2025, 10, 3)


def test_statutory_holidays_do_not_count_and_adjusted_workdays_do():
    """2025: 国庆 and 中秋 from 1 to 8 October; Sunday 28 September and Saturday 11 October worked."""
    batch = _batch(
        holidays=dates_parse("2025-10-01~2025-10-08"), adjusted_workdays=["2025-09-28", "2025-10-11"]
    )
    # Sunday 28 Sep (worked), Mon 29, Tue 30, then the holiday, then Thu 9 and Fri 10 October.
    assert batch.publicity_last_day(D(2025, 9, 28)) == D(2025, 10, 10)
    # From the holiday's first day: Thu 9, Fri 10, Sat 11 (worked), Mon 13, Tue 14.
    assert batch.publicity_last_day(D(2025, 10, 1)) == D(2025, 10, 14)


def test_calendar_days_ignore_the_holidays():
    batch = _batch(holidays=dates_parse("2025-10-01~2025-10-08"))
    batch.publicity_day_kind = PublicityDayKind.CALENDAR
    assert batch.publicity_last_day(D(2025, 9, 30)) == D(2025, 10, 4)


@pytest.mark.parametrize(
    ("text", "dates"),
    [
        ("2025-10-01", ["2025-10-01"]),
        ("2025-10-07~2025-10-08\n\n2025-10-01", ["2025-10-01", "2025-10-07", "2025-10-08"]),
        ("2025-10-07 至 2025-10-08", ["2025-10-07", "2025-10-08"]),
        ("2025-05-01～2025-05-02\n2025-05-02", ["2025-05-01", "2025-05-02"]),
    ],
)
def test_dates_and_ranges_are_read_one_per_line(text, dates):
    assert dates_parse(text) == dates


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("2025-10-01\n10月1日", "第2行不是有效日期"),
        ("2025-10-08~2025-10-01", "第1行的日期范围须从前到后"),
        ("2025-01-01~2025-12-31", "不超过31天"),
        ("2025-10-01~2025-10-02~2025-10-03", "第1行不是有效日期"),
    ],
)
def test_a_bad_line_is_named(text, reason):
    with pytest.raises(ValueError, match=reason):
        dates_parse(text)


@pytest.mark.django_db
def test_the_2025_batch_carries_the_state_councils_national_day_schedule():
    batch = batch_load_file("fixtures/batch_2025.json")
    assert "2025-10-08" in batch.holidays and "2025-10-11" in batch.adjusted_workdays
    assert batch.publicity_last_day(D(2025, 9, 30)) == D(2025, 10, 13)  # 30 Sep, 9, 10, 11 (worked), 13 Oct


def test_the_calendar_is_typed_on_the_settings_page_and_recorded(world, client):
    client.force_login(world.users["province"])
    response = client.post(
        reverse("batch-settings-update", args=[world.batch.year]),
        settings_post(world.batch, holidays="2025-10-01~2025-10-03", adjusted_workdays="2025-09-28"),
    )
    assert response.status_code == 302
    world.batch.refresh_from_db()
    assert world.batch.holidays == ["2025-10-01", "2025-10-02", "2025-10-03"]
    assert world.batch.adjusted_workdays == ["2025-09-28"]
    assert BatchChange.objects.filter(field="holidays").exists()


def test_a_bad_calendar_line_is_shown_beside_the_field_and_nothing_changes(world, client):
    client.force_login(world.users["province"])
    response = client.post(
        reverse("batch-settings-update", args=[world.batch.year]),
        settings_post(world.batch, holidays="2025-10-01\n国庆节", publicity_days="7"),
    )
    assert response.context["settings_form"].errors == {
        "holidays": ["第2行不是有效日期，请写成2025-10-01，或日期范围2025-10-01~2025-10-08。"]
    }
    world.batch.refresh_from_db()
    assert world.batch.holidays == [] and world.batch.publicity_days == 5
    assert not BatchChange.objects.exists()
