"""Demo lists for `make run`: every city's city-level list uploaded through the real service (the
demo enterprises that should be eligible are on it; 杭州未列名单机械有限公司 is not), a national
list with units not yet on the provincial list, and provincial entries of earlier batches."""

import io

from django.utils import timezone
from openpyxl import Workbook

from accounts.models import Organisation, OrganisationKind, User
from accounts.uscc import check_character
from reference.models import City

from .models import EntryChange, ListEntry, Tier, UnitKind
from .services import city_list_import, national_list_import
from .xlsx import CITY_COLUMNS, NATIONAL_COLUMNS

# Industry classes and park types a demo list cycles through.
CLASSES = ("3311", "3891", "2614", "1711", "3976", "3670", "2929", "3484")
SECTORS = ("精密机械", "新材料", "纺织", "电子", "汽车零部件", "化工", "食品", "电气")


def _code(seed: str) -> str:
    first17 = ("91" + seed + "0" * 15)[:17]
    return first17 + check_character(first17)


def _xlsx(columns, rows) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(list(columns))
    for row in rows:
        ws.append(list(row))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _city_rows(city: City, year: int, *, unlisted: set[str]):
    """The city's demo list: its demo enterprises and parks with accounts (except `unlisted`), and
    a few units without accounts."""
    rows = []
    for org in Organisation.objects.filter(city=city, kind=OrganisationKind.ENTERPRISE).select_related(
        "enterprise", "county"
    ):
        if org.name in unlisted:
            continue
        rows.append(
            (
                org.name,
                org.enterprise.credit_code,
                org.county.name,
                "工厂",
                org.enterprise.industry_class,
                year - 1,
            )
        )
    for org in Organisation.objects.filter(city=city, kind=OrganisationKind.PARK).select_related(
        "park", "county"
    ):
        rows.append(
            (
                org.name,
                "",
                org.county.name if org.county_id else "",
                "园区",
                org.park.get_park_type_display(),
                year - 1,
            )
        )
    counties = list(city.counties.order_by("code")[:4])
    short = city.name.removesuffix("市")
    for n, county in enumerate(counties):
        sector = SECTORS[(n + city.position) % len(SECTORS)]
        rows.append(
            (
                f"{short}{county.name.removesuffix('区').removesuffix('县').removesuffix('市')}{sector}有限公司",
                _code(f"{county.code}L{n:02d}"),
                county.name,
                "工厂",
                CLASSES[(n + city.position) % len(CLASSES)],
                year - 1 - n % 3,
            )
        )
    rows.append(
        (f"{short}绿色低碳产业园", "", counties[0].name if counties else "", "园区", "省级开发区", year - 2)
    )
    return [(n, *row) for n, row in enumerate(rows, start=1)]


def load_demo_lists(year: int, *, unlisted: set[str]) -> None:
    """Idempotent: a city that has reported for `year` is left alone."""
    for city in City.objects.order_by("position"):
        if ListEntry.objects.filter(tier=Tier.CITY, city=city).exists():
            continue
        bureau = User.objects.get(username=f"city-{city.code}")
        city_list_import(
            city=city,
            year=year,
            data=_xlsx(CITY_COLUMNS, _city_rows(city, year, unlisted=unlisted)),
            file_name=f"{city.name}{year}年度市级绿色低碳工业园区及工厂名单.xlsx",
            by=bureau,
        )
    province = User.objects.get(username="province")
    if not ListEntry.objects.filter(tier=Tier.PROVINCIAL).exists():
        _provincial_entries(province)
    if not ListEntry.objects.filter(tier=Tier.NATIONAL).exists():
        national = [
            (
                1,
                "杭州钱江绿色精密制造有限公司",
                _code("330106N01"),
                "杭州市西湖区",
                "通用设备制造业",
                "第七批（2022年）",
            ),
            (2, "宁波北仑绿色汽车部件有限公司", _code("330206N02"), "宁波市北仑区", "汽车制造业", "2023年"),
            (3, "温州瓯江低碳电气有限公司", "", "温州市", "电气机械和器材制造业", "2023"),
            # Also on the provincial list (below): not brought under provincial management again.
            (4, "嘉兴南湖绿色纺织有限公司", _code("330402P01"), "嘉兴市南湖区", "纺织业", "2022年"),
        ]
        national_list_import(
            kind=UnitKind.FACTORY,
            year=timezone.localdate().year,
            data=_xlsx(NATIONAL_COLUMNS, national),
            file_name="国家级绿色工厂名单（浙江）.xlsx",
            by=province,
        )


def _provincial_entries(province) -> None:
    """Provincial entries published by earlier batches (浙经信绿色〔2024〕…), as joint
    publication writes them."""
    units = [
        (
            "嘉兴南湖绿色纺织有限公司",
            _code("330402P01"),
            "330400",
            "330402",
            "1711",
            2023,
            "浙经信绿色〔2023〕150号",
        ),
        (
            "绍兴柯桥低碳印染有限公司",
            _code("330603P02"),
            "330600",
            "330603",
            "1713",
            2024,
            "浙经信绿色〔2024〕160号",
        ),
        (
            "台州椒江绿色医药有限公司",
            _code("331002P03"),
            "331000",
            "331002",
            "2710",
            2024,
            "浙经信绿色〔2024〕160号",
        ),
    ]
    now = timezone.now()
    for name, code, city, county, industry, year, source in units:
        entry = ListEntry.objects.create(
            tier=Tier.PROVINCIAL,
            kind=UnitKind.FACTORY,
            unit_name=name,
            credit_code=code,
            city_id=city,
            county_id=county,
            industry_class=industry,
            year=year,
            source=source,
            created_at=now,
            created_by=province,
        )
        EntryChange.objects.create(
            entry=entry,
            action=EntryChange.Action.ADDED,
            actor=province,
            actor_organisation=province.organisation.name,
            reason=source,
        )
