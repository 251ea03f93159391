"""Reading the reference CSVs in fixtures/ into the database.

Used by the data migration (with historical models) and by the test suite, which reloads it after
transactional tests flush the tables."""

import csv
from pathlib import Path

from . import models

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def read(name: str) -> list[dict]:
    with open(FIXTURES / name, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def load(City, County, IndustryDivision) -> None:
    # Annex 1 lists the cities in the notice's order; every table we print keeps it.
    order = [row["city_code"] for row in read("quota_2025.csv")]
    divisions = read("zhejiang_divisions.csv")
    cities = {}
    for row in divisions:
        cities.setdefault(row["city_code"], row["city_name"])
    City.objects.bulk_create(
        City(code=code, name=name, position=order.index(code) + 1 if code in order else 99)
        for code, name in cities.items()
    )
    County.objects.bulk_create(
        County(
            code=row["county_code"],
            name=row["county_name"],
            city_id=row["city_code"],
            kind=row["county_kind"],
        )
        for row in divisions
    )
    IndustryDivision.objects.bulk_create(
        IndustryDivision(code=row["division_code"], name=row["division_name"])
        for row in read("gbt4754_2017_manufacturing_divisions.csv")
    )


def ensure_loaded() -> None:
    if not models.City.objects.exists():
        load(models.City, models.County, models.IndustryDivision)
