"""Units published before the lists existed get their provincial entry (省级名单): one per
published application, with the batch's year and the publication's 文号 (else the notice's),
as joint publication writes them from now on. Idempotent: a unit with an active provincial
entry is left alone."""

import re

from django.db import migrations


def _name(name):
    name = re.sub(r"\s+", "", name or "")
    return name.replace("（", "(").replace("）", ")")


def backfill(apps, schema_editor):
    Application = apps.get_model("applications", "Application")
    PublicationEntry = apps.get_model("publicity", "PublicationEntry")
    ListEntry = apps.get_model("lists", "ListEntry")
    EntryChange = apps.get_model("lists", "EntryChange")
    documents = {
        pe.application_id: pe.publication.document_number
        for pe in PublicationEntry.objects.select_related("publication")
    }
    active = set(ListEntry.objects.filter(tier="provincial", status="active").values_list("unit_key", flat=True))
    for a in Application.objects.filter(state="published").select_related("unit", "batch").order_by("pk"):
        org = a.unit
        if a.kind == "factory":
            credit_code = org.enterprise.credit_code
            key = f"uscc:{credit_code}"
            park_type = ""
        else:
            credit_code = ""
            key = f"name:{a.city_id}:{_name(org.name)}"
            park_type = org.park.park_type
        if key in active:
            continue
        active.add(key)
        source = documents.get(a.pk) or a.batch.notice_number
        entry = ListEntry.objects.create(
            tier="provincial",
            kind=a.kind,
            unit_name=org.name,
            credit_code=credit_code,
            unit_key=key,
            organisation=org,
            city_id=a.city_id,
            county_id=a.county_id,
            industry_class=a.industry_class if a.kind == "factory" else "",
            park_type=park_type,
            year=a.batch.year,
            source=source[:120],
        )
        EntryChange.objects.create(entry=entry, action="added", reason=f"{source}（补录）"[:200])


class Migration(migrations.Migration):
    dependencies = [
        ("publicity", "0003_objection_log_actor_organisation"),
        ("lists", "0002_list_history_append_only"),
        ("applications", "0002_history_append_only"),
    ]
    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
