"""The pages of the phone-and-axe walk, in one place: the data they show (build_world), what the
walk visits (VISITS), and every named URL it does not visit with the reason (EXEMPT).

Two tests read this module: tests/browser/test_every_page.py walks VISITS in Chromium (390 px,
axe-core), and tests/greenmfg/test_page_walk_coverage.py (fast, no browser) checks that every
named URL of the project is either visited here or exempted with its reason, so a new page cannot
be left out of the walk without someone writing down why."""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from dynamic.models import DynamicForm
from dynamic.services import campaign_open, form_document_upload, form_transition, form_update
from lists.xlsx import CITY_COLUMNS, NATIONAL_COLUMNS
from onboarding.identity import identity_change_request
from publicity.services import objection_file, publication_publish
from reviews.services import city_submission_open
from tests import factories as f
from tests.dynamic.conftest import complete_data, provincial_entry
from tests.experts.conftest import ProvinceWorld
from tests.lists.conftest import xlsx

# The error pages need views that fail on purpose: the walk runs with this URLconf (the portal's
# URLs plus /forbidden/, /bad-request/ and /boom/).
ERROR_URLCONF = "tests.greenmfg.test_front_door_urls"


def build_world(clock):
    """Something on every page: a draft, units in each review step, a city's submission, an expert
    opinion, a publicity round with an objection, a publication, dynamic management, and the
    accounts' own pages (a registration to verify, a refused one, an identity change)."""
    w = ProvinceWorld(clock=clock)
    w.draft = w.application("factory")
    w.at_county = w.in_state(
        "factory", "county_review", unit=f.enterprise("330106", name="杭州县审企业有限公司")
    )
    w.at_city = w.in_state("park", "city_review")
    w.recommended = w.in_state("factory", "recommended", unit=f.enterprise("330106", name="杭州已推荐企业"))
    w.submission = city_submission_open(batch=w.batch, by=w.users["city"])
    w.reviewed = w.under_review(name="杭州省评企业有限公司")
    f.expert_opinion(w.reviewed, w.users["expert"])
    w.published_unit = w.under_review(name="杭州公布企业有限公司")
    f.after_publicity(clock, f.publicity_round([w.published_unit]))
    w.publication = publication_publish(batch=w.batch, by=w.users["province"])
    w.in_publicity = w.under_review(name="杭州公示企业有限公司")
    f.publicity_round([w.in_publicity])
    w.objection = objection_file(
        application_pk=w.in_publicity.pk,
        name="张三",
        contact="13800000000",
        facts="能耗数据不实。",
        ip_address="127.0.0.1",
    )
    build_dynamic(w)
    build_accounts(w)
    return w


def build_dynamic(w):
    """Dynamic management open for the batch: one listed unit still filling its form, one whose
    form has the city's opinion (on the province's opinions page)."""
    filling = f.enterprise("330106", name="杭州动态填报企业有限公司")
    concluded = f.enterprise("330106", name="杭州动态意见企业有限公司")
    w.users["dynamic_unit"] = f.user_of(filling)
    for org in (filling, concluded):
        provincial_entry(org)
    campaign_open(batch=w.batch, by=w.users["province"])
    w.dynamic_filling = DynamicForm.objects.get(batch=w.batch, unit=filling)
    w.dynamic_concluded = form = DynamicForm.objects.get(batch=w.batch, unit=concluded)
    unit_user = f.user_of(concluded)
    form_update(form, by=unit_user, data=complete_data(form))
    form_document_upload(form=form, kind="signed_form", upload=f.pdf_upload("动态管理表.pdf"), by=unit_user)
    for name, actor, extra in (
        ("submit", unit_user, {}),
        ("county_pass", w.users["county"], {}),
        ("city_conclude", w.users["city"], {"opinion": "keep"}),
    ):
        form_transition(form, name=name, by=actor, **extra)
    w.dynamic_entry = form.entry
    w.city_entry = filling.list_entries.get(tier="city")  # f.enterprise puts it on the city list


def build_accounts(w):
    """The people pages: the factory's administrator (its colleagues, an identity change it asked
    for), a registration waiting for 西湖区's verification, a refused unit whose administrator may
    resubmit, and a person with a password link (never signed in, so the link stays valid)."""
    w.users["unit_admin"] = admin = f.user_of(w.factory_org, org_role="admin", full_name="王管理")
    f.user_of(w.factory_org, full_name="李同事", phone="13900000000")
    w.identity_change = identity_change_request(
        by=admin, name="杭州绿源新名称机械有限公司", reason="企业更名，已取得新营业执照。"
    )
    now = timezone.now()
    w.pending_org = f.enterprise(
        "330106", name="杭州待核验精密机械制造有限公司", verification="pending", green=False
    )
    refused = f.enterprise("330106", name="杭州未通过核验机械有限公司", verification="refused", green=False)
    for org in (w.pending_org, refused):
        org.registered_at = now
        org.verification_note = "营业执照与注册名称不符，请上传最新营业执照。"
        org.save(update_fields=["registered_at", "verification_note"])
    f.user_of(w.pending_org, org_role="admin", full_name="赵申请", phone="13700000000")
    w.users["refused_unit"] = f.user_of(refused, org_role="admin")
    w.password_user = f.user_of(w.factory_org, full_name="孙新人")


def password_link(w) -> list[str]:
    user = w.password_user
    return [urlsafe_base64_encode(force_bytes(user.pk)), default_token_generator.make_token(user)]


def _xlsx(columns, rows) -> dict:
    """A list file as the browser uploads it (tests.lists.conftest.xlsx writes the workbook)."""
    return {
        "name": "名单.xlsx",
        "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "buffer": xlsx(rows, columns),
    }


# --- what the walk does on a page before the page it checks -------------------------------------


def upload_city_list(page, w):
    """杭州's year-end list with one unit already on it and two new, one with a long name."""
    rows = [
        (1, w.dynamic_filling.unit_name, w.dynamic_filling.credit_code, "西湖区", "工厂", "3311", 2024),
        (2, "杭州新列入高端装备精密零部件智能制造有限公司", f.credit_code(), "西湖区", "工厂", "3311", 2025),
        (3, "杭州钱塘新材料产业园", "", "钱塘区", "园区", "省级开发区", 2025),
    ]
    page.get_by_label("名单文件（.xlsx）").set_input_files(_xlsx(CITY_COLUMNS, rows))
    page.get_by_role("button", name="上传并预览").click()


def upload_national_list(page, w):
    rows = [
        (1, "浙江国家级绿色工厂甲有限公司", f.credit_code(), "杭州市", "通用设备制造业", 2022),
        (2, "浙江国家级绿色工厂乙有限公司", f.credit_code(), "宁波市", "纺织业", 2023),
    ]
    page.get_by_label("名单类别").select_option("factory")
    page.get_by_label("导入年度").fill("2023")
    page.get_by_label("名单文件（.xlsx）").set_input_files(_xlsx(NATIONAL_COLUMNS, rows))
    page.get_by_role("button", name="上传并预览").click()


def refuse_registration(page, w):
    """The confirmation page (core.confirm), as a bureau without JavaScript would see it."""
    page.get_by_label("核验意见").fill("营业执照与注册名称不符，请上传最新营业执照。")
    page.evaluate("document.getElementById('confirm-refuse').remove()")  # no dialog: the page
    page.get_by_role("button", name="不予通过").click()


def refuse_identity_change(page, w):
    """The 不同意 confirmation page (core.confirm), as a bureau without JavaScript would see it."""
    page.get_by_label("核验意见").fill("未见工商变更登记材料，请补充后重新申请。")
    page.evaluate("document.getElementById('confirm-refuse').remove()")  # no dialog: the page
    page.get_by_role("button", name="不同意").click()


def post_without_csrf_token(page, w):
    """A form posted without its token (a page kept open past its session): the CSRF page."""
    page.evaluate("document.querySelectorAll('input[name=csrfmiddlewaretoken]').forEach(e => e.remove())")
    page.get_by_label("用户名").fill("someone")
    page.get_by_label("密码").fill("something")
    page.get_by_role("button", name="登录").click()


@dataclass(frozen=True)
class Visit:
    """One page of the walk, seen by `role` (a key of the world's users; None: signed out).

    `name` is the URL name the visit covers; the walk opens it (with `args` from the world and
    `query`), or, with `act`, opens the page `via` and lets `act` post its form: the answer is the
    page checked (the upload previews, a confirmation page). `path` opens an address that has no
    name (the error pages). `status` is the answer expected, `text` words it must show."""

    role: str | None
    name: str = ""
    args: Callable | None = None
    query: str = ""
    via: str = ""
    via_args: Callable | None = None
    act: Callable | None = None
    path: str = ""
    status: int = 200
    text: str = ""  # words the page must show: the walk reached the page it means to check

    def address(self, w) -> str:
        if self.path:
            return self.path
        if self.act:
            return reverse(self.via, args=self.via_args(w) if self.via_args else None)
        return reverse(self.name, args=self.args(w) if self.args else None) + self.query

    def label(self, w) -> str:
        return f"{self.address(w)}{' → ' + self.name if self.act else ''} ({self.role or 'signed out'})"


def _pages(role, *pages) -> list[Visit]:
    """Visits of `role`: a URL name, or (name, args) / (name, args, query)."""
    visits = []
    for p in pages:
        name, args, query = (p, None, "") if isinstance(p, str) else (*p, "")[:3]
        visits.append(Visit(role, name, args=args, query=query))
    return visits


def _pk(attr):
    return lambda w: [getattr(w, attr).pk]


VISITS = [
    *_pages(
        None,
        "home",
        "login",
        "public-publicity",
        "public-published-index",
        ("public-published", _pk("publication")),
        "public-lists",
        "register",
        ("register-kind", lambda w: ["enterprise"]),
        ("register-kind", lambda w: ["park"]),
        ("register-kind", lambda w: ["assessor"]),
        "registration-join",
        "password_reset",
        "password_reset_done",
        ("password_reset_confirm", password_link),
        ("password_set", password_link),
        "password_reset_complete",
    ),
    Visit(None, path="/no/such/page/", status=404, text="页面不存在"),
    Visit(None, path="/forbidden/", status=403, text="无权访问"),
    Visit(None, path="/bad-request/", status=400, text="请求有误"),
    Visit(None, "login", via="login", act=post_without_csrf_token, status=403, text="页面已过期"),
    *_pages(
        "dynamic_unit",
        "dynamic-forms",
        ("dynamic-form", _pk("dynamic_filling")),
        ("dynamic-form-edit", _pk("dynamic_filling")),
    ),
    *_pages(
        "applicant_factory",
        "home",
        "profile",
        ("application-detail", _pk("draft")),
        ("application-edit", _pk("draft")),
        ("application-assessor", _pk("draft")),
        ("application-upload", _pk("draft")),
        ("application-submit", _pk("draft")),
        "inbox",
        "password_change",
        "password_change_done",
        "dynamic-forms",
    ),
    *_pages("unit_admin", "members", "identity-change"),
    *_pages("refused_unit", "home"),  # the refusal, its reason and 重新提交核验
    *_pages(
        "applicant_park",
        "home",
        "profile",
        ("application-detail", _pk("at_city")),
        ("application-receipt", _pk("at_city")),
    ),
    *_pages("assessor", "home"),
    *_pages(
        "county",
        "home",
        "review-queue",
        ("review-queue", None, "?tab=passed"),
        ("review-queue", None, "?tab=returned"),
        ("review-queue", None, "?tab=rejected"),
        ("review-detail", _pk("at_county")),
        "lists-entries",
        "dynamic-forms",
        ("dynamic-form", _pk("dynamic_filling")),
        "verification-queue",
        ("verification-detail", _pk("pending_org")),
        ("identity-change-detail", _pk("identity_change")),
    ),
    Visit(
        "county",
        "verification-detail",
        via="verification-detail",
        via_args=_pk("pending_org"),
        act=refuse_registration,
        text="确认不予通过",
    ),
    Visit(
        "county",
        "identity-change-detail",
        via="identity-change-detail",
        via_args=_pk("identity_change"),
        act=refuse_identity_change,
        text="确认不同意",
    ),
    Visit("county", path="/no/such/page/", status=404, text="页面不存在"),
    *_pages(
        "city",
        "home",
        "review-queue",
        ("review-detail", _pk("at_city")),
        ("review-detail", _pk("recommended")),
        ("submission-detail", _pk("submission")),
        "submission-list",
        "lists-entries",
        "lists-city",
        "dynamic-forms",
        ("dynamic-form", _pk("dynamic_concluded")),
        ("lists-entry", _pk("city_entry")),
        ("lists-entry-end", _pk("city_entry")),
    ),
    Visit("city", "lists-city-upload", via="lists-city", act=upload_city_list, text="新增2个"),
    *_pages("other_city", "submission-current"),  # no draft yet: the page offers to start one
    *_pages(
        "province",
        "home",
        "dashboard",
        "dashboard-applications",
        "batch-settings-current",
        ("batch-settings", lambda w: [w.batch.year]),
        "batch-open",
        "submission-list",
        ("submission-detail", _pk("submission")),
        "expert-board",
        ("expert-decision", _pk("reviewed")),
        "publicity-manage",
        ("publicity-objection", _pk("objection")),
        "lists-entries",
        "lists-national",
        "lists-reports",
        ("lists-entry", _pk("dynamic_entry")),
        "dynamic-forms",
        "dynamic-opinions",
        ("dynamic-form", _pk("dynamic_concluded")),
        "inbox",
        "verification-queue",
        "bureau-admins",
        "lockouts",
    ),
    Visit(
        "province", "lists-national-upload", via="lists-national", act=upload_national_list, text="新增2个"
    ),
    Visit("province", path="/forbidden/", status=403, text="无权访问"),
    *_pages("expert", "expert-tasks", ("expert-opinion", _pk("reviewed"))),
]

# Named URLs the walk does not open, each with its reason. The kind says what the URL answers;
# the coverage test checks the kinds it can (a POST-only URL has no GET).
POST = "POST only: it acts and redirects back to the page it was posted from, which is walked"
DOWNLOAD = "a file (PDF, xlsx or an uploaded document), not a page"
EXEMPT = {
    # kind, reason
    "logout": (POST, "signing out"),
    "set_language": (POST, "the header's language buttons"),
    "verification-resubmit": (POST, "重新提交核验, from the refused unit's home page (walked)"),
    "application-start": (POST, "starting an application from the home page"),
    "application-transition": (POST, "submit and withdraw; its confirmation page is confirm/page.html"),
    "batch-settings-quotas": (POST, "the batch page's quota table"),
    "batch-settings-update": (POST, "the batch page's settings"),
    "batch-settings-extension": (POST, "the batch page's extensions"),
    "batch-settings-extension-remove": (POST, "the batch page's extensions"),
    "batch-settings-import": (POST, "the batch page's quota import"),
    "review-bulk": (POST, "the queue's bulk actions"),
    "review-transition": (POST, "the decision panel"),
    "submission-edit": (POST, "the submission page"),
    "submission-upload": (POST, "the submission page"),
    "submission-send": (POST, "the submission page's 报送"),
    "expert-assign": (POST, "the province's decision page"),
    "expert-decide": (POST, "the province's decision page"),
    "expert-unassign": (POST, "the province's decision page"),
    "publicity-open": (POST, "the expert board's 列入公示"),
    "publicity-publish": (POST, "the publicity desk's 联合发文公布"),
    "lists-city-confirm": (POST, "the city list preview's confirmation (the preview is walked)"),
    "lists-city-add": (POST, "the city list page"),
    "lists-national-confirm": (POST, "the national list preview's confirmation (the preview is walked)"),
    "dynamic-open": (POST, "the dynamic-management page's 开启"),
    "dynamic-assessor": (POST, "the form's page"),
    "dynamic-change-add": (POST, "the form's edit page"),
    "dynamic-change-remove": (POST, "the form's edit page"),
    "dynamic-upload": (POST, "the form's edit page"),
    "dynamic-transition": (POST, "the form's page and the opinions page"),
    "public-blank-form": (DOWNLOAD, "the front page's blank forms"),
    "registration-document": (DOWNLOAD, "a registration's evidence"),
    "application-document": (DOWNLOAD, "an application's documents"),
    "batch-settings-annex1": (DOWNLOAD, "Annex 1"),
    "dashboard-applications-xlsx": (DOWNLOAD, "the dashboard's application list"),
    "dashboard-xlsx": (DOWNLOAD, "the dashboard"),
    "dashboard-annex2": (DOWNLOAD, "the province-wide Annex 2"),
    "submission-document": (DOWNLOAD, "a submission's documents"),
    "submission-letter": (DOWNLOAD, "the recommendation letter"),
    "review-queue-xlsx": (DOWNLOAD, "the review queue"),
    "submission-annex2": (DOWNLOAD, "a city's Annex 2"),
    "submission-dynamic-opinions-pdf": (DOWNLOAD, "the city's dynamic-management opinions"),
    "submission-dynamic-opinions-xlsx": (DOWNLOAD, "the city's dynamic-management opinions"),
    "public-notice-pdf": (DOWNLOAD, "the joint publication notice"),
    "publicity-objection-evidence": (DOWNLOAD, "an objection's evidence"),
    "lists-export": (DOWNLOAD, "the lists"),
    "lists-city-template": (DOWNLOAD, "the city list's template"),
    "dynamic-document": (DOWNLOAD, "a dynamic-management form's documents"),
    "healthz": ("a probe", "the load balancer's health check: a JSON answer, no page"),
    "api-token": ("the API", "JSON for programs (tests/api)"),
    "api-token-revoke": ("the API", "JSON for programs (tests/api)"),
    "api-schema": ("the API", "the OpenAPI schema (YAML)"),
    "api-docs": ("the API", "drf-spectacular's Swagger UI for developers, not a page of the portal's work"),
}
# Whole namespaces: the REST API (JSON for programs, tests/api) and Django's own admin (staff only,
# Django's pages and styles).
EXEMPT_NAMESPACES = {"api": "the REST API: JSON for programs (tests/api)", "admin": "Django's admin"}
