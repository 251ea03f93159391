"""Search by unit name (the review queue's and the public pages' search box) uses
`UPPER(name) LIKE '%…%'` (Django's icontains). On PostgreSQL a trigram index (pg_trgm, a trusted
extension the database owner may create) answers it without reading every organisation; SQLite
(`make run`) keeps the plain scan."""

from django.db import migrations

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS organisation_name_trgm ON accounts_organisation USING gin (UPPER(name) gin_trgm_ops)",
]
BACKWARD = ["DROP INDEX IF EXISTS organisation_name_trgm"]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for sql in statements:
                schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_park_is_city_green_park")]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD))]
