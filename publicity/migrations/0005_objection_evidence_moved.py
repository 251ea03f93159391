"""Move each objection's evidence into the versioned PDF store (ObjectionEvidence, version 1).

The file stays where it is (objections/<year>/<generated name>); only the row that describes it
moves, with the objection's filing time as its upload time. Reversible."""

from django.db import migrations


def forward(apps, schema_editor):
    Objection = apps.get_model("publicity", "Objection")
    ObjectionEvidence = apps.get_model("publicity", "ObjectionEvidence")
    for objection in Objection.objects.exclude(evidence="").exclude(evidence__isnull=True).iterator():
        evidence = ObjectionEvidence.objects.create(
            objection=objection,
            kind="evidence",
            version=1,
            stored_name=objection.evidence_stored_name,
            original_name=objection.evidence_original_name,
            size=objection.evidence_size or 0,
            sha256=objection.evidence_sha256,
            page_count=objection.evidence_pages or 0,
            uploaded_by=None,
            file=objection.evidence.name,
        )
        ObjectionEvidence.objects.filter(pk=evidence.pk).update(uploaded_at=objection.filed_at)


def backward(apps, schema_editor):
    Objection = apps.get_model("publicity", "Objection")
    ObjectionEvidence = apps.get_model("publicity", "ObjectionEvidence")
    for evidence in ObjectionEvidence.objects.order_by("objection_id", "-version").iterator():
        Objection.objects.filter(pk=evidence.objection_id, evidence="").update(
            evidence=evidence.file.name,
            evidence_stored_name=evidence.stored_name,
            evidence_original_name=evidence.original_name,
            evidence_size=evidence.size,
            evidence_sha256=evidence.sha256,
            evidence_pages=evidence.page_count,
        )
    ObjectionEvidence.objects.all().delete()


class Migration(migrations.Migration):

    dependencies = [
        ('publicity', '0004_objection_evidence_versioned'),
    ]

    operations = [
        migrations.RunPython(forward, backward),
    ]
