"""The provincial list: joint publication writes an entry for every published unit in its own
transaction (通知 二(四)); units published before the lists existed are back-filled."""

import importlib

import pytest
from django.apps import apps as django_apps
from django.db import IntegrityError

from lists.models import ListEntry
from publicity.models import Publication
from publicity.services import publication_publish
from tests import factories as f
from tests.experts.conftest import ProvinceWorld


@pytest.fixture
def world(db):
    return ProvinceWorld()


def test_publication_writes_a_provincial_entry_for_every_published_unit(world, time_machine):
    factory = world.under_review(name="公布工厂")
    park = world.under_review("park", name="公布园区")
    f.after_publicity(time_machine, f.publicity_round([factory, park]))
    publication = publication_publish(
        batch=world.batch, by=world.users["province"], document_number="浙经信绿色〔2025〕99号"
    )
    entries = {e.unit_name: e for e in ListEntry.objects.filter(tier="provincial")}
    assert set(entries) == {"公布工厂", "公布园区"}
    e = entries["公布工厂"]
    assert (e.kind, e.credit_code, e.city_id, e.county_id, e.year, e.source, e.status, e.organisation_id) == (
        "factory",
        factory.unit.enterprise.credit_code,
        "330100",
        "330106",
        world.batch.year,
        publication.document_number,
        "active",
        factory.unit_id,
    )
    p = entries["公布园区"]
    assert (p.kind, p.credit_code, p.park_type) == ("park", "", park.unit.park.park_type)
    # The public page shows them, by city.
    from django.test import Client

    page = Client().get("/lists/public/").content.decode()
    assert "公布工厂" in page and "公布园区" in page


def test_publication_without_a_document_number_cites_the_notice(world, time_machine):
    app = world.under_review(name="无文号工厂")
    f.after_publicity(time_machine, f.publicity_round([app]))
    publication_publish(batch=world.batch, by=world.users["province"])
    assert ListEntry.objects.get(tier="provincial").source == world.batch.notice_number


def test_a_failed_list_write_undoes_the_publication(world, monkeypatch, time_machine):
    """One transaction: if the provincial list cannot be written, nothing is published."""
    app = world.under_review(name="回滚工厂")
    f.after_publicity(time_machine, f.publicity_round([app]))

    def fail(*args, **kwargs):
        raise IntegrityError("simulated failure writing the provincial list")

    monkeypatch.setattr("lists.services.EntryChange.objects.bulk_append", fail)
    with pytest.raises(IntegrityError):
        publication_publish(batch=world.batch, by=world.users["province"])
    app.refresh_from_db()
    assert app.state == "publicity"
    assert not Publication.objects.exists() and not ListEntry.objects.filter(tier="provincial").exists()


def test_a_unit_already_on_the_provincial_list_keeps_its_entry(world, time_machine):
    app = world.under_review(name="已在省级名单工厂")
    earlier = ListEntry.objects.create(
        tier="provincial",
        kind="factory",
        unit_name=app.unit.name,
        credit_code=app.unit.enterprise.credit_code,
        city_id="330100",
        year=2023,
        source="浙经信绿色〔2023〕1号",
    )
    f.after_publicity(time_machine, f.publicity_round([app]))
    publication_publish(batch=world.batch, by=world.users["province"])
    assert list(ListEntry.objects.filter(tier="provincial")) == [earlier]


def test_the_data_migration_backfills_units_published_before_the_lists(world, monkeypatch, time_machine):
    app = world.under_review(name="早先公布工厂")
    f.after_publicity(time_machine, f.publicity_round([app]))
    # As before this change: published, and no provincial entry written.
    monkeypatch.setattr("publicity.services.provincial_entries_write", lambda **kwargs: [])
    publication_publish(batch=world.batch, by=world.users["province"], document_number="浙经信〔2024〕1号")
    assert not ListEntry.objects.filter(tier="provincial").exists()
    migration = importlib.import_module("publicity.migrations.0008_backfill_provincial_list_entries")
    migration.backfill(django_apps, None)
    migration.backfill(django_apps, None)  # idempotent
    entry = ListEntry.objects.get(tier="provincial")
    assert (entry.unit_name, entry.source, entry.year, entry.organisation_id) == (
        "早先公布工厂",
        "浙经信〔2024〕1号",
        world.batch.year,
        app.unit_id,
    )
    assert entry.unit_key == f"uscc:{app.unit.enterprise.credit_code}"
