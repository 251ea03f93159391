"""What the database itself keeps: one active entry per unit per tier; history append-only."""

import pytest
from django.db import IntegrityError, connection, transaction

from lists.models import EntryChange, ListEntry

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
