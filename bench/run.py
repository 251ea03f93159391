"""Benchmarks on PostgreSQL (`make bench`): how long the hot paths take at realistic sizes.

Runs against the throwaway cluster of scripts/with-postgres.sh: migrates an empty database, builds
data through the real services, times each case a few rounds and prints the median. Speed is
measured here, never asserted in tests.
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "greenmfg.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402

ROUNDS = 5


def measure(label, fn, rounds=ROUNDS):
    settings.DEBUG = True
    times, queries = [], []
    for _ in range(rounds):
        reset_queries()
        start = time.perf_counter()
        response = fn()
        assert getattr(response, "status_code", 200) == 200, (label, response.status_code)
        times.append(time.perf_counter() - start)
        queries.append(len(connection.queries))
    print(f"{label:<60} {statistics.median(times) * 1000:8.1f} ms  {max(queries):4d} queries")


def main():
    call_command("migrate", verbosity=0)
    from tests import factories as f

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.ALLOWED_HOSTS = ["testserver"]
    batch = f.batch(quotas={code: 500 for code in f.City.objects.values_list("code", flat=True)})
    county_user = f.user_of(f.county_bureau("330106"))
    province_user = f.user_of(f.province())
    sizes = [int(s) for s in os.environ.get("BENCH_SIZES", "50,200").split(",")]
    made = 0
    print(f"PostgreSQL {connection.pg_version}; rounds per case: {ROUNDS}")
    for size in sizes:
        while made < size:
            app = f.application(f.enterprise("330106"), batch)
            f.advance(app, "county_review")
            made += 1
        for user, who in ((county_user, "county bureau"), (province_user, "province")):
            client = Client()
            client.force_login(user)
            measure(f"home page, {who}, {size} applications", lambda c=client: c.get("/"))
            measure(f"API list, {who}, {size} applications", lambda c=client: c.get("/api/v1/applications/"))
        county = Client()
        county.force_login(county_user)
        measure(f"county review queue, {size} applications", lambda c=county: c.get("/reviews/queue/"))

    city_user = f.user_of(f.city_bureau("330100"))
    province = Client()
    province.force_login(province_user)
    measure(f"province dashboard, {made} applications", lambda: province.get("/dashboard/"))

    # The city's documents: recommend a few factories, then build the letter and Annex 2.
    from exports.annex2 import annex2_xlsx
    from exports.letter import recommendation_letter_pdf
    from reviews.selectors import submission_applications, submission_counts
    from reviews.services import city_submission_open

    for _ in range(20):
        f.advance(f.application(f.enterprise("330106"), batch), "recommended")
    submission = city_submission_open(batch=batch, by=city_user)
    units, counts = submission_applications(submission), submission_counts(submission)
    measure(
        "recommendation letter PDF, 20 units (WeasyPrint)",
        lambda: recommendation_letter_pdf(submission, units=units, counts=counts),
    )
    measure("Annex 2 xlsx, 20 units (openpyxl)", lambda: annex2_xlsx(submission, units))

    def one_transition():
        app = f.application(f.enterprise("330106"), batch)
        f.advance(app, "county_review")

    measure("create + upload + submit one application", one_transition)

    # The city's year-end list (lists/): a 5,000-row upload read, checked and previewed, then the
    # province's list page over it.
    from openpyxl import Workbook

    from lists.services import city_list_import
    from lists.xlsx import CITY_COLUMNS

    wb = Workbook()
    wb.active.append(list(CITY_COLUMNS))
    for n in range(1, 5001):
        wb.active.append([n, f"名单企业{n}有限公司", f.credit_code(), "西湖区", "工厂", "3311", 2024])
    import io

    buf = io.BytesIO()
    wb.save(buf)
    hz = f.City.objects.get(code="330100")

    def upload(dry_run=True):
        return city_list_import(
            city=hz, year=batch.year, data=buf.getvalue(), file_name="b.xlsx", by=city_user, dry_run=dry_run
        )

    measure("city list 5,000 rows: read, check, preview", upload, rounds=3)
    upload(dry_run=False)
    measure("lists page, province, 5,000 entries", lambda: province.get("/lists/"))


if __name__ == "__main__":
    main()
