"""Demo data for `make run`: accounts for every bureau, a demo enterprise, park and assessor, and a
few applications moved along the workflow through the real services. Never run by migrations."""

import datetime
import functools
import io

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from pypdf import PdfWriter

from accounts.models import (
    Assessor,
    AssessorGroup,
    Enterprise,
    Organisation,
    OrganisationKind,
    OrgRole,
    Park,
    User,
)
from accounts.uscc import check_character
from applications.documents import document_upload
from applications.models import DocumentKind
from applications.services import application_create, application_transition, application_update
from applications.states import ApplicationState as S
from dynamic.demo import load_demo_dynamic
from lists.demo import load_demo_lists
from lists.models import ListEntry, Tier
from lists.services import PublishedUnit, provincial_entries_write
from quotas.models import Batch
from quotas.services import batch_load_file
from reference.models import City, County

PASSWORD = "greenmfg-demo"
K = OrganisationKind


def uscc(seed: str) -> str:
    """A well-formed credit code for demo units: 91 + 330106 + 9 characters + check character."""
    first17 = ("91" + seed + "0" * 15)[:17]
    return first17 + check_character(first17)


def demo_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_blank_page(width=595, height=842)
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


@functools.cache
def _password_hash() -> str:
    # One hash for every demo account: the ~100 bureau accounts would otherwise spend half a
    # minute of `make run` in PBKDF2. (Demo accounts only; real users set their own.)
    return make_password(PASSWORD)


def _user(username, organisation, email="", full_name=""):
    # Every demo account administers its organisation (invites colleagues, unlocks in its region).
    user, created = User.objects.get_or_create(
        username=username,
        defaults={
            "organisation": organisation,
            "email": email,
            "org_role": OrgRole.ADMIN,
            "full_name": full_name or f"{organisation.name}管理员",
        },
    )
    if created:
        user.password = _password_hash()
        user.save()
    return user


def _demo_batch() -> Batch:
    """The 2025 notice as data, and an open demo batch with the same numbers whose deadlines lie
    ahead of today, so that every step can be tried."""
    real = batch_load_file(settings.BASE_DIR / "fixtures" / "batch_2025.json")
    today = timezone.localdate()
    year = max(real.year + 1, today.year)
    if real.city_submission_deadline < today:
        Batch.objects.filter(pk=real.pk).update(accepting_applications=False)
    demo, created = Batch.objects.get_or_create(
        year=year,
        defaults={
            "title": f"{year}年省级绿色低碳工业园区和工厂推荐（演示批次）",
            "notice_number": f"演示（参照{real.notice_number}）",
            "notice_date": today,
            "guideline_edition": real.guideline_edition,
            "guideline_number": real.guideline_number,
            "implementing_rules": real.implementing_rules,
            "implementing_rules_number": real.implementing_rules_number,
            "accepting_applications": True,
            "assessor_required": real.assessor_required,
            "assessor_cap": real.assessor_cap,
            "park_quota": real.park_quota,
            "park_min_value_added_share": real.park_min_value_added_share,
            "city_submission_deadline": today + datetime.timedelta(days=45),
            "city_list_deadline": today + datetime.timedelta(days=200),
            "publicity_days": real.publicity_days,
            "objection_contact": real.objection_contact,
            "contacts": real.contacts,
            "joint_departments": real.joint_departments,
        },
    )
    if created:
        for q in real.quotas.all():
            demo.quotas.create(city_id=q.city_id, factory_quota=q.factory_quota)
    return demo


@transaction.atomic
def load_demo() -> list[tuple[str, str]]:
    """Create the demo accounts (idempotent). Returns (username, what) pairs to print."""
    batch = _demo_batch()
    accounts = []
    province = Organisation.objects.get_or_create(kind=K.PROVINCE, name="浙江省经济和信息化厅")[0]
    _user("province", province, full_name="省厅演示管理员")
    accounts.append(("province", province.name))
    for city in City.objects.all():
        org = Organisation.objects.get_or_create(
            kind=K.CITY_BUREAU, city=city, defaults={"name": f"{city.name}经济和信息化局"}
        )[0]
        _user(f"city-{city.code}", org)
    accounts.append(("city-<code>", "设区市经信局（11个，如 city-330100 杭州市）"))
    for county in County.objects.select_related("city"):
        org = Organisation.objects.get_or_create(
            kind=K.COUNTY_BUREAU,
            county=county,
            defaults={"name": f"{county.city.name}{county.name}经济和信息化局", "city": county.city},
        )[0]
        _user(f"county-{county.code}", org)
    accounts.append(("county-<code>", "县（市、区）经信局（90个，如 county-330106 西湖区）"))

    group = AssessorGroup.objects.get_or_create(name="浙江绿评认证集团有限公司")[0]
    assessor_org = Organisation.objects.get_or_create(kind=K.ASSESSOR, name="浙江绿评认证技术服务有限公司")[0]
    Assessor.objects.get_or_create(
        organisation=assessor_org, defaults={"credit_code": uscc("330000AB1"), "group": group}
    )
    _user("assessor-demo", assessor_org, "assessor@example.invalid", full_name="赵评价")
    accounts.append(("assessor-demo", assessor_org.name))

    # An invited expert of the province's review (通知 二(四)); sees only what is assigned to them.
    expert_org = Organisation.objects.get_or_create(kind=K.EXPERT, name="省级绿色制造评审专家组")[0]
    _user("expert-demo", expert_org, "expert@example.invalid", full_name="陈专家")
    accounts.append(("expert-demo", f"{expert_org.name}（评审专家）"))

    factory = _enterprise("杭州绿源精密机械有限公司", "330106", "330106FD1", "3311")
    _user("factory-demo", factory, "factory@example.invalid", full_name="李四")
    accounts.append(("factory-demo", f"{factory.name}（西湖区）"))

    park_org, created = Organisation.objects.get_or_create(
        kind=K.PARK, name="杭州钱塘新材料产业园", defaults={"city_id": "330100", "county_id": "330114"}
    )
    if created:
        Park.objects.create(
            organisation=park_org,
            park_type="provincial_development",
            level="provincial",
            management_body="杭州钱塘新材料产业园管理委员会",
            manufacturing_dominant=True,
            value_added_share="68.5",
            has_legal_boundary=True,
            has_unified_management=True,
            contact_name="王敏",
            contact_phone="0571-86000000",
            contact_email="park@example.invalid",
        )
    _user("park-demo", park_org, "park@example.invalid", full_name="王敏")
    accounts.append(("park-demo", park_org.name))

    # 通知 一(二): only units on their city's list may be recommended. Every city reports a
    # city-level list (the demo enterprises and park on Hangzhou's), except one enterprise.
    for name, county_code, seed, industry, _target in SAMPLES:
        _enterprise(name, county_code, seed, industry)
    unlisted = _enterprise(UNLISTED, "330106", "330106FU9", "3311")
    _user("factory-unlisted", unlisted, "unlisted@example.invalid")
    accounts.append(("factory-unlisted", f"{unlisted.name}（未列入市级名单）"))
    load_demo_lists(batch.year, unlisted={UNLISTED})

    if not batch.applications.exists():
        _demo_applications(batch)
    accounts += _demo_dynamic(batch)
    return accounts


# Listed units for dynamic management (通知 一(三)): on the provincial list since 2023, each with
# an account, moved into every state of the form (seed, county, name, target, extras).
LISTED = [
    ("330106G01", "330106", "杭州西湖绿色仪表有限公司", "draft", {}),
    (
        "330106G02",
        "330106",
        "杭州西溪低碳电机有限公司",
        "county_review",
        {"data": {"safety_accident": "major"}},
    ),
    ("330106G03", "330106", "杭州留下绿色包装有限公司", "returned", {}),
    ("330211G04", "330211", "宁波镇海绿色化工有限公司", "city_review", {}),
    (
        "330106G05",
        "330106",
        "杭州转塘绿色食品有限公司",
        "city_done",
        {"rename": "杭州之江绿色食品股份有限公司", "opinion": "change"},
    ),
    (
        "330522G06",
        "330522",
        "湖州长兴绿色电池有限公司",
        "decided",
        {
            "data": {"env_incident": "major"},
            "opinion": "remove",
            "reasons": ["major_environmental"],
            "comment": "2024年发生重大突发环境事件，经现场评估不再符合要求。",
            "decision": "remove",
            "why": "发生重大突发环境事件",
        },
    ),
]


def _demo_dynamic(batch) -> list[tuple[str, str]]:
    province = User.objects.get(username="province")
    plan, accounts = [], []
    for n, (seed, county_code, name, target, extra) in enumerate(LISTED, start=1):
        org = _enterprise(name, county_code, seed, "3311")
        unit = _user(f"listed-{n}", org, f"listed{n}@example.invalid")
        accounts.append((f"listed-{n}", f"{name}（省级绿色低碳工厂，动态管理表：{target}）"))
        entry = ListEntry.objects.active().filter(tier=Tier.PROVINCIAL, organisation=org).first()
        if entry is None:
            entry = provincial_entries_write(
                units=[
                    PublishedUnit(
                        organisation=org,
                        kind="factory",
                        city_id=org.city_id,
                        county_id=org.county_id,
                        industry_class="3311",
                    )
                ],
                year=2023,
                source="浙经信绿色〔2023〕150号",
                by=province,
            )[0]
        county = User.objects.get(username=f"county-{county_code}")
        city = User.objects.get(username=f"city-{org.city_id}")
        plan.append((entry, unit, county, city, target, extra))
    real = Batch.objects.filter(year=2025).first()
    load_demo_dynamic(batch=batch, real_batch=real, province=province, plan=plan, pdf=demo_pdf())
    return accounts


def _enterprise(name, county_code, seed, industry_class):
    county = County.objects.get(code=county_code)
    org, created = Organisation.objects.get_or_create(
        kind=K.ENTERPRISE, name=name, defaults={"county": county, "city_id": county.city_id}
    )
    if created:
        Enterprise.objects.create(
            organisation=org,
            credit_code=uscc(seed),
            industry_class=industry_class,
            legal_representative="张三",
            contact_name="李四",
            contact_phone="0571-88000000",
        )
    return org


SAMPLES = [
    ("杭州西湖智能装备有限公司", "330106", "330106D01", "3491", "county_review"),
    ("杭州之江新能源科技有限公司", "330106", "330106D02", "3841", "county_review"),
    ("杭州滨江光电有限公司", "330108", "330108D03", "3976", "city_review"),
    ("杭州萧山绿色纺织有限公司", "330109", "330109D04", "1711", "recommended"),
]
UNLISTED = "杭州未列名单机械有限公司"


def _demo_applications(batch):
    """A handful of applications at different steps, moved by the real services."""
    city = User.objects.get(username="city-330100")
    for n, (name, county_code, seed, industry, target) in enumerate(SAMPLES):
        org = _enterprise(name, county_code, seed, industry)
        user = _user(f"demo-{seed.lower()}", org)
        application = application_create(unit=org, batch=batch, by=user)
        # 通知 二(一): submission needs the key indicators (conditions.indicators_complete).
        application_update(application, by=user, indicators=_demo_factory_indicators(n))
        document_upload(
            application=application,
            kind=DocumentKind.SELF_EVALUATION_REPORT,
            by=user,
            upload=SimpleUploadedFile("自评价报告.pdf", demo_pdf(), content_type="application/pdf"),
        )
        application_transition(application, name="submit", by=user)
        if target in (S.CITY_REVIEW, S.RECOMMENDED):
            reviewer = User.objects.get(username=f"county-{county_code}")
            application_transition(
                application, name="county_pass", by=reviewer, comment="材料齐全，同意上报。"
            )
        if target == S.RECOMMENDED:
            application_transition(application, name="city_recommend", by=city, comment="同意推荐。")


def _demo_factory_indicators(n: int) -> dict:
    """Plausible key indicators of a demo factory, each a little better than its benchmark."""
    return {
        "energy_per_unit": {"value": 110 + 7 * n, "benchmark": 135, "unit": "kgce/t"},
        "water_per_unit": {"value": round(2.4 + 0.3 * n, 1), "benchmark": 3.5, "unit": "m³/t"},
        "solid_waste_utilisation": {"value": 95 + n, "benchmark": 90},
        "renewable_share": {"value": 18 + 2 * n, "benchmark": 10},
    }
