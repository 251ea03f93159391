"""How numbers and sizes read (greenmfg/templatetags/formatting.py), in Chinese and English."""

from decimal import Decimal

import pytest
from django.utils import translation

from greenmfg.templatetags.formatting import filesize, number


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1250000, "1,250,000"),
        (Decimal("88.0"), "88"),
        (88.5, "88.5"),
        (Decimal("12.50"), "12.5"),
        (None, "—"),
    ],
)
def test_numbers_have_separators_and_no_trailing_zero(value, expected):
    with translation.override("zh-hans"):
        assert number(value) == expected


@pytest.mark.parametrize(
    ("size", "expected"), [(50 * 2**20, "50 MB"), (1536 * 1024, "1.5 MB"), (2048, "2 KB")]
)
def test_sizes_read_in_the_unit_that_suits_them(size, expected):
    assert filesize(size) == expected


def test_the_expert_score_reads_without_a_trailing_zero(db, client):
    from django.template import Context, Template

    html = Template("{% load formatting %}{{ s|number }}分").render(Context({"s": Decimal("88.0")}))
    assert html == "88分"


def test_places_show_their_code_in_english_and_only_the_name_in_chinese(db):
    from reference.models import City, County

    county = County.objects.get(code="330106")
    with translation.override("en"):
        assert str(county) == "西湖区 (330106)" and str(City.objects.get(code="330100")) == "杭州市 (330100)"
    with translation.override("zh-hans"):
        assert str(county) == "西湖区"
