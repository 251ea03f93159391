"""Annex 1 workbooks for import tests, written with openpyxl as a city clerk's Excel would."""

import io

from openpyxl import Workbook

ANNEX1_2025 = [
    ("杭州市", 20),
    ("宁波市", 31),
    ("温州市", 30),
    ("湖州市", 18),
    ("嘉兴市", 35),
    ("绍兴市", 10),
    ("金华市", 18),
    ("衢州市", 6),
    ("舟山市", 1),
    ("台州市", 23),
    ("丽水市", 8),
]


def annex1_workbook(
    rows=None, *, title="2025年省级绿色低碳工厂推荐名额", total="sum", header=("地市", "推荐名额")
):
    """An .xlsx in the notice's layout. `total`: "sum" writes the right 合计, None leaves the row
    out, anything else is written as is."""
    rows = ANNEX1_2025 if rows is None else rows
    wb = Workbook()
    ws = wb.active
    ws.append(["附件1"])
    ws.append([title])
    ws.append(list(header))
    for row in rows:
        ws.append(list(row))
    if total == "sum":
        ws.append(["合  计", sum(v for _, v in rows if isinstance(v, int))])
    elif total is not None:
        ws.append(["合计", total])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def with_quota(city, quota, rows=None):
    return [(name, quota if name == city else q) for name, q in (rows or ANNEX1_2025)]
