"""Benchmarks on PostgreSQL (`make bench`): every hot path against its floor, at several sizes.

Runs against the throwaway cluster of scripts/with-postgres.sh. Builds a core through the real
services and grows it in bulk to each size of BENCH_SIZES (default 1000,10000,100000; bench/data.py),
then measures every case interleaved with its floor:

- pages and API lists: the floor view (bench/urls.py: session, user, one 30-row query by primary
  key) in the same client, signed in as the same user (anonymous for public pages);
- exports: the raw library on the same rows (openpyxl write-only) or the same HTML (WeasyPrint).

Medians of BENCH_ROUNDS (default 7) rounds. Prints a table and writes var/bench/results.json
({"machine", "cases": [{"case", "size", "ms", "floor_ms", "ratio", "queries"}]}) and
var/bench/results.md (the table bench/README.md shows). Speed is measured here, never in tests.
"""

import io
import json
import os
import platform
import re
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
os.environ.setdefault("GREENMFG_INSECURE_DEV_KEY", "1")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "7"))
# Only the cases whose name matches this regular expression (re.search), e.g. "public|queue": one
# case measured alone while working on it. The data is built in full either way.
CASES = re.compile(os.environ.get("BENCH_CASES", ""))
OUT = ROOT / "var" / "bench"


def machine() -> str:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    pg = connection.cursor().connection.info.server_version
    return (
        f"{platform.node()} · {cpu or platform.processor()} · {os.cpu_count()} cores · "
        f"Python {platform.python_version()} · PostgreSQL {pg // 10000}.{pg % 10000}"
    )


def _body(response) -> bytes:
    assert response.status_code == 200, response.status_code
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


class Case:
    def __init__(self, name, run, floor, *, count=None, floor_rounds=None, once=False):
        self.name, self.run, self.floor = name, run, floor
        # A case whose cost does not depend on the number of applications is measured at the
        # first size only.
        self.once = once
        self.count = count or run
        # A floor far costlier than its case (WeasyPrint drawing the whole notice, which is served
        # from storage) is timed once, not every round: the bench must finish in minutes.
        self.floor_rounds = floor_rounds or ROUNDS


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return (time.perf_counter() - start) * 1000


def groups(cases: list[Case]) -> list[list[Case]]:
    """Consecutive cases with the same floor (one object: the same document downloaded and drawn
    afresh, against one raw-library run on the same rows) are measured together: each round times
    the floor once and then each of them, so a costly floor is not paid twice."""
    out: list[list[Case]] = []
    for case in cases:
        if out and out[-1][0].floor is case.floor:
            out[-1].append(case)
        else:
            out.append([case])
    return out


def measure(group: list[Case], size: int) -> list[dict]:
    """Medians of ROUNDS rounds, each round: the floor, then every case of `group` (one case
    unless several share their floor). The first call of each is a warm-up, not timed."""
    first = group[0]
    for case in group:
        case.run()  # warm
    if first.floor_rounds == ROUNDS:
        first.floor()
    ms = [[] for _ in group]
    floor_ms = []
    for i in range(ROUNDS):
        if i < first.floor_rounds:
            floor_ms.append(timed(first.floor))
        for times, case in zip(ms, group, strict=True):
            times.append(timed(case.run))
    fl = statistics.median(floor_ms)
    rows = []
    for times, case in zip(ms, group, strict=True):
        with CaptureQueriesContext(connection) as ctx:
            case.count()
        m = statistics.median(times)
        row = {
            "case": case.name,
            "size": size,
            "ms": round(m, 2),
            "floor_ms": round(fl, 2),
            "ratio": round(m / fl, 2),
            "queries": len(ctx.captured_queries),
            # The machine's 1-minute load average when the case finished: on a shared machine the
            # ratios move with it.
            "load": round(os.getloadavg()[0], 1),
        }
        print(
            f"{case.name:<52} {size:>7} {m:9.1f} {fl:8.1f} {m / fl:7.1f} "
            f"{row['queries']:5d} {row['load']:5.1f}",
            flush=True,
        )
        rows.append(row)
    return rows


# --- raw library floors ------------------------------------------------------------------------


def raw_openpyxl(sheets: list[tuple[str, list[list]]]) -> bytes:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    for title, rows in sheets:
        ws = wb.create_sheet(title[:31])
        for row in rows:
            ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _annex2_sheet_rows(parks, factories) -> list[list]:
    rows = [["序号", "园区名称", "第三方机构名称(如有)", "类型", "是否列入市绿色制造名单"]]
    rows += [[n, r.name, r.assessor, r.category, r.on_city_list] for n, r in enumerate(parks, 1)]
    rows += [["序号", "企业名称", "第三方机构名称(如有)", "行业", "是否列入市绿色制造名单"]]
    rows += [[n, r.name, r.assessor, r.category, r.on_city_list] for n, r in enumerate(factories, 1)]
    return rows


def raw_weasyprint(html: str):
    from django.contrib.staticfiles import finders
    from weasyprint import CSS, HTML

    css = CSS(filename=finders.find("css/print.css"))
    return lambda: HTML(string=html).write_pdf(stylesheets=[css])


# --- the cases ---------------------------------------------------------------------------------


def cases(core) -> list[Case]:

    from applications.models import Application
    from dashboard.selectors import recommended_to_province
    from exports.annex2 import annex2_rows_for, province_annex2_cities
    from exports.letter import letter_html
    from publicity.models import Publication
    from reviews.models import CitySubmission
    from reviews.selectors import submission_applications, submission_counts

    users = core.users
    clients = {}
    for who, key in (("county", "330106"), ("city", "330100"), ("province", "province")):
        c = Client()
        c.force_login(users[key])
        clients[who] = c
    clients["public"] = Client()

    def page(who, url):
        client = clients[who]
        return lambda: _body(client.get(url))

    def floor(who):
        return page(who, "/bench/floor/")

    out = []

    def add(name, who, url):
        out.append(Case(f"{name} · {who}", page(who, url), floor(who)))

    batch = core.batch
    in_city_review = Application.objects.filter(
        batch=batch, city_id="330100", state="city_review", kind="factory"
    ).order_by("pk")[0]
    for who in ("county", "city", "province"):
        add("home", who, "/")
    add("queue", "county", "/reviews/queue/")
    add("queue", "city", "/reviews/queue/")
    add("queue passed tab", "city", "/reviews/queue/?tab=passed")
    add("queue search", "city", "/reviews/queue/?q=0001")
    add("review page", "city", f"/reviews/applications/{in_city_review.pk}/")
    for who in ("county", "city", "province"):
        add("API list", who, "/api/v1/applications/")
    add("API list filtered ?state=", "province", "/api/v1/applications/?state=city_review")
    visible = Application.objects.exclude(state="draft").count()
    add("API list late page", "province", f"/api/v1/applications/?offset={max(visible - 50, 0)}")
    # The same late page reached the way a client walking the `next` links reaches it: a cursor.
    from core.api_pagination import KeysetPagination

    before_late = Application.objects.visible_to(users["province"]).order_by("-created_at", "-pk")[
        max(visible - 51, 0)
    ]
    cursor = KeysetPagination().encode_cursor(before_late)
    add("API list late page by cursor", "province", f"/api/v1/applications/?cursor={cursor}")
    add("dashboard", "province", f"/dashboard/?batch={batch.year}")
    add("dashboard list", "province", f"/dashboard/applications/?batch={batch.year}&state=city_review")

    # Exports, each against its raw library on the same rows or HTML.
    submission = (
        CitySubmission.objects.filter(batch=batch, city_id="330100", state="sent").order_by("pk").first()
    )
    units = submission_applications(submission)
    parks, factories = annex2_rows_for(units)
    rows = _annex2_sheet_rows(parks, factories)
    out.append(
        Case(
            "export city Annex 2 xlsx · city",
            page("city", f"/reviews/submissions/{submission.pk}/annex2.xlsx"),
            lambda: raw_openpyxl([("附件2", rows)]),
        )
    )
    # Each document as downloaded (served from storage after the first time) and drawn afresh
    # (what a download costs the first time, or after the data changed), both against one raw
    # library floor on the same rows or HTML, timed once a round for the two.
    from exports.annex2 import province_annex2_xlsx
    from exports.letter import recommendation_letter_pdf

    html = letter_html(submission, units=units, counts=submission_counts(submission))
    raw_letter = raw_weasyprint(html)
    out.append(
        Case(
            "export letter PDF · city",
            page("city", f"/reviews/submissions/{submission.pk}/letter.pdf"),
            raw_letter,
        )
    )
    out.append(
        Case(
            "export letter PDF drawn (uncached)",
            lambda: recommendation_letter_pdf(submission, units=units, counts=submission_counts(submission)),
            raw_letter,
        )
    )
    province_units = recommended_to_province(users["province"], batch)
    cities = province_annex2_cities(batch, applications=province_units)
    sheets = [("汇总", [[c.name, c.quota, len(c.parks), len(c.factories)] for c in cities])]
    sheets += [(c.name, _annex2_sheet_rows(c.parks, c.factories)) for c in cities]

    def raw_province():
        return raw_openpyxl(sheets)

    out.append(
        Case(
            "export province Annex 2 xlsx · province",
            page("province", f"/dashboard/annex2.xlsx?batch={batch.year}"),
            raw_province,
        )
    )
    out.append(
        Case(
            "export province Annex 2 drawn (uncached)",
            lambda: province_annex2_xlsx(batch, applications=province_units, creator="浙江省经济和信息化厅"),
            raw_province,
        )
    )
    publication = Publication.objects.filter(batch=batch).order_by("pk").first()
    from publicity.notice import notice_html

    out.append(
        Case(
            "export publication notice PDF · public",
            page("public", f"/publicity/published/{publication.pk}/notice.pdf"),
            raw_weasyprint(notice_html(publication)),
            floor_rounds=1,
        )
    )
    out += city_list_cases(core, page, floor)
    # Public pages, against the anonymous floor.
    add("public publicity", "public", "/publicity/")
    add("public publicity search", "public", "/publicity/?" + urlencode({"q": publicity_query()}))
    add("public published index", "public", "/publicity/published/")
    add("public published list", "public", f"/publicity/published/{publication.pk}/")
    add("public published list page 2", "public", f"/publicity/published/{publication.pk}/?page=2")
    # The same lists drawn afresh (what the first visitor after a change pays: publicity/
    # public_cache.py keeps each list until something it shows changes).
    for name, url in (
        ("public publicity", "/publicity/"),
        ("public publicity search", "/publicity/?" + urlencode({"q": publicity_query()})),
        ("public published list", f"/publicity/published/{publication.pk}/"),
    ):
        out.append(Case(f"{name} drawn (uncached) · public", uncached(page("public", url)), floor("public")))
    return out


def uncached(run):
    """`run` with the public lists' cache emptied first."""
    from django.core.cache import caches

    def go():
        caches["public_pages"].clear()
        return run()

    return go


def publicity_query() -> str:
    """What a visitor looking for one company types: a distinctive part of the name of a unit in
    publicity today (a bench copy's serial, which a handful of names contain), or the whole
    name of a core unit."""
    from publicity.selectors import objectionable_units

    name = objectionable_units().order_by("-pk").values_list("unit__name", flat=True).first() or ""
    serial = re.search(r"(\d{6})(?:绿色|产业园)", name)
    return serial.group(1) if serial else name


_CITY_LIST: dict = {}


def city_list_cases(core, page, floor) -> list[Case]:
    """The city's year-end list (lists/, issue 10): a 5,000-row upload read, checked and previewed
    (a dry run: nothing saved) against openpyxl reading the same file; then, once, the upload
    confirmed, and the province's list page over its 5,000 entries against the floor view."""
    from openpyxl import Workbook, load_workbook

    from accounts.uscc import check_character
    from lists.models import ListEntry
    from lists.services import city_list_import
    from lists.xlsx import CITY_COLUMNS
    from reference.models import City

    if not _CITY_LIST:
        wb = Workbook()
        wb.active.append(list(CITY_COLUMNS))
        for n in range(1, 5001):
            first17 = f"91330100{800000000 + n:09d}"
            credit = first17 + check_character(first17)
            wb.active.append(
                [n, f"名单企业{n:05d}有限公司", credit, "西湖区", "工厂", "3311", core.batch.year - 1]
            )
        buf = io.BytesIO()
        wb.save(buf)
        _CITY_LIST["data"] = buf.getvalue()
    data = _CITY_LIST["data"]
    city = City.objects.get(code="330100")

    def upload(dry_run=True):
        return city_list_import(
            city=city,
            year=core.batch.year,
            data=data,
            file_name="市级名单.xlsx",
            by=core.users["330100"],
            dry_run=dry_run,
        )

    def raw_read():
        ws = load_workbook(io.BytesIO(data), read_only=True).active
        return sum(1 for _row in ws.iter_rows(values_only=True))

    if not ListEntry.objects.filter(city=city).exists():
        upload(dry_run=False)
    return [
        Case("city list upload 5,000 rows: read, check, preview · city", upload, raw_read, once=True),
        Case("lists page · province", page("province", "/lists/"), floor("province")),
    ]


def table(results, machine_name) -> str:
    lines = [
        f"Machine: {machine_name}",
        "",
        f"Medians of {ROUNDS} rounds; floor = the floor view in the same session (pages, API) or the raw "
        "library on the same rows/HTML (exports); ratio = ms / floor_ms.",
        "",
        "| case | size | ms | floor ms | ratio | queries | load |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        cells = (
            r["case"],
            r["size"],
            f"{r['ms']:.1f}",
            f"{r['floor_ms']:.1f}",
            f"{r['ratio']:.1f}",
            r["queries"],
            r.get("load", ""),
        )
        lines.append("| " + " | ".join(str(c) for c in cells) + " |")
    return "\n".join(lines) + "\n"


def write_results(machine_name, build, started, results):
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "results.json").write_text(
        json.dumps(
            {
                "machine": machine_name,
                "build": build,
                "total_s": round(time.perf_counter() - started),
                "cases": results,
            },
            ensure_ascii=False,
            indent=1,
        )
    )
    (OUT / "results.md").write_text(table(results, machine_name))


def main():
    from bench import data

    started = time.perf_counter()
    sizes = [int(s) for s in os.environ.get("BENCH_SIZES", "1000,10000,100000").split(",") if s.strip()]
    call_command("migrate", verbosity=0)
    t = time.perf_counter()
    kept = data.kept_core()
    if kept:
        # A kept database (DATABASE_URL pointing at a cluster of your own, built once): measured
        # as it is, at the size it holds; nothing is built or grown.
        core, replicator = kept, None
        sizes = [data.Application.objects.count()]
        print(f"kept data: {sizes[0]} applications, nothing built", flush=True)
    else:
        core = data.build_core()
        print(
            f"core built through the services: {data.Application.objects.count()} applications "
            f"in {time.perf_counter() - t:.1f} s",
            flush=True,
        )
        replicator = data.Replicator(core)
    machine_name = machine()
    print(machine_name)
    results, build = [], {"core_s": round(time.perf_counter() - t, 1)}
    for size in sizes:
        t = time.perf_counter()
        if replicator:
            replicator.grow(max(size - data.Application.objects.count(), 0))
            data.analyze()
        build[f"grown_to_{size}_s"] = round(time.perf_counter() - t, 1)
        print(f"\n{size} applications (grown in {time.perf_counter() - t:.1f} s)", flush=True)
        print(f"{'case':<52} {'size':>7} {'ms':>9} {'floor':>8} {'ratio':>7} {'q':>5} {'load':>5}")
        todo = [
            case for case in cases(core) if CASES.search(case.name) and not (case.once and size != sizes[0])
        ]
        for group in groups(todo):
            results += measure(group, size)
        # Written after every size, so a run stopped part-way keeps what it measured.
        write_results(machine_name, build, started, results)
    print(f"\nwrote {OUT / 'results.json'} and results.md in {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
