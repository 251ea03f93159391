"""Load the cities, counties and manufacturing divisions from fixtures/*.csv (copied from the
province's reference data; see fixtures/README.md)."""

import csv
from pathlib import Path

from django.db import migrations

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"


def read(name):
    with open(FIXTURES / name, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def load(apps, schema_editor):
    City = apps.get_model("reference", "City")
    County = apps.get_model("reference", "County")
    IndustryDivision = apps.get_model("reference", "IndustryDivision")

    # Annex 1 lists the cities in the notice's order; keep it for every table we print.
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
        County(code=row["county_code"], name=row["county_name"], city_id=row["city_code"], kind=row["county_kind"])
        for row in divisions
    )
    IndustryDivision.objects.bulk_create(
        IndustryDivision(code=row["division_code"], name=row["division_name"])
        for row in read("gbt4754_2017_manufacturing_divisions.csv")
    )


def unload(apps, schema_editor):
    apps.get_model("reference", "County").objects.all().delete()
    apps.get_model("reference", "City").objects.all().delete()
    apps.get_model("reference", "IndustryDivision").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("reference", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
