"""Annex 1 as .xlsx: exported in the notice's layout (read back with openpyxl and LibreOffice),
imported all or nothing with row-level errors in Chinese."""

import io

import pytest
from openpyxl import load_workbook

from quotas.annex1 import annex1_read, annex1_xlsx
from quotas.exceptions import QuotaImportRefused
from quotas.models import BatchChange, CityQuota
from quotas.services import quota_table_import
from tests import factories as f
from tests.helpers import libreoffice_csv
from tests.quotas.conftest import recommend_factories
from tests.quotas.xlsx import ANNEX1_2025, annex1_workbook, with_quota

NOTICE_ORDER = [name for name, _ in ANNEX1_2025]


@pytest.fixture
def batch_2025(db):
    codes = [
        "330100",
        "330200",
        "330300",
        "330500",
        "330400",
        "330600",
        "330700",
        "330800",
        "330900",
        "331000",
        "331100",
    ]
    return f.batch(2025, quotas=dict(zip(codes, [q for _, q in ANNEX1_2025], strict=True)))


def quotas_by_name(batch):
    return dict(CityQuota.objects.filter(batch=batch).values_list("city__name", "factory_quota"))


def test_export_has_the_notices_layout_and_reads_back(batch_2025):
    wb = load_workbook(io.BytesIO(annex1_xlsx(batch_2025)))
    ws = wb.active
    assert ws["A1"].value == "附件1"
    assert ws["A2"].value == "2025年省级绿色低碳工厂推荐名额"
    assert "A2:B2" in {str(r) for r in ws.merged_cells.ranges}
    assert (ws["A3"].value, ws["B3"].value) == ("地市", "推荐名额")
    rows = [(ws.cell(r, 1).value, ws.cell(r, 2).value) for r in range(4, 15)]
    assert rows == ANNEX1_2025  # 11 cities in the notice's order
    assert (ws["A15"].value, ws["B15"].value) == ("合计", 200)
    assert ws["A4"].font.name == "Noto Sans CJK SC"
    assert ws["B15"].font.bold
    assert ws["A4"].border.left.style == "thin"
    assert ws.column_dimensions["A"].width >= 15
    assert int(ws.page_setup.paperSize) == 9  # A4
    assert ws.page_setup.orientation == "portrait"
    assert ws.max_row == 15


def test_export_opens_in_libreoffice(batch_2025, tmp_path):
    rows = libreoffice_csv(annex1_xlsx(batch_2025), tmp_path, "annex1")
    assert ["杭州市", "20"] in rows
    assert ["合计", "200"] in rows


def test_round_trip_export_then_import_gives_the_same_quotas(batch_2025, db):
    officer = f.user_of(f.province())
    before = quotas_by_name(batch_2025)
    data = annex1_xlsx(batch_2025)
    other = f.batch(2025 + 1, quotas={})
    # The same table imported into another year's batch is refused on its title …
    with pytest.raises(QuotaImportRefused) as exc:
        quota_table_import(other, data=data, by=officer)
    assert "与当前批次（2026年）不符" in exc.value.errors[0].message
    # … and into its own batch after a change, puts every quota back.
    CityQuota.objects.filter(batch=batch_2025, city_id="330100").update(factory_quota=3)
    quota_table_import(batch_2025, data=data, by=officer)
    assert quotas_by_name(batch_2025) == before


def test_a_valid_table_replaces_every_quota_and_is_recorded(batch_2025):
    officer = f.user_of(f.province())
    data = annex1_workbook(with_quota("舟山市", 3, with_quota("杭州市", 22)))
    quota_table_import(batch_2025, data=data, by=officer, reason="厅务会调整")
    got = quotas_by_name(batch_2025)
    assert got["杭州市"] == 22 and got["舟山市"] == 3 and got["宁波市"] == 31
    changes = BatchChange.objects.order_by("city__position")
    assert [(c.city.name, c.old_value, c.new_value, c.reason) for c in changes] == [
        ("杭州市", "20", "22", "厅务会调整"),
        ("舟山市", "1", "3", "厅务会调整"),
    ]


def test_a_table_without_a_total_row_and_short_names_is_accepted(batch_2025):
    rows = [(name.removesuffix("市"), q) for name, q in with_quota("丽水市", 9)]
    table = annex1_read(annex1_workbook(rows, total=None), year=2025)
    assert table.errors == []
    assert table.quotas["331100"] == (14, 9)


def errors_of(data, year=2025):
    return [(e.row, e.message) for e in annex1_read(data, year=year).errors]


@pytest.mark.parametrize(
    ("rows", "total", "expected"),
    [
        (
            [("上海市", 5), *ANNEX1_2025],
            None,
            [(4, "第4行：未知的设区市“上海市”。")],
        ),
        (with_quota("温州市", "三十"), None, [(6, "第6行：温州市的推荐名额“三十”不是不小于0的整数。")]),
        (with_quota("温州市", -3), None, [(6, "第6行：温州市的推荐名额“-3”不是不小于0的整数。")]),
        (with_quota("温州市", 2.5), None, [(6, "第6行：温州市的推荐名额“2.5”不是不小于0的整数。")]),
        (
            [*ANNEX1_2025, ("杭州市", 3)],
            None,
            [(15, "第15行：杭州市重复出现（第4行已填写）。")],
        ),
        (ANNEX1_2025, 199, [(15, "第15行：合计“199”与各市名额之和200不符。")]),
        (ANNEX1_2025[:-1], None, [(None, "缺少以下设区市：丽水市。")]),
    ],
    ids=[
        "unknown-city",
        "not-a-number",
        "negative",
        "fraction",
        "duplicate",
        "total-mismatch",
        "missing-city",
    ],
)
def test_bad_rows_are_reported_by_row_in_chinese(db, rows, total, expected):
    assert errors_of(annex1_workbook(rows, total=total)) == expected


@pytest.mark.parametrize("value", ["=SUM(B4:B5)", "+20", "-20", "@20", "=1+1"])
def test_cells_that_look_like_formulas_are_never_evaluated(db, value):
    errors = errors_of(annex1_workbook(with_quota("杭州市", value)))
    assert errors == [(4, f"第4行：杭州市的推荐名额“{value}”不是不小于0的整数。")]


def test_a_formula_in_the_city_column_is_not_a_city(db):
    rows = [('=HYPERLINK("http://x","杭州市")', 20), *ANNEX1_2025[1:]]
    errors = errors_of(annex1_workbook(rows))
    assert errors[0] == (4, "第4行：地市单元格不是城市名称（不作为公式处理）。")


def test_a_file_that_is_not_xlsx_or_lacks_the_header_is_refused(db):
    assert errors_of(b"not a spreadsheet") == [(None, "无法读取该文件，请上传附件1格式的 .xlsx 名额表。")]
    assert errors_of(annex1_workbook(header=("城市", "名额"))) == [
        (None, "未找到表头“地市 · 推荐名额”，请使用附件1格式。")
    ]


def test_nothing_changes_when_any_row_is_bad(batch_2025):
    officer = f.user_of(f.province())
    before = quotas_by_name(batch_2025)
    data = annex1_workbook([*with_quota("杭州市", 25), ("北京市", 1)])
    with pytest.raises(QuotaImportRefused) as exc:
        quota_table_import(batch_2025, data=data, by=officer)
    assert [e.row for e in exc.value.errors] == [15]
    assert quotas_by_name(batch_2025) == before
    assert not BatchChange.objects.exists()


def test_import_refuses_a_quota_below_what_the_city_has_recommended(batch_2025):
    officer = f.user_of(f.province())
    recommend_factories(batch_2025, 2, county="330203")  # 宁波 海曙区
    with pytest.raises(QuotaImportRefused) as exc:
        quota_table_import(batch_2025, data=annex1_workbook(with_quota("宁波市", 1)), by=officer)
    assert [(e.row, e.city, e.message) for e in exc.value.errors] == [
        (5, "宁波市", "宁波市已推荐2个，名额不能少于2个。")
    ]
    assert quotas_by_name(batch_2025)["宁波市"] == 31
