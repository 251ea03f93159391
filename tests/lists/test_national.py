"""The national list (通知 一(三)): imported by the province with the same row checks and preview;
units on it without an active provincial entry are brought under provincial management."""

import pytest

from core.exceptions import Forbidden
from lists.exceptions import ListImportRefused
from lists.models import ListEntry
from lists.services import list_entry_end, national_list_import
from tests import factories as f

from .conftest import code, national_xlsx

YEAR = 2025


def imp(lw, rows, *, by=None, kind="factory", dry_run=False):
    return national_list_import(
        kind=kind,
        year=YEAR,
        data=national_xlsx(rows),
        file_name="国家级.xlsx",
        by=by or lw.province,
        dry_run=dry_run,
    )


def test_national_units_without_a_provincial_entry_come_under_provincial_management(lw, client):
    ListEntry.objects.create(
        tier="provincial",
        kind="factory",
        unit_name="已在省级名单",
        credit_code=code(2),
        city_id="330100",
        year=2023,
        source="x",
    )
    rows = [
        (1, "国家级甲工厂", code(1), "杭州市西湖区", "通用设备制造业", "第七批（2022年）"),
        (2, "已在省级名单", code(2), "杭州市", "纺织业", 2023),
        (3, "无代码工厂", "", "浙江省温州市鹿城区", "电气机械", "2021年"),
        (4, "只写县的工厂", "", "海曙区", "", 2020),
    ]
    assert imp(lw, rows).counts == {"added": 4, "ended": 0, "unchanged": 0}
    national = {e.unit_name: e for e in ListEntry.objects.filter(tier="national")}
    assert national["国家级甲工厂"].provincial_management is True
    assert national["已在省级名单"].provincial_management is False
    assert (national["无代码工厂"].city_id, national["无代码工厂"].county_id) == ("330300", "330302")
    assert (national["只写县的工厂"].city_id, national["只写县的工厂"].county_id) == ("330200", "330203")
    assert (
        national["国家级甲工厂"].year == 2022 and national["国家级甲工厂"].industry_text == "通用设备制造业"
    )
    client.force_login(lw.province)
    page = client.get("/lists/national/").content.decode()
    managed = page.split('data-testid="managed"')[1]
    assert "国家级甲工厂" in managed and "已在省级名单" not in managed


def test_the_national_list_is_replaced_by_the_next_import(lw):
    imp(lw, [(1, "甲", code(1), "杭州市", "", 2022), (2, "乙", code(2), "杭州市", "", 2022)])
    assert imp(lw, [(1, "乙", code(2), "杭州市", "", 2022)]).counts == {
        "added": 0,
        "ended": 1,
        "unchanged": 1,
    }
    ended = ListEntry.objects.get(unit_name="甲")
    assert ended.status == "ended" and ended.end_reason == f"未列入{YEAR}年导入的国家级名单"
    # Parks are a list of their own: importing them ends no factory.
    imp(lw, [(1, "国家级园区", "", "宁波市", "", 2021)], kind="park")
    assert ListEntry.objects.active().filter(tier="national").count() == 2


@pytest.mark.parametrize(
    ("row", "column"),
    [
        ((1, "甲", "123", "杭州市", "", 2022), "统一社会信用代码"),
        ((1, "甲", "", "上海市", "", 2022), "所在地区"),
        ((1, "甲", "", "杭州市海曙区", "", 2022), "所在地区"),
        ((1, "甲", "", "", "", 2022), "所在地区"),
        ((1, "甲", "", "杭州市", "", "第七批"), "批次/年份"),
        ((1, "", "", "杭州市", "", 2022), "单位名称"),
    ],
)
def test_national_rows_are_checked_like_the_citys(lw, row, column):
    with pytest.raises(ListImportRefused) as info:
        imp(lw, [row])
    assert [(e.row, e.column) for e in info.value.errors] == [(2, column)]
    assert not ListEntry.objects.exists()


def test_only_the_province_imports_the_national_list(lw):
    for user in (lw.city, lw.county, lw.factory):
        with pytest.raises(Forbidden):
            imp(lw, [(1, "甲", code(1), "杭州市", "", 2022)], by=user)


def test_a_dry_run_changes_nothing(lw):
    assert imp(lw, [(1, "甲", code(1), "杭州市", "", 2022)], dry_run=True).counts["added"] == 1
    assert not ListEntry.objects.exists()


def test_only_the_province_ends_a_national_entry_and_nobody_ends_a_provincial_one_by_hand(lw):
    """National entries follow MIIT's list, which the province keeps; provincial entries change
    only through the province's decisions (joint publication, dynamic management), never by hand."""
    national = f.city_list_entry(f.enterprise("330106", name="国家级工厂", green=False), tier="national")
    provincial = f.city_list_entry(f.enterprise("330106", name="省级工厂", green=False), tier="provincial")
    with pytest.raises(Forbidden):
        list_entry_end(national, by=lw.city, reason="移出")
    for user in (lw.province, lw.city):
        with pytest.raises(Forbidden):
            list_entry_end(provincial, by=user, reason="移出")
    list_entry_end(national, by=lw.province, reason="国家级名单已撤销")
    national.refresh_from_db()
    provincial.refresh_from_db()
    assert (national.status, provincial.status) == ("ended", "active")
