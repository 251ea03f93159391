"""The benchmark's data: a core built through the real services, then volume by bulk replication.

The core (`build_core`) walks a few dozen applications of the open batch through the same
services the pages use — submission, county and city review, the city's submission with its
sealed scans, publicity rounds and a joint publication — so every kind of row exists as the real
flow writes it. `grow_to(n)` then copies the core's applications (with their units, profiles,
users, documents, history, submissions, publicity entries and publication entries) in bulk until
the database holds `n` applications, spread over the 90 counties of the 11 cities and five
batches. A copy's history is acted by the bureaus of its own region, so every bureau's queues and
decided tabs read as they would after the real flow.
"""

import datetime
import json
import random
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import NamedTuple

import time_machine
from django.contrib.auth.hashers import make_password
from django.db import connection, models, transaction
from django.utils import timezone

from accounts.models import Enterprise, Organisation, Park, User
from accounts.uscc import check_character
from applications.models import Application, BureauDecision, Document, TransitionLog
from applications.states import DECISION_KIND
from publicity.models import Publication, PublicationEntry, PublicityEntry, PublicityRound
from quotas.models import Batch
from reference.models import County
from reviews.models import CitySubmission, SubmissionState

CHUNK = 5000
INDUSTRIES = ("3311", "2614", "3811", "1713", "2929", "3979", "3921", "2651")
YEARS = (2021, 2022, 2023, 2024, 2025)
OPEN_YEAR = 2025
# How long ago the core's flow ran (its past publicity round ended and was published since).
PAST_DAYS = 40
# The bench's own bureau users, one per region (created by `bureaus()`); names are stable so the
# load test can sign in as them.
PASSWORD = "bench-password-1"


def _credit(serial: int) -> str:
    first17 = f"91339900{serial:09d}"
    return first17 + check_character(first17)


class Copy(NamedTuple):
    t: Application  # the core application copied
    county: str
    city: str
    batch: Batch
    serial: int
    industry: str


@dataclass
class Core:
    batch: Batch
    applications: list = field(default_factory=list)
    users: dict = field(default_factory=dict)


def kept_core() -> Core | None:
    """The core of a database the bench built before (its bureau users exist), or None."""
    bench_users = User.objects.filter(username__startswith="bench-").exclude(
        username__startswith="bench-unit-"
    )
    users = {u.username.removeprefix("bench-"): u for u in bench_users}
    if "province" not in users:
        return None
    return Core(batch=Batch.objects.get(year=OPEN_YEAR), users=users)


def bureaus() -> dict:
    """One signed-in user for the province, every city bureau and every county bureau."""
    from tests import factories as f

    users = {"province": f._first_user(f.province())}
    for county in County.objects.select_related("city"):
        users[county.code] = f._first_user(f.county_bureau(county.code))
    for code in {c.city_id for c in County.objects.all()}:
        users[code] = f._first_user(f.city_bureau(code))
    for code, user in users.items():
        user.username = f"bench-{code}"
        user.password = make_password(PASSWORD)
        user.save(update_fields=["username", "password"])
    return users


def build_core() -> Core:
    """Batches 2021–2025 and, in the open 2025 batch, a few dozen applications of 西湖区 and 杭州市
    walked through the real services into every state."""
    from tests import factories as f

    quotas = {code: 30000 for code in County.objects.values_list("city_id", flat=True).distinct()}
    for year in YEARS[:-1]:
        f.batch(year, quotas=quotas, accepting_applications=False)
    batch = f.batch(OPEN_YEAR, quotas=quotas)
    users = bureaus()
    core = Core(batch=batch, users=users)
    county, city, province = users["330106"], users["330100"], users["province"]
    # The flow runs in the past so that a publicity round can end and be published (nothing is
    # backdated: the clock is moved on, as the tests do); the current round opens today.
    with time_machine.travel(timezone.now() - datetime.timedelta(days=PAST_DAYS), tick=True) as clock:
        apps, sent = _walk_core(batch, county, city, province, clock)
    f.publicity_round(sent[3:5])
    # Recommended again after the submission went: the next (supplementary) draft.
    apps += sent + [f.advance(f.application(f.enterprise("330106"), batch), "recommended") for _ in range(2)]
    for a in apps:
        a.refresh_from_db()
    core.applications = apps
    return core


def _walk_core(batch, county, city, province, clock):
    from publicity.services import publication_publish
    from reviews.services import city_submission_open, city_submission_send, submission_document_upload
    from tests import factories as f

    def factory(to, n=1):
        return [f.advance(f.application(f.enterprise("330106"), batch), to) for _ in range(n)]

    def park(to):
        return f.advance(f.application(f.park("330100"), batch), to)

    apps = factory("draft", 2) + factory("county_review", 4) + factory("city_review", 4)
    # What the county returned or rejected, and what the city returned or rejected.
    for a in factory("county_review", 2):
        f.application_transition(a, name="return_for_revision", by=county, comment="请补充材料")
        apps.append(a)
    for a in factory("county_review", 1) + factory("city_review", 1):
        f.application_transition(
            a, name="reject", by=county if a.state == "county_review" else city, comment="不符合条件"
        )
        apps.append(a)
    apps += [park("city_review")]
    # The city's submission: recommended units, sealed scans, sent in one transaction.
    sent = [*factory("recommended", 7), park("recommended"), park("recommended")]
    submission = city_submission_open(batch=batch, by=city)
    for kind in ("letter_scan", "table_scan"):
        submission_document_upload(submission=submission, kind=kind, upload=f.pdf_upload(), by=city)
    city_submission_send(submission=submission, by=city)
    for a in sent:
        a.refresh_from_db()
    # A past publicity round, then the joint publication the morning after it ended.
    f.after_publicity(clock, f.publicity_round(sent[:3] + sent[7:8]))
    with transaction.atomic():
        publication_publish(batch=batch, by=province, document_number="浙经信绿色〔2025〕99号")
    return apps, sent


def _region_of_user(users) -> dict:
    """user pk → which bureau it is ("county", "city", "province") for the bench's users."""
    from accounts import roles

    out = {}
    for u in users.values():
        if roles.is_county_bureau(u):
            out[u.pk] = "county"
        elif roles.is_city_bureau(u):
            out[u.pk] = "city"
        elif roles.is_province(u):
            out[u.pk] = "province"
    return out


class Replicator:
    """Copies the core in bulk. Deterministic (seeded) spread over counties and batches."""

    def __init__(self, core: Core, seed: int = 15):
        self.core = core
        self.rng = random.Random(seed)
        self.counties = list(County.objects.values_list("code", "city_id"))
        self.batches = {b.year: b for b in Batch.objects.all()}
        self.users = core.users
        self.user_region = _region_of_user(core.users)
        self.serial = 0
        ids = [a.pk for a in core.applications]
        self.templates = list(
            Application.objects.filter(pk__in=ids)
            .select_related("unit__enterprise", "unit__park")
            .order_by("pk")
        )
        self.docs = {}
        for d in Document.objects.filter(application_id__in=ids).order_by("pk"):
            self.docs.setdefault(d.application_id, []).append(d)
        self.logs = {}
        for log in TransitionLog.objects.filter(application_id__in=ids).order_by("created_at", "pk"):
            self.logs.setdefault(log.application_id, []).append(log)
        self.submitted_ids = set(
            CitySubmission.applications.through.objects.filter(application_id__in=ids).values_list(
                "application_id", flat=True
            )
        )
        self.publicity = {
            e.application_id: e.publicity_round
            for e in PublicityEntry.objects.filter(application_id__in=ids).select_related("publicity_round")
        }
        self.published = {
            e.application_id: e.publication
            for e in PublicationEntry.objects.filter(application_id__in=ids).select_related("publication")
        }
        self.password = make_password(PASSWORD)
        self._submissions = {}
        self._rounds = {}
        self._publications = {}
        self._actor_org = {}

    # --- per-batch containers, made once ---------------------------------------------------

    def submission(self, batch, city):
        key = (batch.pk, city)
        if key not in self._submissions:
            bureau = self.users[city].organisation
            self._submissions[key] = CitySubmission.objects.filter(
                batch=batch, city_id=city, state=SubmissionState.SENT
            ).first() or CitySubmission.objects.create(batch=batch, city_id=city, bureau=bureau)
            CitySubmission.objects.filter(pk=self._submissions[key].pk).update(
                state=SubmissionState.SENT, sent_at=timezone.now()
            )
        return self._submissions[key]

    def round_for(self, template_round, batch):
        if batch.pk == template_round.batch_id:
            return template_round
        key = (template_round.pk, batch.pk)
        if key not in self._rounds:
            shift = datetime.timedelta(days=365 * (OPEN_YEAR - batch.year))
            self._rounds[key] = PublicityRound.objects.create(
                batch=batch,
                starts_on=template_round.starts_on - shift,
                ends_on=template_round.ends_on - shift,
                opened_by=template_round.opened_by,
            )
        return self._rounds[key]

    def publication_for(self, template, batch):
        if batch.pk == template.batch_id:
            return template
        key = (template.pk, batch.pk)
        if key not in self._publications:
            shift = datetime.timedelta(days=365 * (OPEN_YEAR - batch.year))
            self._publications[key] = Publication.objects.create(
                batch=batch,
                document_number=f"浙经信绿色〔{batch.year}〕99号",
                published_on=template.published_on - shift,
                published_by=template.published_by,
                notice=template.notice.name,
                notice_sha256=template.notice_sha256,
            )
        return self._publications[key]

    # --- copies ---------------------------------------------------------------------------

    def actor_for(self, log, county, city, unit_user_pk):
        bureau = self.user_region.get(log.actor_id)
        if bureau == "county":
            return self.users[county].pk
        if bureau == "city":
            return self.users[city].pk
        if bureau == "province":
            return log.actor_id
        return unit_user_pk

    def grow(self, n: int):
        """Add `n` applications (copies of the core's), in chunks. The foreign keys of the tables
        written are dropped for the load and added again after it, each checked once over the
        whole table (PostgreSQL's advice for bulk loads): checked row by row, at each commit,
        they took two thirds of the time."""
        if n <= 0:
            return
        with foreign_keys_dropped(GROWN_MODELS):
            while n > 0:
                k = min(n, CHUNK)
                with transaction.atomic():
                    self._chunk(k)
                n -= k

    def _chunk(self, k):
        rng = self.rng
        plan = []
        for _ in range(k):
            t = self.templates[self.serial % len(self.templates)]
            self.serial += 1
            county, city = rng.choice(self.counties)
            year = rng.choice(YEARS)
            industry = rng.choice(INDUSTRIES) if t.kind == "factory" else ""
            plan.append(Copy(t, county, city, self.batches[year], self.serial, industry))
        orgs = _copy(
            Organisation(
                kind=c.t.unit.kind,
                name=_unit_name(c),
                city_id=c.city,
                county_id=c.county if c.t.kind == "factory" else None,
            )
            for c in plan
        )
        ents, parks = [], []
        for (t, _county, _city, _b, s, industry), org in zip(plan, orgs, strict=True):
            if t.kind == "factory":
                e = t.unit.enterprise
                ents.append(
                    Enterprise(
                        organisation=org,
                        credit_code=_credit(s),
                        industry_class=industry,
                        contact_email=e.contact_email,
                    )
                )
            else:
                p = t.unit.park
                parks.append(
                    Park(
                        organisation=org,
                        park_type=p.park_type,
                        level=p.level,
                        management_body=f"{org.name}管委会",
                        manufacturing_dominant=True,
                        value_added_share=p.value_added_share,
                        has_legal_boundary=True,
                        has_unified_management=True,
                    )
                )
        _copy(ents)
        _copy(parks)
        unit_users = _copy(
            User(username=f"bench-unit-{c.serial}", password=self.password, organisation=org)
            for c, org in zip(plan, orgs, strict=True)
        )
        apps = []
        shifts = []
        for (t, county, city, b, _s, industry), org in zip(plan, orgs, strict=True):
            # Older batches happened years ago; within a batch, spread over a few months.
            shift = datetime.timedelta(
                days=365 * (OPEN_YEAR - b.year) + rng.randint(0, 90), minutes=rng.randint(0, 1440)
            )
            shifts.append(shift)
            years = datetime.timedelta(days=365 * (OPEN_YEAR - b.year))
            a = Application(
                batch=b,
                kind=t.kind,
                unit=org,
                city_id=city,
                county_id=county if t.kind == "factory" else None,
                industry_class=industry,
                indicators=t.indicators,
                submitted_at=t.submitted_at and t.submitted_at - shift,
                city_recommended_at=t.city_recommended_at and t.city_recommended_at - shift,
                # A copy in an older batch had its publicity that year (as its round, round_for).
                publicity_starts_on=t.publicity_starts_on and t.publicity_starts_on - years,
                publicity_ends_on=t.publicity_ends_on and t.publicity_ends_on - years,
                state=t.state,
            )
            a.created_at = t.created_at - shift
            _copy_extra(t, a, shift)
            apps.append(a)
        _copy(apps)
        docs, logs, subs, entries, pubs = [], [], [], [], []
        for (t, county, city, b, _s, _industry), a, u, shift in zip(
            plan, apps, unit_users, shifts, strict=True
        ):
            for d in self.docs.get(t.pk, ()):
                docs.append(
                    Document(
                        application=a,
                        kind=d.kind,
                        version=d.version,
                        stored_name=uuid.uuid4().hex + ".pdf",
                        original_name=d.original_name,
                        size=d.size,
                        sha256=d.sha256,
                        page_count=d.page_count,
                        uploaded_by_id=u.pk,
                        file=d.file.name,
                    )
                )
            for log in self.logs.get(t.pk, ()):
                logs.append(
                    TransitionLog(
                        application=a,
                        transition=log.transition,
                        source=log.source,
                        target=log.target,
                        actor_id=self.actor_for(log, county, city, u.pk),
                        actor_organisation=log.actor_organisation,
                        comment=log.comment,
                        created_at=log.created_at - shift,
                    )
                )
            if t.pk in self.submitted_ids:
                subs.append(
                    CitySubmission.applications.through(
                        citysubmission_id=self.submission(b, city).pk, application_id=a.pk
                    )
                )
            if t.pk in self.publicity:
                entries.append(
                    PublicityEntry(publicity_round=self.round_for(self.publicity[t.pk], b), application=a)
                )
            if t.pk in self.published:
                pubs.append(
                    PublicationEntry(publication=self.publication_for(self.published[t.pk], b), application=a)
                )
        # History keeps its hash chain (bulk_append); the rest goes in by COPY.
        TransitionLog.objects.bulk_append(logs)
        for rows in (docs, subs, entries, pubs):
            _copy(rows)
        _copy(self.decisions(logs))

    def decisions(self, logs) -> list:
        """The decided tabs' rows of the copies' history, as application_transition keeps them:
        per application, deciding organisation and kind, the latest decision."""
        org_of = self.actor_organisations(logs)
        latest = {}
        for log in logs:
            kind = DECISION_KIND.get(log.transition)
            organisation = org_of.get(log.actor_id)
            if kind and organisation:
                key = (log.application_id, organisation, kind)
                if key not in latest or latest[key] < log.created_at:
                    latest[key] = log.created_at
        return [
            BureauDecision(application_id=a, organisation_id=o, kind=k, decided_at=at)
            for (a, o, k), at in latest.items()
        ]

    def actor_organisations(self, logs) -> dict:
        actors = {log.actor_id for log in logs if log.transition in DECISION_KIND} - set(self._actor_org)
        self._actor_org.update(User.objects.filter(pk__in=actors).values_list("pk", "organisation_id"))
        return self._actor_org


def _unit_name(c) -> str:
    if c.t.kind == "factory":
        return f"浙江{c.city}{c.serial:06d}绿色制造有限公司"
    return f"{c.city}{c.serial:06d}产业园"


def _copy_extra(template, copy, shift):
    """Columns added by later migrations that a copy keeps (dates shifted with the copy)."""
    for name in ("reached_city_at", "state_changed_at"):
        if hasattr(template, name):
            value = getattr(template, name)
            setattr(copy, name, value - shift if value else value)


def _copy(objs) -> list:
    """Insert model instances with PostgreSQL's COPY (a tenth of bulk_create's time at this
    volume): ids are drawn from the table's sequence first and set on the instances; every
    concrete column is written as the instance holds it (defaults were applied when it was made;
    auto_now/auto_now_add columns the caller left empty get the time now). No signals, no save()."""
    objs = list(objs)
    if not objs:
        return objs
    model = type(objs[0])
    meta = model._meta
    quote = connection.ops.quote_name
    now = timezone.now()
    fields = meta.concrete_fields
    with connection.cursor() as cur:
        if isinstance(meta.pk, models.AutoField):
            cur.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [meta.db_table, meta.pk.column, len(objs)],
            )
            for obj, (pk,) in zip(objs, cur.fetchall(), strict=True):
                setattr(obj, meta.pk.attname, pk)
        columns = ", ".join(quote(f.column) for f in fields)
        with cur.cursor.copy(f"COPY {quote(meta.db_table)} ({columns}) FROM STDIN") as copy:
            for obj in objs:
                copy.write_row([_column_value(f, obj, now) for f in fields])
    for obj in objs:
        obj._state.adding = False
    return objs


def _column_value(f, obj, now):
    value = getattr(obj, f.attname)
    if value is None and (getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)):
        return now
    if isinstance(f, models.JSONField):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(f, models.FileField):
        return value.name if value else ""
    return value


# The tables a copy writes rows into (their foreign keys are dropped while it grows).
GROWN_MODELS = (
    Organisation,
    Enterprise,
    Park,
    User,
    Application,
    Document,
    TransitionLog,
    BureauDecision,
    CitySubmission.applications.through,
    PublicityEntry,
    PublicationEntry,
)


@contextmanager
def foreign_keys_dropped(grown_models):
    """Drop the foreign-key constraints of the models' tables, and add them again on the way out
    (validated: each checks every row in one pass, so the copies are proven consistent)."""
    if connection.vendor != "postgresql":
        yield
        return
    tables = [m._meta.db_table for m in grown_models]
    with connection.cursor() as cur:
        cur.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE contype = 'f' AND conrelid = ANY(%s::regclass[]) ORDER BY conrelid, conname",
            [tables],
        )
        constraints = cur.fetchall()
        for table, name, _definition in constraints:
            cur.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    try:
        yield
    finally:
        with connection.cursor() as cur:
            for table, name, definition in constraints:
                cur.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')


def analyze():
    """What autovacuum does on a live server after a load: statistics for the planner, and the
    visibility map that lets counts and sorts read covering indexes without visiting the table."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("VACUUM ANALYZE")
