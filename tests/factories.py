"""Test data built through the real models and services; no mocks of our own components."""

import datetime
import io
import itertools
from decimal import Decimal

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from pypdf import PdfWriter

from accounts.models import Assessor, AssessorGroup, Enterprise, Organisation, OrganisationKind, Park, User
from accounts.uscc import check_character
from applications.documents import document_upload
from applications.models import Application
from applications.services import (
    application_create,
    application_transition,
    application_update,
)
from quotas.models import Batch, CityQuota
from reference.models import City, County
from tests.helpers import workflow_pass

K = OrganisationKind
_serial = itertools.count(1)


def credit_code() -> str:
    first17 = f"91330100{next(_serial):09d}"
    return first17 + check_character(first17)


def pdf_bytes(pages: int = 1) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def pdf_upload(name="自评价报告.pdf", pages=1):
    return SimpleUploadedFile(name, pdf_bytes(pages), content_type="application/pdf")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.invalid")
    password = factory.PostGenerationMethodCall("set_password", "pw-for-tests-1")

    @factory.post_generation
    def saved(obj, create, extracted, **kwargs):
        if create:
            obj.save()


def user_of(organisation, **kwargs) -> User:
    return UserFactory(organisation=organisation, **kwargs)


def enterprise(county="330106", *, green=True, industry="3311", name=None) -> Organisation:
    c = County.objects.get(code=county)
    org = Organisation.objects.create(
        kind=K.ENTERPRISE, name=name or f"测试企业{next(_serial)}有限公司", county=c, city_id=c.city_id
    )
    Enterprise.objects.create(
        organisation=org,
        credit_code=credit_code(),
        industry_class=industry,
        contact_email=f"contact{org.pk}@example.invalid",
    )
    if green:
        city_list_entry(org)
    return org


def city_list_entry(org: Organisation, *, year=2024, **fields):
    """Put the unit on its city's city-level list (as its city bureau's upload would)."""
    from lists.models import ListEntry, UnitKind

    kind = UnitKind.FACTORY if org.kind == K.ENTERPRISE else UnitKind.PARK
    values = {
        "tier": "city",
        "kind": kind,
        "unit_name": org.name,
        "credit_code": org.enterprise.credit_code if kind == UnitKind.FACTORY else "",
        "organisation": org,
        "city_id": org.city_id,
        "county_id": org.county_id,
        "industry_class": org.enterprise.industry_class if kind == UnitKind.FACTORY else "",
        "park_type": org.park.park_type if kind == UnitKind.PARK else "",
        "year": year,
        "source": f"{org.city.name}{year}年度市级名单",
        **fields,
    }
    return ListEntry.objects.create(**values)


def park(
    city="330100", *, share=Decimal("60"), dominant=True, boundary=True, management=True, name=None
) -> Organisation:
    org = Organisation.objects.create(kind=K.PARK, name=name or f"测试园区{next(_serial)}", city_id=city)
    Park.objects.create(
        organisation=org,
        park_type="high_tech",
        level="provincial",
        management_body=f"{org.name}管委会",
        manufacturing_dominant=dominant,
        value_added_share=share,
        has_legal_boundary=boundary,
        has_unified_management=management,
    )
    return org


def assessor(group: AssessorGroup | None = None) -> Organisation:
    group = group or AssessorGroup.objects.create(name=f"评价集团{next(_serial)}")
    org = Organisation.objects.create(kind=K.ASSESSOR, name=f"第三方评价机构{next(_serial)}")
    Assessor.objects.create(organisation=org, credit_code=credit_code(), group=group)
    return org


def county_bureau(code="330106") -> Organisation:
    c = County.objects.get(code=code)
    org, _ = Organisation.objects.get_or_create(
        kind=K.COUNTY_BUREAU, county=c, defaults={"name": f"{c.name}经信局", "city_id": c.city_id}
    )
    return org


def city_bureau(code="330100") -> Organisation:
    city = City.objects.get(code=code)
    org, _ = Organisation.objects.get_or_create(
        kind=K.CITY_BUREAU, city=city, defaults={"name": f"{city.name}经信局"}
    )
    return org


def province() -> Organisation:
    org, _ = Organisation.objects.get_or_create(kind=K.PROVINCE, defaults={"name": "浙江省经济和信息化厅"})
    return org


def batch(year=2025, *, quotas=None, **overrides) -> Batch:
    """A batch like 2025's, with deadlines ahead of today unless overridden. `quotas` maps city
    code to factory quota (default: 2 for every city)."""
    today = timezone.localdate()
    values = {
        "title": f"{year}年测试批次",
        "notice_number": f"测试〔{year}〕1号",
        "guideline_edition": "《浙江省绿色低碳工业园区、工厂建设评价导则(2024版)》",
        "accepting_applications": True,
        "assessor_required": False,
        "assessor_cap": 10,
        "park_quota": None,
        "park_min_value_added_share": Decimal("50"),
        "city_submission_deadline": today + datetime.timedelta(days=30),
        "city_list_deadline": today + datetime.timedelta(days=180),
        "publicity_days": 15,
        "objection_contact": "绿色制造处 0571-00000000",
        "joint_departments": ["浙江省经济和信息化厅", "浙江省发展和改革委员会", "浙江省生态环境厅"],
        **overrides,
    }
    b = Batch.objects.create(year=year, **values)
    quotas = (
        quotas if quotas is not None else {code: 2 for code in City.objects.values_list("code", flat=True)}
    )
    CityQuota.objects.bulk_create(
        CityQuota(batch=b, city_id=code, factory_quota=n) for code, n in quotas.items()
    )
    return b


COMPLETE = object()  # application(indicators=...) default: every key indicator filled in


def complete_indicators(kind: str, b: Batch) -> dict:
    """Every key indicator of `kind` filled in with plausible numbers, in the stored shape
    (applications/indicators.py normalise(), as the pages and the API save them)."""
    from applications.indicators import indicators_for, normalise, series_years

    if kind == "factory":
        data = {i.code: {"value": 12.5, "benchmark": 15} for i in indicators_for(kind)}
    else:
        data = {i.code: {y: 80 + n for n, y in enumerate(series_years(b))} for i in indicators_for(kind)}
    return normalise(kind, b, data)


def application(
    unit: Organisation, b: Batch, *, assessor_org=None, with_report=True, indicators=COMPLETE, **fields
) -> Application:
    """A draft application, with complete key indicators saved through the real service (pass
    `indicators=None` to leave them empty, or a dict of raw form data for a partial set), its
    self-evaluation report (and commitment letter where an assessor is named) uploaded through the
    real upload service."""
    user = unit.users.first() or user_of(unit)
    if assessor_org is not None:
        fields["assessor"] = assessor_org.assessor
    app = application_create(unit=unit, batch=b, by=user, **fields)
    if indicators is COMPLETE:
        indicators = complete_indicators(app.kind, b)
    if indicators is not None:
        application_update(app, by=user, indicators=indicators)
    if with_report:
        document_upload(application=app, kind="self_evaluation_report", upload=pdf_upload(), by=user)
    if assessor_org is not None:
        document_upload(application=app, kind="commitment_letter", upload=pdf_upload("承诺书.pdf"), by=user)
    return app


def advance(app: Application, to: str) -> Application:
    """Walk an application along the happy path to state `to`, through the services, as the
    users who would do each step."""
    path = ["submit", "county_pass", "city_recommend", "send_to_province", "start_publicity", "publish"]
    reached = {
        "draft": 0,
        "county_review": 1,
        "city_review": 2,
        "recommended": 3,
        "province_review": 4,
        "publicity": 5,
        "published": 6,
    }[to]
    actors = {
        "submit": lambda: app.unit.users.first() or user_of(app.unit),
        "county_pass": lambda: _first_user(county_bureau(app.county_id)),
        "city_recommend": lambda: _first_user(city_bureau(app.city_id)),
        "send_to_province": lambda: _first_user(city_bureau(app.city_id)),
        "start_publicity": lambda: _first_user(province()),
        "publish": lambda: _first_user(province()),
    }
    for name in path[:reached]:
        if name == "county_pass" and app.kind == "park":
            continue
        if app.state == to:
            break
        application_transition(app, name=name, by=actors[name](), via=workflow_pass(name))
    return app


def _first_user(org):
    return org.users.first() or user_of(org)


# --- issue 3: applicant pages --------------------------------------------------------------------


def write_big_pdf(path, size: int, *, pages: int = 3) -> str:
    """Write a valid PDF of exactly `size` bytes with `pages` pages to `path`, in 1 MB chunks (a
    padding stream no page refers to fills it up). Returns its SHA-256."""
    import hashlib
    import os

    digest = hashlib.sha256()
    offsets = []
    with open(path, "wb") as out:
        pos = 0

        def put(data: bytes):
            nonlocal pos
            digest.update(data)
            out.write(data)
            pos += len(data)

        put(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
        kids = " ".join(f"{3 + i} 0 R" for i in range(pages))
        objs = [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            f"<< /Type /Pages /Kids [{kids}] /Count {pages} >>".encode(),
        ]
        objs += [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"] * pages
        pad_no = len(objs) + 1
        count = pad_no + 1
        for n, body in enumerate(objs, start=1):
            offsets.append(pos)
            put(f"{n} 0 obj\n".encode() + body + b"\nendobj\n")
        reserve = 64 + 20 * count + 80  # xref table, trailer and some slack
        head_len = len(f"{pad_no} 0 obj\n<< /Length 0000000000 >>\nstream\n")
        tail = b"\nendstream\nendobj\n"
        length = size - pos - head_len - len(tail) - reserve
        assert length > 0, "size too small"
        offsets.append(pos)
        put(f"{pad_no} 0 obj\n<< /Length {length:010d} >>\nstream\n".encode())
        remaining = length
        while remaining:
            chunk = os.urandom(min(remaining, 1024 * 1024))
            put(chunk)
            remaining -= len(chunk)
        put(tail)
        xref = f"xref\n0 {count}\n0000000000 65535 f \n".encode()
        xref += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)

        def trailer(at):
            return f"trailer\n<< /Size {count} /Root 1 0 R >>\nstartxref\n{at}\n%%EOF\n".encode()

        xref_at = size - len(xref) - len(trailer(size))
        while xref_at + len(xref) + len(trailer(xref_at)) != size:
            xref_at = size - len(xref) - len(trailer(xref_at))
        put(b"\n" * (xref_at - pos))  # whitespace between objects keeps every offset right
        put(xref + trailer(xref_at))
    assert os.path.getsize(path) == size
    return digest.hexdigest()


# --- expert review and publicity (experts/, publicity/) -----------------------------------------


def expert(name="王专家", *, panel="浙江省绿色制造评审专家库", **kwargs) -> User:
    """A user of a province-wide EXPERT organisation (the panel the province invites from)."""
    org, _ = Organisation.objects.get_or_create(kind=K.EXPERT, name=panel)
    return user_of(org, first_name=name, **kwargs)


def expert_opinion(
    app: Application, expert_user: User, *, passed=True, score=None, comments="材料齐全，指标先进。"
):
    """Assign `expert_user` to `app` as the province and record their opinion, through the services."""
    from experts.services import expert_assign, expert_opinion_record

    expert_assign(application=app, expert=expert_user, by=_first_user(province()))
    return expert_opinion_record(
        application=app, by=expert_user, passed=passed, score=score, comments=comments
    )


def publicity_round(apps, *, starts_on=None, ends_on=None, days_ago=None):
    """Open a publicity round for `apps` (in provincial review) through the service, reviewing
    each by one expert first if nobody has. `days_ago=(start, end)` dates the round in the past."""
    from experts.models import ExpertOpinion
    from publicity.services import publicity_round_open

    apps = list(apps)
    reviewer = None
    for app in apps:
        if not ExpertOpinion.objects.filter(assignment__application=app).exists():
            reviewer = reviewer or expert("默认专家")
            expert_opinion(app, reviewer)
    today = timezone.localdate()
    if days_ago is not None:
        starts_on = today - datetime.timedelta(days=days_ago[0])
        ends_on = today - datetime.timedelta(days=days_ago[1])
    return publicity_round_open(
        batch=apps[0].batch,
        applications=apps,
        starts_on=starts_on or today,
        ends_on=ends_on,
        by=_first_user(province()),
    )
