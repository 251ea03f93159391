"""Units register themselves; the bureau of their region verifies them; unverified units cannot
submit."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import InboxMessage, Organisation, OrgRole, User, Verification, VerificationLog
from applications.selectors import transition_options
from tests import factories as f

pytestmark = pytest.mark.django_db


def enterprise_data(**overrides):
    data = {
        "name": "杭州新注册机械有限公司",
        "credit_code": f.credit_code(),
        "county": "330106",
        "industry_class": "3311",
        "contact_name": "孙八",
        "contact_phone": "0571-88001234",
        "full_name": "孙八",
        "mobile": "13800138000",
        "email": "sun.ba@example.invalid",
        "document": SimpleUploadedFile("营业执照.pdf", f.pdf_bytes(), content_type="application/pdf"),
    }
    data.update(overrides)
    return data


@pytest.fixture(autouse=True)
def _commits(django_capture_on_commit_callbacks):
    global COMMIT
    COMMIT = django_capture_on_commit_callbacks


def register(client, kind="enterprise", **overrides):
    data = {"enterprise": enterprise_data, "park": park_data, "assessor": assessor_data}[kind](**overrides)
    with COMMIT(execute=True):
        return client.post(reverse("register-kind", args=[kind]), data)


def post(client, *args, **kwargs):
    """A POST whose after-commit mail is sent before the test goes on."""
    with COMMIT(execute=True):
        return client.post(*args, **kwargs)


def park_data(**overrides):
    data = {
        "name": "宁波新注册产业园",
        "management_body": "宁波新注册产业园管委会",
        "city": "330200",
        "park_type": "high_tech",
        "level": "provincial",
        "contact_name": "钱九",
        "contact_phone": "0574-88001234",
        "full_name": "钱九",
        "mobile": "13900139000",
        "email": "qian.jiu@example.invalid",
        "document": SimpleUploadedFile("批复.pdf", f.pdf_bytes(), content_type="application/pdf"),
    }
    data.update(overrides)
    return data


def assessor_data(**overrides):
    data = {
        "name": "浙江新评价咨询有限公司",
        "credit_code": f.credit_code(),
        "group_name": "浙江新评价集团有限公司",
        "group_credit_code": f.credit_code(),
        "affiliates": "浙江新评价检测有限公司\n杭州新评价节能技术有限公司",
        "contact_name": "郑十",
        "contact_phone": "0571-88005678",
        "full_name": "郑十",
        "mobile": "13700137000",
        "email": "zheng.shi@example.invalid",
        "document": SimpleUploadedFile("关联单位证明.pdf", f.pdf_bytes(), content_type="application/pdf"),
    }
    data.update(overrides)
    return data


def test_an_enterprise_registers_pending_with_its_administrator_and_a_set_password_mail(client, mailoutbox):
    county_user = f.user_of(f.county_bureau("330106"))
    resp = register(client)
    assert resp.status_code == 200 and "注册已提交" in resp.content.decode()
    org = Organisation.objects.get(name="杭州新注册机械有限公司")
    assert org.verification == Verification.PENDING and org.county_id == "330106"
    user = User.objects.get(organisation=org)
    assert user.org_role == OrgRole.ADMIN and user.username == "sun.ba@example.invalid"
    assert org.registration_documents.count() == 1
    to = {m.to[0] for m in mailoutbox}
    assert to == {"sun.ba@example.invalid", county_user.email}
    assert "/accounts/password/set/" in next(m.body for m in mailoutbox if m.to == [user.email])
    # Every mail also in the inbox.
    assert InboxMessage.objects.filter(user__in=[user, county_user]).count() == 2


def test_a_park_and_an_assessor_register(client):
    assert "注册已提交" in register(client, "park").content.decode()
    assert "注册已提交" in register(client, "assessor").content.decode()
    assessor = Organisation.objects.get(name="浙江新评价咨询有限公司").assessor
    assert assessor.group.name == "浙江新评价集团有限公司"
    assert "杭州新评价节能技术有限公司" in assessor.group.affiliates


def test_a_duplicate_credit_code_is_refused_with_the_reason_and_a_way_to_join(client):
    existing = f.enterprise("330106", name="已注册的企业有限公司")
    code = existing.enterprise.credit_code
    resp = register(client, credit_code=code, email="other@example.invalid")
    body = resp.content.decode()
    assert "已由“已注册的企业有限公司”注册" in body
    assert reverse("registration-join") in body
    assert not User.objects.filter(username="other@example.invalid").exists()


def test_a_wrong_check_character_is_refused_next_to_the_field(client):
    code = f.credit_code()
    wrong = code[:-1] + ("0" if code[-1] != "0" else "1")
    body = register(client, credit_code=wrong).content.decode()
    assert "校验位不正确" in body
    assert not Organisation.objects.filter(name="杭州新注册机械有限公司").exists()


def test_a_file_that_is_not_a_pdf_is_refused(client):
    body = register(
        client, document=SimpleUploadedFile("执照.pdf", b"not a pdf", content_type="application/pdf")
    ).content.decode()
    assert "不是 PDF" in body
    assert not Organisation.objects.filter(name="杭州新注册机械有限公司").exists()


def test_join_request_tells_the_units_administrators(client, mailoutbox):
    org = f.enterprise("330106")
    admin = f.user_of(org, org_role=OrgRole.ADMIN)
    resp = post(
        client,
        reverse("registration-join"),
        {
            "code": org.enterprise.credit_code,
            "full_name": "新同事",
            "email": "new@example.invalid",
            "mobile": "13600136000",
        },
    )
    assert resp.status_code == 200
    assert [m.to for m in mailoutbox] == [[admin.email]] and "新同事" in mailoutbox[0].body


def _join(client, code, address, n=0):
    data = {
        "code": code,
        "full_name": f"新同事{n}",
        "email": f"new{n}@example.invalid",
        "mobile": "13600136000",
    }
    return post(client, reverse("registration-join"), data, REMOTE_ADDR=address)


def test_join_requests_are_limited_per_address_in_the_database(client, mailoutbox, settings):
    from django.core.cache import cache

    settings.JOIN_REQUEST_LIMIT_PER_ADDRESS = 2
    units = [f.enterprise("330106") for _ in range(3)]
    for org in units:
        f.user_of(org, org_role=OrgRole.ADMIN)
    for n, org in enumerate(units[:2]):
        assert _join(client, org.enterprise.credit_code, "10.1.1.1", n).status_code == 200
        cache.clear()  # the count is not in a cache: another app server would see it too
    resp = _join(client, units[2].enterprise.credit_code, "10.1.1.1", 2)
    assert resp.status_code == 429
    assert "同一网络地址1小时内最多提交2次加入申请" in resp.content.decode()
    assert len(mailoutbox) == 2
    # Another address is still heard.
    assert _join(client, units[2].enterprise.credit_code, "10.1.1.2", 3).status_code == 200
    assert len(mailoutbox) == 3


def test_join_requests_are_limited_per_unit_registered_or_not(client, mailoutbox, settings):
    settings.JOIN_REQUEST_LIMIT_PER_UNIT = 2
    org = f.enterprise("330106")
    f.user_of(org, org_role=OrgRole.ADMIN)
    unregistered = f.credit_code()
    for code in (org.enterprise.credit_code, unregistered):
        for n in range(2):
            assert _join(client, code, f"10.2.{n}.1", n).status_code == 200
        resp = _join(client, code, "10.2.9.1", 9)
        assert resp.status_code == 429, code
        page = resp.content.decode()
        # Beside the code field, the same answer whether the code is registered or not.
        errors = page.split('id="id_code_errors"')[1].split("</ul>")[0]
        assert "该单位今天已收到2次加入申请" in errors
    assert len(mailoutbox) == 2


def _registered(client, kind="enterprise", **overrides):
    register(client, kind, **overrides)
    return Organisation.objects.filter(registered_at__isnull=False).latest("pk")


def test_each_verifier_sees_only_its_own_regions_registrations(client):
    enterprise = _registered(client)
    park = _registered(client, "park")
    assessor = _registered(client, "assessor")
    cases = [
        (f.user_of(f.county_bureau("330106")), {enterprise}),
        (f.user_of(f.county_bureau("330108")), set()),
        (f.user_of(f.city_bureau("330200")), {park}),
        (f.user_of(f.city_bureau("330100")), set()),
        (f.user_of(f.province()), {assessor}),
    ]
    for user, visible in cases:
        client.force_login(user)
        page = client.get(reverse("verification-queue")).content.decode()
        for org in (enterprise, park, assessor):
            assert (org.name in page) == (org in visible), (user.organisation.name, org.name)
            status = client.get(reverse("verification-detail", args=[org.pk])).status_code
            assert status == (200 if org in visible else 404), (user.organisation.name, org.name)
            doc = org.registration_documents.first()
            status = client.get(reverse("registration-document", args=[org.pk, doc.pk])).status_code
            assert status == (200 if org in visible else 404)


def test_an_applicant_has_no_verification_queue(client):
    client.force_login(f.user_of(f.enterprise()))
    assert client.get(reverse("verification-queue")).status_code == 404


def test_the_county_verifies_and_the_unit_is_told(client, mailoutbox):
    org = _registered(client)
    county = f.user_of(f.county_bureau("330106"), full_name="县局核验员")
    mailoutbox.clear()
    client.force_login(county)
    resp = post(client, reverse("verification-detail", args=[org.pk]), {"decision": "verify", "comment": ""})
    assert resp.status_code == 302
    org.refresh_from_db()
    assert org.verification == Verification.VERIFIED
    log = VerificationLog.objects.get(organisation=org)
    assert (log.source, log.target, log.actor) == ("pending", "verified", county)
    assert [m.to for m in mailoutbox] == [["sun.ba@example.invalid"]] and "通过核验" in mailoutbox[0].subject


def test_a_refusal_needs_a_reason_is_confirmed_and_the_unit_reads_it(client, mailoutbox):
    """不予通过 without a reason: the reason asked for at once, beside the field. With one: a
    confirmation page first (core.confirm) naming the unit, what follows and the reason, nothing
    changed and no mail; the confirmed post refuses and the unit reads the reason."""
    org = _registered(client)
    client.force_login(f.user_of(f.county_bureau("330106")))
    url = reverse("verification-detail", args=[org.pk])
    resp = client.post(url, {"decision": "refuse", "comment": ""})
    assert resp.status_code == 200 and "请填写不予通过的理由" in resp.content.decode()
    assert "confirm-page" not in resp.content.decode()
    org.refresh_from_db()
    assert org.verification == Verification.PENDING
    mailoutbox.clear()
    data = {"decision": "refuse", "comment": "营业执照与名称不符"}
    first = post(client, url, data)
    html = first.content.decode()
    assert first.status_code == 200 and '<h1 id="confirm-title">确认不予通过</h1>' in html
    assert f"将对“{org.name}”作出决定：不予通过。" in html
    assert "按理由修改单位信息后可重新提交核验" in html and "理由：营业执照与名称不符" in html
    assert '<input type="hidden" name="decision" value="refuse">' in html
    assert '<input type="hidden" name="confirmed" value="yes">' in html
    assert f'href="{url}"' in html  # 取消: back to the registration
    org.refresh_from_db()
    assert org.verification == Verification.PENDING and not VerificationLog.objects.filter(organisation=org)
    assert not mailoutbox
    post(client, url, {**data, "confirmed": "yes"})
    org.refresh_from_db()
    assert org.verification == Verification.REFUSED
    assert VerificationLog.objects.get(organisation=org).comment == "营业执照与名称不符"
    assert "营业执照与名称不符" in mailoutbox[0].body


def test_verifying_is_not_confirmed_and_a_decided_registration_is_refused_at_once(client):
    org = _registered(client)
    client.force_login(f.user_of(f.county_bureau("330106")))
    url = reverse("verification-detail", args=[org.pk])
    page = client.get(url).content.decode()
    assert 'data-confirm-choice="confirm-refuse"' in page and 'id="confirm-refuse"' in page
    assert 'data-confirm-title="确认不予通过"' in page and 'data-confirm-value="comment"' in page
    assert post(client, url, {"decision": "verify", "comment": ""}).status_code == 302
    # The page the bureau comes back to says why (the decision form is gone once decided).
    resp = client.post(url, {"decision": "refuse", "comment": "重复注册"}, follow=True)
    html = resp.content.decode()
    assert resp.redirect_chain == [(url, 302)]
    assert "confirm-page" not in html and "该注册已处理（已核验）。" in html
    org.refresh_from_db()
    assert org.verification == Verification.VERIFIED


def test_another_county_cannot_decide(client):
    org = _registered(client)
    client.force_login(f.user_of(f.county_bureau("330108")))
    resp = client.post(reverse("verification-detail", args=[org.pk]), {"decision": "verify"})
    assert resp.status_code == 404
    org.refresh_from_db()
    assert org.verification == Verification.PENDING


def test_an_unverified_unit_fills_its_profile_but_cannot_submit(client):
    org = _registered(client)
    b = f.batch()
    # Make the unit eligible otherwise: on its city's city-level list.
    f.city_list_entry(org)
    app = f.application(org, b)
    user = org.users.get()
    submit = next(o for o in transition_options(app, user) if o.name == "submit")
    assert not submit.allowed
    assert any("尚未通过主管经信局核验" in r for r in submit.reasons)
    from accounts.models import Organisation as O
    from onboarding.services import organisation_verify

    organisation_verify(O.objects.get(pk=org.pk), by=f.user_of(f.county_bureau("330106")))
    app.unit.refresh_from_db()
    submit = next(o for o in transition_options(app, user) if o.name == "submit")
    assert submit.allowed, submit.reasons


def test_the_verifier_sees_that_a_registering_unit_is_already_on_a_list(client):
    """A unit on a list before it had an account is matched by its credit code: the verifier's
    queue and page name the list, its tier and year; a unit on no list shows none."""
    from lists.models import ListEntry

    listed_code = f.credit_code()
    ListEntry.objects.create(
        tier="provincial",
        kind="factory",
        unit_name="杭州老名字机械有限公司",
        credit_code=listed_code,
        city_id="330100",
        county_id="330106",
        year=2023,
        source="浙经信绿色〔2023〕1号",
    )
    listed = _registered(client, credit_code=listed_code)
    unlisted = _registered(
        client, name="杭州未上榜机械有限公司", credit_code=f.credit_code(), email="x@example.invalid"
    )
    client.force_login(f.user_of(f.county_bureau("330106")))
    page = client.get(reverse("verification-detail", args=[listed.pk])).content.decode()
    assert "已列入名单" in page and "省级工厂名单（2023年列入）" in page
    assert "杭州老名字机械有限公司" in page  # the name on the list, where it differs
    page = client.get(reverse("verification-detail", args=[unlisted.pk])).content.decode()
    assert "已列入名单" not in page and "名单（" not in page
    queue = client.get(reverse("verification-queue")).content.decode()
    row_listed = queue.split(listed.name)[1].split("</tr>")[0]
    row_unlisted = queue.split(unlisted.name)[1].split("</tr>")[0]
    assert "省级工厂名单（2023年列入）" in row_listed and "名单（" not in row_unlisted
