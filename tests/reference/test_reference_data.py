import csv
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from reference.models import City, County, IndustryDivision, validate_industry_class

pytestmark = pytest.mark.django_db
FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"


def test_eleven_cities_in_the_notices_order():
    assert City.objects.count() == 11
    assert list(City.objects.values_list("name", flat=True)) == [
        "杭州市",
        "宁波市",
        "温州市",
        "湖州市",
        "嘉兴市",
        "绍兴市",
        "金华市",
        "衢州市",
        "舟山市",
        "台州市",
        "丽水市",
    ]


def test_ninety_counties_by_kind():
    assert County.objects.count() == 90
    assert County.objects.filter(kind="district").count() == 37
    assert County.objects.filter(kind="county_city").count() == 20
    assert County.objects.filter(kind="county").count() == 33


def test_statistical_code_330371_is_not_a_division():
    assert not County.objects.filter(code="330371").exists()


def test_every_county_belongs_to_its_city_code_prefix():
    for county in County.objects.all():
        assert county.code[:4] == county.city_id[:4]


def test_manufacturing_divisions_13_to_43():
    codes = list(IndustryDivision.objects.values_list("code", flat=True))
    assert codes == [str(n) for n in range(13, 44)]


def test_reference_data_matches_the_copied_csv():
    with open(FIXTURES / "zhejiang_divisions.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert {r["county_code"]: r["county_name"] for r in rows} == dict(
        County.objects.values_list("code", "name")
    )


@pytest.mark.parametrize("value", ["3311", "1311", "4390"])
def test_industry_class_in_a_manufacturing_division_is_accepted(value):
    validate_industry_class(value)


@pytest.mark.parametrize("value", ["0511", "4411", "331", "33A1", "33111", ""])
def test_industry_class_outside_manufacturing_is_refused(value):
    with pytest.raises(ValidationError):
        validate_industry_class(value)
