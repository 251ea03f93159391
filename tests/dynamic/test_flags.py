"""Each flag a reviewer sees, computed from the form (dynamic/flags.py), and overdue marking at
the deadline and its extension."""

import datetime

import pytest
from django.utils import timezone

from dynamic.flags import flag_codes, form_flags, is_overdue
from dynamic.services import form_change_add, form_transition, form_update
from quotas.models import DeadlineExtension
from tests import factories as f

from .conftest import complete_data


def _flags(world, which="factory", **overrides):
    form = world.form(which)
    form_update(form, by=world.unit_user(form), data=complete_data(form, **overrides))
    form.refresh_from_db()
    return flag_codes(form)


def test_a_clean_form_has_no_flag(world):
    assert _flags(world) == set()
    assert _flags(world, "park") == set()


@pytest.mark.parametrize(
    ("overrides", "flag"),
    [
        ({"safety_accident": "major"}, "major_accident"),
        ({"env_incident": "major"}, "major_environmental"),
        ({"env_incident": "extra"}, "major_environmental"),
        ({"operating": "stopped"}, "not_operating"),
        ({"operating": "deregistered"}, "not_operating"),
        ({"operating": "abnormal"}, "not_operating"),
        ({"dishonest": True}, "dishonest"),
    ],
)
def test_compliance_flags(world, overrides, flag):
    assert _flags(world, **overrides) == {flag}


@pytest.mark.parametrize(
    ("overrides", "flag"), [({"safety_accident": "larger"}, None), ({"env_incident": "larger"}, None)]
)
def test_less_than_major_is_not_flagged(world, overrides, flag):
    assert _flags(world, **overrides) == set()


def test_indicator_worse_than_last_year(world):
    form = world.form("factory")
    data = complete_data(form)
    years = sorted(k for k in data["indicators"]["energy_per_unit"] if k != "benchmark")
    data["indicators"]["energy_per_unit"][years[-1]] = data["indicators"]["energy_per_unit"][years[-2]] + 1
    form_update(form, by=world.users["factory"], data=data)
    flags = form_flags(form)
    assert [x.code for x in flags] == ["indicator_worse"]
    assert "单位产品综合能耗较上年变差" in str(flags[0])


def test_indicator_worse_than_benchmark(world):
    form = world.form("factory")
    data = complete_data(form)
    data["indicators"]["solid_waste_utilisation"]["benchmark"] = 99  # higher is better: 62 < 99
    form_update(form, by=world.users["factory"], data=data)
    flags = form_flags(form)
    assert [x.code for x in flags] == ["indicator_worse"]
    assert "工业固体废物综合利用率劣于行业标杆" in str(flags[0])


def test_output_falling_is_not_a_flag(world):
    form = world.form("factory")
    data = complete_data(form)
    data["indicators"]["output"] = {k: 100 - n for n, k in enumerate(data["indicators"]["output"])}
    form_update(form, by=world.users["factory"], data=data)
    assert flag_codes(form) == set()


def test_park_value_added_share_at_the_batch_threshold(world):
    form = world.form("park")
    data = complete_data(form)
    years = sorted(data["indicators"]["value_added_share"])
    data["indicators"]["value_added_share"] = {years[0]: 40, years[1]: 45, years[2]: 50}  # = 50: not above
    form_update(form, by=world.users["park"], data=data)
    assert flag_codes(form) == {"park_share"}
    world.batch.park_min_value_added_share = 49
    world.batch.save()
    form.refresh_from_db()
    assert flag_codes(form) == set()


def test_unconfirmed_change_of_name(world):
    form = world.form("factory")
    form_update(form, by=world.users["factory"], data=complete_data(form))
    form_change_add(
        form=form,
        by=world.users["factory"],
        field="name",
        new_value="杭州新名称科技有限公司",
        changed_on=timezone.localdate(),
        upload=f.pdf_upload("营业执照.pdf"),
    )
    form.refresh_from_db()
    assert flag_codes(form) == {"unconfirmed_change"}
    assert form.unit_name == "杭州新名称科技有限公司"
    assert form.entry.unit_name != form.unit_name  # the list changes only with publication


def test_address_change_is_not_the_name_or_scope_flag(world):
    form = world.form("factory")
    form_update(form, by=world.users["factory"], data=complete_data(form))
    form_change_add(
        form=form,
        by=world.users["factory"],
        field="address",
        new_value="新地址",
        changed_on=timezone.localdate(),
        upload=f.pdf_upload(),
    )
    assert flag_codes(form) == set()


def test_overdue_after_the_deadline_and_not_with_an_extension(world):
    form = world.form("factory")
    deadline = world.batch.city_submission_deadline
    assert not is_overdue(form, today=deadline)  # "于…前": the deadline day itself is in time
    assert is_overdue(form, today=deadline + datetime.timedelta(days=1))
    assert "overdue" in flag_codes(form, today=deadline + datetime.timedelta(days=1))
    DeadlineExtension.objects.create(
        batch=world.batch,
        city_id=form.city_id,
        deadline=deadline + datetime.timedelta(days=10),
        reason="测试",
        granted_by=world.users["province"],
    )
    form = world.form("factory")  # extensions read afresh
    assert not is_overdue(form, today=deadline + datetime.timedelta(days=1))
    assert is_overdue(form, today=deadline + datetime.timedelta(days=11))
    # Another city's extension does not help
    assert is_overdue(world.form("other"), today=deadline + datetime.timedelta(days=1))


def test_submitted_in_time_is_not_overdue_later(world):
    form = world.in_state("factory", "county_review")
    assert not is_overdue(form, today=world.batch.city_submission_deadline + datetime.timedelta(days=100))


def test_submitted_after_the_deadline_stays_overdue(world):
    world.batch.city_submission_deadline = timezone.localdate() - datetime.timedelta(days=1)
    world.batch.save()
    form = world.in_state("factory", "county_review")
    assert is_overdue(form)


def test_city_may_cite_overdue_to_propose_removal(world):
    world.batch.city_submission_deadline = timezone.localdate() - datetime.timedelta(days=1)
    world.batch.save()
    form = world.form("factory")
    form_transition(
        form,
        name="propose_removal",
        by=world.users["city"],
        opinion="remove",
        reasons=["overdue"],
        comment="逾期未报",
    )
    assert form.state == "city_done"
