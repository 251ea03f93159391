"""The city-level list upload (通知 三): row checks with row and column, nothing saved while any row
is wrong, preview, replace semantics, budgets."""

import hashlib
import io
import zipfile

import pytest
from django.core.management import call_command
from django.utils import timezone
from openpyxl import load_workbook

from core.exceptions import Forbidden, InvalidInput
from core.history import row_hash
from lists.exceptions import ListImportRefused
from lists.models import EntryChange, ListEntry, ListImport
from lists.services import city_list_import
from lists.xlsx import CITY_COLUMNS, MAX_ROWS, city_list_template_xlsx
from reference.models import City
from tests import factories as f
from tests.helpers import libreoffice_xlsx

from .conftest import code, factory_row, xlsx

HZ = "330100"


def upload(lw, rows, *, by=None, dry_run=False, data=None):
    return city_list_import(
        city=City.objects.get(code=HZ),
        year=lw.year,
        data=data if data is not None else xlsx(rows),
        file_name="杭州市名单.xlsx",
        by=by or lw.city,
        dry_run=dry_run,
    )


def refused(lw, rows, **kwargs) -> list:
    with pytest.raises(ListImportRefused) as info:
        upload(lw, rows, **kwargs)
    assert not ListEntry.objects.exists() and not ListImport.objects.exists()
    return [(e.row, e.column) for e in info.value.errors], info.value.errors


def test_good_upload_adds_every_row_and_keeps_a_versioned_record(lw):
    rows = [
        factory_row(1),
        factory_row(2, county="杭州市滨江区", industry=3976),  # a number cell, the city's prefix
        (3, "杭州钱塘新材料产业园", "", "钱塘区", "园区", "省级开发区", 2023),
        (4, "杭州高新园区", "", "", "园区", "高新区", "2022年"),
    ]
    data = xlsx(rows)
    result = upload(lw, rows, data=data)
    assert result.counts == {"added": 4, "ended": 0, "unchanged": 0}
    imp = ListImport.objects.get()
    assert (imp.city_id, imp.year, imp.rows, imp.added, imp.imported_by) == (HZ, lw.year, 4, 4, lw.city)
    assert imp.sha256 == hashlib.sha256(data).hexdigest() and imp.file_name == "杭州市名单.xlsx"
    assert imp.file.read() == data
    binjiang = ListEntry.objects.get(credit_code=code(2))
    assert (binjiang.county_id, binjiang.industry_class, binjiang.tier, binjiang.status) == (
        "330108",
        "3976",
        "city",
        "active",
    )
    park = ListEntry.objects.get(unit_name="杭州高新园区")
    assert (park.kind, park.park_type, park.year, park.county_id) == ("park", "high_tech", 2022, None)
    assert EntryChange.objects.filter(action="added").count() == 4


@pytest.mark.parametrize(
    ("row", "column", "message"),
    [
        (factory_row(1, credit="91330106000000001"), "统一社会信用代码", "18位"),
        (
            factory_row(1, credit=code(1)[:17] + ("0" if code(1)[17] != "0" else "1")),
            "统一社会信用代码",
            "校验位",
        ),
        (factory_row(1, credit="91330106OOOOOOOOO1"), "统一社会信用代码", "大写字母"),
        (factory_row(1, credit=" "), "统一社会信用代码", "须填写"),
        (factory_row(1, county="海曙区"), "县（市、区）", "不属于杭州市"),
        (factory_row(1, county="不存在区"), "县（市、区）", "未知的县"),
        (factory_row(1, county=""), "县（市、区）", "请填写"),
        (factory_row(1, industry="9999"), "行业代码或园区类型", "未知的行业代码"),
        (factory_row(1, industry="33"), "行业代码或园区类型", "未知的行业代码"),
        ((1, "", code(1), "西湖区", "工厂", "3311", 2024), "单位名称", "不能为空"),
        ((1, '=HYPERLINK("x")', code(1), "西湖区", "工厂", "3311", 2024), "单位名称", "公式"),
        ((1, "某公司", code(1), "西湖区", "企业", "3311", 2024), "类型（园区/工厂）", "工厂”或“园区"),
        ((1, "某园区", "", "西湖区", "园区", "工业园", 2024), "行业代码或园区类型", "未知的园区类型"),
        (factory_row(1, year="去年"), "列入年份", "年份"),
        (factory_row(1, year=1999), "列入年份", "年份"),
    ],
)
def test_each_row_error_names_its_row_and_column_and_nothing_is_saved(lw, row, column, message):
    good = factory_row(2)
    where, errors = refused(lw, [good, row])
    assert (3, column) in where, errors  # the header is row 1, the good row row 2
    assert any(message in e.message for e in errors if e.row == 3)


def test_a_duplicate_row_names_the_first(lw):
    where, errors = refused(lw, [factory_row(1), factory_row(2), factory_row(3, credit=code(1))])
    assert where == [(4, "统一社会信用代码")]
    assert "与第2行重复" in errors[0].message


def test_a_duplicate_park_is_found_by_its_name(lw):
    park = (1, "杭州 钱塘园区", "", "钱塘区", "园区", "省级开发区", 2023)
    twin = (2, "杭州钱塘园区", "", "钱塘区", "园区", "省级开发区", 2023)
    where, _errors = refused(lw, [park, twin])
    assert where == [(3, "单位名称")]


def test_every_bad_row_is_reported_not_only_the_first(lw):
    where, _ = refused(lw, [factory_row(1, county="海曙区"), factory_row(2), factory_row(3, industry="0101")])
    assert where == [(2, "县（市、区）"), (4, "行业代码或园区类型")]


def test_a_file_that_is_not_a_workbook_is_refused_as_a_whole(lw):
    where, errors = refused(lw, [], data=b"%PDF-1.4 not a workbook")
    assert where == [(None, "")] and "无法读取" in errors[0].message


def test_a_workbook_without_the_header_is_refused(lw):
    where, errors = refused(lw, [], data=xlsx([("a", "b")], columns=("名称", "代码")))
    assert where == [(None, "")] and "表头" in errors[0].message


def test_a_header_missing_a_column_is_refused(lw):
    columns = tuple(c for c in CITY_COLUMNS if c != "列入年份")
    _where, errors = refused(lw, [], data=xlsx([factory_row(1)[:-1]], columns=columns))
    assert "列入年份" in errors[0].message


def test_too_many_rows_are_refused_within_the_budget(lw, monkeypatch):
    monkeypatch.setattr("lists.xlsx.MAX_ROWS", 10)
    _where, errors = refused(lw, [factory_row(n) for n in range(1, 15)])
    assert "超过10行" in errors[0].message
    assert MAX_ROWS >= 5000


def test_a_zip_bomb_is_refused_before_it_is_read(lw, monkeypatch):
    monkeypatch.setattr("lists.xlsx.MAX_UNCOMPRESSED_BYTES", 1000)
    _where, errors = refused(lw, [factory_row(1)])
    assert "解压后过大" in errors[0].message


def test_dry_run_previews_and_changes_nothing(lw):
    result = upload(lw, [factory_row(1), factory_row(2)], dry_run=True)
    assert result.counts == {"added": 2, "ended": 0, "unchanged": 0}
    assert not ListEntry.objects.exists() and not ListImport.objects.exists()


def test_a_new_upload_replaces_the_list_and_ends_the_units_left_off(lw):
    upload(lw, [factory_row(1), factory_row(2), factory_row(3)])
    result = upload(lw, [factory_row(2), factory_row(3), factory_row(4)])
    assert result.counts == {"added": 1, "ended": 1, "unchanged": 2}
    ended = ListEntry.objects.get(credit_code=code(1))
    assert ended.status == "ended" and ended.ended_by == lw.city and ended.ended_at is not None
    assert ended.end_reason == f"未列入{lw.year}年度市级名单"
    assert ListEntry.objects.active().filter(tier="city").count() == 3
    assert EntryChange.objects.get(entry=ended, action="ended").reason == ended.end_reason
    # Listed again later: a new active entry beside the ended one (history is kept).
    upload(lw, [factory_row(1), factory_row(2), factory_row(3), factory_row(4)])
    assert ListEntry.objects.filter(credit_code=code(1)).count() == 2
    assert ListEntry.objects.active().filter(credit_code=code(1)).count() == 1


def test_uploads_write_history_that_verify_history_finds_intact(lw):
    """The upload appends its EntryChange rows in bulk; they chain like rows saved one by one:
    an added entry's row starts its chain, the row that ends it links to it."""
    upload(lw, [factory_row(1), factory_row(2), factory_row(3), factory_row(4)])
    upload(lw, [factory_row(3), factory_row(4), factory_row(5)])  # ends 1 and 2, adds 5
    out = io.StringIO()
    call_command("verify_history", stdout=out)  # a broken chain is a CommandError
    assert "lists.EntryChange: 7 rows checked" in out.getvalue()
    assert "Every history chain holds." in out.getvalue()
    ended = ListEntry.objects.get(credit_code=code(1))
    added, ending = ended.changes.order_by("pk")
    assert (added.action, ending.action) == ("added", "ended")
    assert added.prev_hash == "" and ending.prev_hash == added.row_hash
    for row in EntryChange.objects.all():
        assert row.row_hash == row_hash(row.prev_hash, row)


def test_one_city_cannot_list_a_factory_another_city_lists(lw):
    upload(lw, [factory_row(1)])
    with pytest.raises(ListImportRefused) as info:
        city_list_import(
            city=City.objects.get(code="330200"),
            year=lw.year,
            data=xlsx([(1, "宁波某公司", code(1), "海曙区", "工厂", "3311", 2024)]),
            file_name="x.xlsx",
            by=lw.other_city,
        )
    assert "杭州市" in info.value.errors[0].message and info.value.errors[0].row == 2


def test_a_factory_on_another_tier_elsewhere_may_still_be_on_this_citys_list(lw):
    """Only another city's *city-level* list claims a factory: the national list (which names the
    unit's region its own way) does not stop Hangzhou listing it."""
    f.enterprise("330203", name="宁波另一家公司")  # on Ningbo's city-level list (green)
    national = f.enterprise("330203", name="宁波国家级工厂", green=False)
    f.city_list_entry(national, tier="national")
    result = upload(lw, [factory_row(1, credit=national.enterprise.credit_code)])
    assert result.counts["added"] == 1


@pytest.mark.parametrize("offset", [-1, 0, 1])
def test_the_list_year_runs_from_2000_to_next_year(lw, offset):
    """A list year is a year a list could be for: 2000 up to next year (a city preparing its
    list in December); anything else is a typing mistake, refused before the file is read."""
    next_year = timezone.localdate().year + 1
    good = {-1: 2000, 0: next_year - 1, 1: next_year}[offset]
    city_list_import(
        city=City.objects.get(code=HZ),
        year=good,
        data=xlsx([factory_row(1, year=2000)]),
        file_name="x.xlsx",
        by=lw.city,
        dry_run=True,
    )
    bad = {-1: 1999, 0: "二〇二四", 1: next_year + 1}[offset]
    with pytest.raises(InvalidInput) as info:
        city_list_import(
            city=City.objects.get(code=HZ),
            year=bad,
            data=xlsx([factory_row(1)]),
            file_name="x.xlsx",
            by=lw.city,
        )
    assert "名单年度" in str(info.value)


def test_a_city_uploads_only_its_own_list(lw):
    for user in (lw.other_city, lw.county, lw.province, lw.factory):
        with pytest.raises(Forbidden):
            upload(lw, [factory_row(1)], by=user)
    assert not ListEntry.objects.exists()


def test_a_list_saved_by_libreoffice_uploads(lw, tmp_path):
    rows = [
        factory_row(1),
        factory_row(2, county="滨江区", industry="3976"),
        (3, "杭州园区", "", "", "园区", "经开区", 2021),
    ]
    data = libreoffice_xlsx(xlsx(rows), tmp_path)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert b"LibreOffice" in zf.read("docProps/app.xml")
    result = upload(lw, [], data=data)
    assert result.counts["added"] == 3
    assert set(ListEntry.objects.values_list("credit_code", flat=True)) == {code(1), code(2), ""}


def test_a_5000_row_list_uploads_and_previews(lw):
    counties = ["西湖区", "滨江区", "萧山区", "余杭区", "临平区"]
    rows = [factory_row(n, county=counties[n % 5]) for n in range(1, 5001)]
    data = xlsx(rows)
    assert upload(lw, [], data=data, dry_run=True).counts["added"] == 5000
    assert upload(lw, [], data=data).counts == {"added": 5000, "ended": 0, "unchanged": 0}
    rows[0] = factory_row(9999)
    assert upload(lw, rows).counts == {"added": 1, "ended": 1, "unchanged": 4999}


def test_the_template_has_the_columns_and_uploads_again(lw):
    wb = load_workbook(io.BytesIO(city_list_template_xlsx(City.objects.get(code=HZ))))
    assert tuple(c.value for c in wb.active[1]) == CITY_COLUMNS
