"""Migration publicity 0005 moves the evidence an objection carried on its own row into the
versioned PDF store (ObjectionEvidence), the file staying where it is."""

import hashlib

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from publicity.models import Objection, ObjectionEvidence
from publicity.services import objection_file
from tests import factories as f

BEFORE = [("publicity", "0004_objection_evidence_versioned")]


def _migrate(target):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(target)
    return executor.loader.project_state(target).apps


@pytest.mark.django_db(transaction=True)
def test_existing_evidence_moves_into_the_versioned_store(world):
    app = world.under_review(name="被异议企业")
    f.publicity_round([app])
    objection = objection_file(
        application_pk=app.pk, name="张三", contact="138", facts="事实", ip_address="10.0.0.1"
    )
    without = objection_file(
        application_pk=app.pk, name="李四", contact="139", facts="事实", ip_address="10.0.0.2"
    )
    pdf = f.pdf_bytes(2)
    name = default_storage.save(f"objections/{app.batch.year}/0123abcd.pdf", ContentFile(pdf))

    old = _migrate(BEFORE)
    old.get_model("publicity", "Objection").objects.filter(pk=objection.pk).update(
        evidence=name,
        evidence_stored_name="0123abcd.pdf",
        evidence_original_name="证据.pdf",
        evidence_size=len(pdf),
        evidence_sha256=hashlib.sha256(pdf).hexdigest(),
        evidence_pages=2,
    )
    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    moved = ObjectionEvidence.objects.get()
    assert moved.objection_id == objection.pk and moved.version == 1 and moved.kind == "evidence"
    assert (moved.original_name, moved.size, moved.page_count) == ("证据.pdf", len(pdf), 2)
    assert moved.sha256 == hashlib.sha256(pdf).hexdigest() and moved.stored_name == "0123abcd.pdf"
    assert moved.file.name == name and moved.file.read() == pdf
    assert moved.uploaded_at == Objection.objects.get(pk=objection.pk).filed_at
    assert Objection.objects.get(pk=without.pk).evidence is None
    default_storage.delete(name)
