"""The public pages' change stamp (publicity.models.PublicPagesStamp) and the triggers that move it.

Each trigger below fires, in the writing transaction, on a write that can alter what a public page
(publicity/public_cache.py: the units in publicity today, a publication's list, their searches)
shows: which units are public and in which order, and every column their rows print or are
searched by. Writes that cannot (a draft saved, a county's review) leave the stamp alone, so the
one row is not a point every write of the portal waits on. PostgreSQL only: elsewhere (SQLite in
development) nothing is cached (public_cache.stamp returns None).

A table or column the public pages start to read needs its trigger here, in a new migration.
"""

import uuid

import django.utils.timezone
from django.db import migrations, models

PUBLIC_STATES = "('publicity', 'published')"

# (table, operation, WHEN condition or "")
TRIGGERS = [
    # Which units are public, their period, kind, city, batch, industry: any write to a unit that
    # is, or was, in publicity or published.
    ("applications_application", "INSERT", f"NEW.state IN {PUBLIC_STATES}"),
    ("applications_application", "UPDATE", f"OLD.state IN {PUBLIC_STATES} OR NEW.state IN {PUBLIC_STATES}"),
    ("applications_application", "DELETE", f"OLD.state IN {PUBLIC_STATES}"),
    # A unit's name (printed, sorted and searched by), a factory's credit code (searched by), a
    # park's type (printed).
    ("accounts_organisation", "UPDATE", "OLD.name IS DISTINCT FROM NEW.name"),
    ("accounts_organisation", "DELETE", ""),
    ("accounts_enterprise", "UPDATE", "OLD.credit_code IS DISTINCT FROM NEW.credit_code"),
    ("accounts_enterprise", "DELETE", ""),
    ("accounts_park", "UPDATE", "OLD.park_type IS DISTINCT FROM NEW.park_type"),
    ("accounts_park", "DELETE", ""),
    # Reference data printed or sorted by (a city's name and order, an industry division's name).
    ("reference_city", "INSERT OR UPDATE OR DELETE", ""),
    ("reference_industrydivision", "INSERT OR UPDATE OR DELETE", ""),
    # The batch: its year, notice number, objection contact, joint departments.
    ("quotas_batch", "UPDATE OR DELETE", ""),
    # Publications, their entries and adjustment lists.
    ("publicity_publication", "INSERT OR UPDATE OR DELETE", ""),
    ("publicity_publicationentry", "INSERT OR UPDATE OR DELETE", ""),
    ("publicity_publicationadjustment", "INSERT OR UPDATE OR DELETE", ""),
    # A published adjustment prints its form's city, kind and decision.
    (
        "dynamic_dynamicform",
        "UPDATE",
        "(OLD.city_id, OLD.kind, OLD.decision) IS DISTINCT FROM (NEW.city_id, NEW.kind, NEW.decision)",
    ),
]


def _name(table, operation):
    return f"public_pages_{table}_{operation.split()[0].lower() if ' OR ' not in operation else 'write'}"


FUNCTION = """
CREATE OR REPLACE FUNCTION public_pages_changed() RETURNS trigger AS $$
BEGIN
    UPDATE publicity_publicpagesstamp SET token = gen_random_uuid(), changed_at = now();
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
"""


def create_triggers(apps, schema_editor):
    Stamp = apps.get_model("publicity", "PublicPagesStamp")
    Stamp.objects.create(pk=1)
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTION, params=None)
    for table, operation, when in TRIGGERS:
        schema_editor.execute(
            f"CREATE TRIGGER {_name(table, operation)} AFTER {operation} ON {table} FOR EACH ROW "
            f"{f'WHEN ({when}) ' if when else ''}EXECUTE FUNCTION public_pages_changed()",
            params=None,
        )


def drop_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, operation, _when in TRIGGERS:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {_name(table, operation)} ON {table}", params=None)
    schema_editor.execute("DROP FUNCTION IF EXISTS public_pages_changed()", params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("publicity", "0009_publication_adjustments"),
        ("accounts", "0007_history_hash_chain"),
        ("applications", "0007_application_application_in_publicity"),
        ("dynamic", "0004_form_assessor"),
        ("quotas", "0010_batch_working_day_calendar"),
        ("reference", "0002_load_reference_data"),
    ]

    operations = [
        migrations.CreateModel(
            name="PublicPagesStamp",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("token", models.UUIDField(default=uuid.uuid4)),
                ("changed_at", models.DateTimeField(default=django.utils.timezone.now)),
            ],
            options={"verbose_name": "公开页面版本", "verbose_name_plural": "公开页面版本"},
        ),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
