import csv
import datetime
from pathlib import Path

import pytest

from quotas.models import Batch
from quotas.services import batch_load_file

pytestmark = pytest.mark.django_db
FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"


def load():
    return batch_load_file(FIXTURES / "batch_2025.json")


def test_2025_batch_carries_the_notices_numbers():
    batch = load()
    assert batch.notice_number == "浙经信绿色便函〔2025〕58号"
    assert batch.assessor_cap == 10
    assert batch.park_quota is None
    assert batch.city_submission_deadline == datetime.date(2025, 6, 30)
    assert batch.city_list_deadline == datetime.date(2025, 12, 31)
    assert batch.joint_departments == ["浙江省经济和信息化厅", "浙江省发展和改革委员会", "浙江省生态环境厅"]


def test_annex_1_quotas_total_200_over_11_cities_as_in_the_csv():
    batch = load()
    with open(FIXTURES / "quota_2025.csv", encoding="utf-8") as fh:
        expected = {r["city_code"]: int(r["factory_quota"]) for r in csv.DictReader(fh)}
    got = dict(batch.quotas.values_list("city_id", "factory_quota"))
    assert got == expected
    assert sum(got.values()) == 200
    assert len(got) == 11


def test_loading_twice_updates_rather_than_duplicates():
    load()
    load()
    assert Batch.objects.filter(year=2025).count() == 1
    assert Batch.objects.get(year=2025).quotas.count() == 11


def test_extension_moves_only_that_citys_deadline(django_user_model):
    from quotas.models import DeadlineExtension

    batch = load()
    officer = django_user_model.objects.create(username="officer")
    DeadlineExtension.objects.create(
        batch=batch, city_id="330900", deadline=datetime.date(2025, 7, 10), reason="台风", granted_by=officer
    )
    batch = Batch.objects.prefetch_related("extensions").get(pk=batch.pk)
    assert batch.submission_deadline_for("330900") == datetime.date(2025, 7, 10)
    assert batch.submission_deadline_for("330100") == datetime.date(2025, 6, 30)
    assert batch.is_before_city_deadline("330900", today=datetime.date(2025, 7, 10))
    assert not batch.is_before_city_deadline("330100", today=datetime.date(2025, 7, 1))
    assert batch.is_before_city_deadline("330100", today=datetime.date(2025, 6, 30))
