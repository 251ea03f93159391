"""Annex 2 (附件2 推荐名单汇总表) as .xlsx: read back with openpyxl, and opened by LibreOffice."""

import io

import pytest
from openpyxl import Workbook, load_workbook

from exports.annex2 import (
    FACTORY_HEADER,
    PARK_HEADER,
    Annex2Row,
    annex2_xlsx,
    write_annex2_sheet,
)
from reviews.selectors import submission_applications
from tests import factories as f
from tests.helpers import libreoffice_csv
from tests.reviews.helpers import FACTORY_NAMES, PARK_NAMES, recommended_submission


@pytest.fixture
def workbook(db):
    assessor = f.assessor()
    submission, apps, _ = recommended_submission(assessor=assessor)
    # The first park is on the city's list of green low-carbon parks, the second is not.
    f.city_list_entry(apps[0].unit)
    data = annex2_xlsx(submission, submission_applications(submission))
    return submission, assessor, data, load_workbook(io.BytesIO(data))


def rows(ws):
    return [tuple("" if v is None else v for v in row) for row in ws.iter_rows(values_only=True)]


def test_annex2_has_the_notice_layout_with_exact_headers_and_rows(workbook):
    _submission, assessor, _, wb = workbook
    ws = wb.active
    got = rows(ws)
    assert got[0][0] == "附件2"
    assert got[1][0] == "杭州市省级绿色制造推荐名单汇总表"
    assert got[2][0] == "推荐单位:(单位公章)"
    assert got[3][0] == "绿色低碳工业园区"
    assert (
        got[4]
        == PARK_HEADER
        == ("序号", "园区名称", "第三方机构名称(如有)", "类型", "是否列入市绿色制造名单")
    )
    assert got[5] == (1, PARK_NAMES[0], assessor.name, "高新技术产业开发区", "是")
    assert got[6] == (2, PARK_NAMES[1], assessor.name, "高新技术产业开发区", "否")
    assert got[7][0] == "绿色低碳工厂"
    assert (
        got[8]
        == FACTORY_HEADER
        == ("序号", "企业名称", "第三方机构名称(如有)", "行业", "是否列入市绿色制造名单")
    )
    assert got[9:12] == [
        (n + 1, name, assessor.name, "金属制品业", "是") for n, name in enumerate(FACTORY_NAMES)
    ]
    assert len(got) == 12


def test_annex2_title_cells_are_merged_and_the_sheet_prints_on_a4(workbook):
    ws = workbook[3].active
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert {"A2:E2", "A3:E3", "A4:E4", "A8:E8"} <= merged
    assert str(ws.page_setup.paperSize) == ws.PAPERSIZE_A4 == "9"
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.column_dimensions["B"].width >= 30
    assert ws["B6"].font.name == "Noto Sans CJK SC"
    assert ws["B6"].border.left.style == "thin"


def test_annex2_stores_formula_like_names_as_text(workbook):
    ws = workbook[3].active
    formula_like = [
        c for row in ws.iter_rows() for c in row if isinstance(c.value, str) and c.value[:1] in "=+-@"
    ]
    assert {c.value for c in formula_like} == {PARK_NAMES[1], FACTORY_NAMES[1], FACTORY_NAMES[2]}
    assert all(c.data_type == "s" for c in formula_like)
    # …and in the file itself: no <f> formula element anywhere.
    import zipfile

    sheet = zipfile.ZipFile(io.BytesIO(workbook[2])).read("xl/worksheets/sheet1.xml")
    assert b"<f>" not in sheet and b"<f " not in sheet


def test_write_annex2_sheet_accepts_plain_tuples_for_the_province_workbook():
    wb = Workbook()
    write_annex2_sheet(
        wb.active,
        city_name="宁波市",
        parks=[("宁波绿色园区", "", "经济技术开发区", "是")],
        factories=[Annex2Row("宁波工厂", "某评价机构", "汽车制造业", "是")],
    )
    got = rows(wb.active)
    assert got[1][0] == "宁波市省级绿色制造推荐名单汇总表"
    assert got[5] == (1, "宁波绿色园区", "", "经济技术开发区", "是")
    assert got[8] == (1, "宁波工厂", "某评价机构", "汽车制造业", "是")
    assert wb.active.title == "宁波市"


def test_annex2_opens_in_libreoffice_with_every_unit(workbook, tmp_path):
    cells = {c for row in libreoffice_csv(workbook[2], tmp_path, "annex2") for c in row}
    assert "杭州市省级绿色制造推荐名单汇总表" in cells
    for name in (*PARK_NAMES, *FACTORY_NAMES):
        assert name in cells, name
