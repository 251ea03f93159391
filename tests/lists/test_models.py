"""What the database itself keeps: one active entry per unit per tier; history append-only."""

import pytest
from django.db import IntegrityError, connection, transaction

from accounts.models import Enterprise, Organisation
from lists.models import EntryChange, ListEntry, organisation_key, unit_key
from tests import factories as f

from .conftest import code


def make(**fields):
    values = {
        "tier": "city",
        "kind": "factory",
        "unit_name": "甲",
        "credit_code": code(1),
        "city_id": "330100",
        "year": 2024,
        "source": "s",
    }
    return ListEntry.objects.create(**{**values, **fields})


def test_at_most_one_active_entry_per_unit_and_tier(lw):
    make()
    make(tier="national")  # another tier is fine
    make(status="ended", ended_at="2025-01-01T00:00:00Z")  # so is an ended one
    with pytest.raises(IntegrityError), transaction.atomic():
        make(unit_name="甲（更名）")  # same credit code: the same unit
    park = make(kind="park", credit_code="", unit_name="某 园区")
    assert park.unit_key == "name:330100:某园区"
    with pytest.raises(IntegrityError), transaction.atomic():
        make(kind="park", credit_code="", unit_name="某园区")


def test_entry_history_is_append_only_in_the_database(lw):
    change = EntryChange.objects.create(entry=make(), action="added")
    with pytest.raises(TypeError):
        change.save()
    with pytest.raises(Exception, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE lists_entrychange SET reason = 'x' WHERE id = %s", [change.pk])


def test_a_factory_is_known_by_its_credit_code_and_a_park_or_a_codeless_factory_by_name_in_its_city():
    """Who an entry is about: the credit code where a factory has one; otherwise (parks, and
    factories the national list names without a code) the name within the city."""
    assert unit_key(kind="factory", credit_code=code(1), city_id="330100", name="甲") == f"uscc:{code(1)}"
    assert unit_key(kind="factory", credit_code="", city_id="330100", name="甲 厂") == "name:330100:甲厂"
    assert unit_key(kind="park", credit_code=code(1), city_id="330100", name="乙园区") == "name:330100:乙园区"


def test_an_enterprise_without_a_credit_code_matches_no_entry(db):
    org = f.enterprise("330106", green=False)
    assert organisation_key(org) == f"uscc:{org.enterprise.credit_code}"
    Enterprise.objects.filter(pk=org.enterprise.pk).update(credit_code="")
    org = Organisation.objects.get(pk=org.pk)
    assert organisation_key(org) is None


def test_only_applying_units_have_entries_a_bureau_of_a_city_has_none(db):
    assert organisation_key(f.park("330100", name="丙园区")) == "name:330100:丙园区"
    assert organisation_key(f.city_bureau("330100")) is None
    assert organisation_key(f.county_bureau("330106")) is None
