import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from lists.xlsx import CITY_COLUMNS, NATIONAL_COLUMNS
from tests import factories as f


def xlsx(rows, columns=CITY_COLUMNS) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(list(columns))
    for row in rows:
        ws.append(list(row))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def national_xlsx(rows) -> bytes:
    return xlsx(rows, NATIONAL_COLUMNS)


def upload_file(data: bytes, name="名单.xlsx"):
    return SimpleUploadedFile(
        name, data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )


def code(n: int, prefix="91330106") -> str:
    from accounts.uscc import check_character

    first17 = f"{prefix}{n:09d}"
    return first17 + check_character(first17)


def factory_row(n, name=None, county="西湖区", industry="3311", year=2024, credit=None):
    return (n, name or f"杭州测试{n}有限公司", credit or code(n), county, "工厂", industry, year)


class ListWorld:
    """A batch, Hangzhou's and Ningbo's bureaus, a county bureau of 西湖区 and one of 滨江区, the
    province and an enterprise with an account."""

    def __init__(self):
        self.batch = f.batch()
        self.city = f.user_of(f.city_bureau("330100"))
        self.other_city = f.user_of(f.city_bureau("330200"))
        self.county = f.user_of(f.county_bureau("330106"))
        self.other_county = f.user_of(f.county_bureau("330108"))
        self.province = f.user_of(f.province())
        self.factory_org = f.enterprise("330106", green=False)
        self.factory = f.user_of(self.factory_org)
        self.year = self.batch.year


@pytest.fixture
def lw(db):
    return ListWorld()
