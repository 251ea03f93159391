"""Identity is verified data: name, credit code and region change only by an approved request;
the province decides once an application is past the county or published; public pages keep
the name on record until then."""

import pytest
from django.urls import reverse

from accounts.models import Enterprise, Organisation, OrgRole
from accounts.people import AccountError
from onboarding.identity import (
    can_decide,
    changes_to_decide,
    identity_change_decide,
    identity_change_refuse_check,
    identity_change_request,
    province_decides,
)
from onboarding.models import IdentityChange, IdentityChangeLog
from reference.models import County
from tests import factories as f
from tests.applications.conftest import World

pytestmark = pytest.mark.django_db


def _request(client, user, **data):
    client.force_login(user)
    return client.post(reverse("identity-change"), {"reason": "工商变更登记", **data})


def test_the_county_approves_a_rename_of_a_unit_with_only_a_draft(client, mailoutbox):
    org = f.enterprise("330106", name="旧名有限公司")
    admin = f.user_of(org, org_role=OrgRole.ADMIN)
    f.application(org, f.batch())
    new_code = f.credit_code()
    assert _request(client, admin, name="新名有限公司", credit_code=new_code).status_code == 302
    org.refresh_from_db()
    assert org.name == "旧名有限公司"  # nothing changes before approval
    change = IdentityChange.objects.get()
    county = f.user_of(f.county_bureau("330106"))
    client.force_login(county)
    assert "旧名有限公司" in client.get(reverse("verification-queue")).content.decode()
    resp = client.post(reverse("identity-change-detail", args=[change.pk]), {"decision": "approve"})
    assert resp.status_code == 302
    org.refresh_from_db()
    assert org.name == "新名有限公司" and Enterprise.objects.get(pk=org.pk).credit_code == new_code
    log = IdentityChangeLog.objects.get()
    assert (log.source, log.target, log.actor) == ("pending", "approved", county)


def test_another_county_cannot_decide(client):
    org = f.enterprise("330106", name="旧名有限公司")
    _request(client, f.user_of(org, org_role=OrgRole.ADMIN), name="新名有限公司")
    change = IdentityChange.objects.get()
    client.force_login(f.user_of(f.county_bureau("330108")))
    assert client.get(reverse("identity-change-detail", args=[change.pk])).status_code == 404


def test_a_member_who_is_not_administrator_cannot_ask(client):
    org = f.enterprise("330106")
    client.force_login(f.user_of(org))
    assert client.get(reverse("identity-change")).status_code == 404


def test_a_published_park_renamed_waits_for_the_province_and_the_public_list_keeps_its_name(
    client, time_machine
):
    world = World(clock=time_machine)
    app = world.in_state("park", "published")
    park = app.unit
    old_name = park.name
    admin = f.user_of(park, org_role=OrgRole.ADMIN)
    # Renaming on the profile does nothing.
    client.force_login(admin)
    client.post(reverse("profile"), {"name": "改名后的园区"})
    park.refresh_from_db()
    assert park.name == old_name
    _request(client, admin, name="改名后的园区")
    change = IdentityChange.objects.get()
    # The city (the park's verifier) may not decide: the park is published.
    client.force_login(world.users["city"])
    assert client.get(reverse("identity-change-detail", args=[change.pk])).status_code == 404
    # Until the province decides, the public list shows the published name.
    client.logout()
    published = client.get("/publicity/published/").content.decode()
    from publicity.models import Publication

    pub = Publication.objects.first()
    body = client.get(f"/publicity/published/{pub.pk}/").content.decode() if pub else published
    assert "改名后的园区" not in body
    client.force_login(world.users["province"])
    assert (
        client.post(reverse("identity-change-detail", args=[change.pk]), {"decision": "approve"}).status_code
        == 302
    )
    assert Organisation.objects.get(pk=park.pk).name == "改名后的园区"


def _to_refuse(client, **data):
    """A unit's pending identity change (rename, new code, move to 宁波市海曙区) and its county."""
    org = f.enterprise("330106", name="旧名有限公司")
    admin = f.user_of(org, org_role=OrgRole.ADMIN, email="admin@jiuming.example.invalid")
    _request(client, admin, **{"name": "新名有限公司", "county": "330203", **data})
    return IdentityChange.objects.get(), f.user_of(f.county_bureau("330106"))


def test_a_refusal_needs_a_reason_said_beside_the_field_without_a_confirmation(client):
    change, county = _to_refuse(client)
    client.force_login(county)
    resp = client.post(reverse("identity-change-detail", args=[change.pk]), {"decision": "refuse"})
    html = resp.content.decode()
    assert resp.status_code == 200 and "请填写不同意的理由" in html
    assert 'id="id_comment_errors" role="alert"><li>请填写不同意的理由' in html
    assert "confirm-page" not in html
    change.refresh_from_db()
    assert change.state == "pending"


def test_a_refusal_is_confirmed_first_naming_the_unit_the_change_and_the_reason(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    """不同意, as a registration's 不予通过 (core.confirm): the first post answers a confirmation
    page naming the unit, the change it asked for, what follows and the reason, with nothing
    changed and nobody told; the confirmed post refuses and the unit reads the reason."""
    code = f.credit_code()
    change, county = _to_refuse(client, credit_code=code)
    client.force_login(county)
    url = reverse("identity-change-detail", args=[change.pk])
    page = client.get(url).content.decode()
    assert 'data-confirm-choice="confirm-refuse"' in page and 'id="confirm-refuse"' in page
    assert 'data-confirm-title="确认不同意"' in page and 'data-confirm-value="comment"' in page
    mailoutbox.clear()
    data = {"decision": "refuse", "comment": "未见工商变更登记材料"}
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(url, data)
    html = first.content.decode()
    assert first.status_code == 200 and '<h1 id="confirm-title">确认不同意</h1>' in html
    assert "将对“旧名有限公司”作出决定：不同意。" in html
    assert "<li>名称：旧名有限公司 → 新名有限公司</li>" in html
    assert f"<li>统一社会信用代码：{change.old_credit_code} → {code}</li>" in html
    assert "<li>所在地区：杭州市西湖区 → 宁波市海曙区</li>" in html
    assert "单位信息保持不变" in html and "可按理由重新提交变更申请" in html
    assert "理由：未见工商变更登记材料" in html
    assert '<input type="hidden" name="decision" value="refuse">' in html
    assert '<input type="hidden" name="confirmed" value="yes">' in html
    assert f'href="{url}"' in html  # 取消: back to the change
    change.refresh_from_db()
    assert change.state == "pending" and not IdentityChangeLog.objects.exists()
    assert not mailoutbox
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, {**data, "confirmed": "yes"}).status_code == 302
    change.refresh_from_db()
    assert (change.state, change.decision_note) == ("refused", "未见工商变更登记材料")
    log = IdentityChangeLog.objects.get()
    assert (log.transition, log.actor, log.comment) == ("refuse", county, "未见工商变更登记材料")
    assert Organisation.objects.get(pk=change.organisation_id).name == "旧名有限公司"
    assert [m.to for m in mailoutbox] == [["admin@jiuming.example.invalid"]]
    assert "未见工商变更登记材料" in mailoutbox[0].body


def test_approving_is_not_confirmed_and_a_decided_change_is_refused_at_once(client):
    change, county = _to_refuse(client)
    client.force_login(county)
    url = reverse("identity-change-detail", args=[change.pk])
    assert client.post(url, {"decision": "approve"}).status_code == 302
    change.refresh_from_db()
    assert change.state == "approved"
    # Decided: no longer the county's to decide, a refusal finds nothing (not a confirmation).
    resp = client.post(url, {"decision": "refuse", "comment": "重复申请", "confirmed": "yes"})
    assert resp.status_code == 404
    change.refresh_from_db()
    assert change.state == "approved"


def test_the_refusal_check_refuses_what_the_decision_would(client):
    """identity_change_refuse_check (run before the confirmation page) says no to what
    identity_change_decide would: a missing reason (beside the field), a change decided
    meanwhile, a change that is the province's to decide."""
    change, county = _to_refuse(client, county="")  # a rename only: the county stays its verifier
    with pytest.raises(AccountError) as missing:
        identity_change_refuse_check(change, by=county, comment="  ")
    assert missing.value.field == "comment"
    with pytest.raises(AccountError, match="该变更申请应由省经信厅审核"):
        identity_change_refuse_check(change, by=f.user_of(f.county_bureau("330108")), comment="重复申请")
    identity_change_decide(change, by=county, approve=True)
    change.refresh_from_db()
    with pytest.raises(AccountError, match="该变更申请已处理") as decided:
        identity_change_refuse_check(change, by=county, comment="重复申请")
    assert decided.value.field is None


def test_another_organisations_user_cannot_refuse(client):
    change, _county = _to_refuse(client)
    url = reverse("identity-change-detail", args=[change.pk])
    data = {"decision": "refuse", "comment": "不同意", "confirmed": "yes"}
    for other in (
        f.user_of(f.county_bureau("330108")),
        f.user_of(f.enterprise("330106"), org_role=OrgRole.ADMIN),
        f.user_of(change.organisation, org_role=OrgRole.ADMIN),
    ):
        client.force_login(other)
        assert client.post(url, {**data, "confirmed": ""}).status_code == 404
        assert client.post(url, data).status_code == 404
    change.refresh_from_db()
    assert change.state == "pending" and not IdentityChangeLog.objects.exists()


PAST_COUNTY = ["city_review", "recommended", "province_review", "publicity", "published"]
WITH_THE_UNIT_OR_COUNTY = ["draft", "county_review", "returned", "rejected"]


@pytest.mark.parametrize("state", PAST_COUNTY + WITH_THE_UNIT_OR_COUNTY)
def test_the_province_decides_an_identity_change_once_an_application_is_past_the_county(time_machine, state):
    """Once the city or the province holds one of its applications (or it is published), what the
    reviewers saw is the province's to change; before that the verifying county decides."""
    world = World(clock=time_machine)
    org = world.in_state("factory", state).unit
    change = identity_change_request(
        by=f.user_of(org, org_role=OrgRole.ADMIN), name="新名有限公司", reason="工商变更登记"
    )
    county, province = world.users["county"], world.users["province"]
    past = state in PAST_COUNTY
    assert province_decides(org) is past
    assert (can_decide(change, province), can_decide(change, county)) == (past, not past)
    assert (change in changes_to_decide(province), change in changes_to_decide(county)) == (past, not past)


def test_an_approved_move_to_another_county_takes_drafts_along_but_not_submitted_applications():
    """A unit that moves is verified data of its new region; a submitted application keeps the
    region its reviewers saw."""
    org = f.enterprise("330106", name="搬迁有限公司")
    admin = f.user_of(org, org_role=OrgRole.ADMIN)
    draft = f.application(org, f.batch())
    submitted = f.application(org, f.batch(year=2024))
    f.advance(submitted, "county_review")
    neighbour = f.application(f.enterprise("330106", name="同区另一家"), f.batch(year=2023))
    change = identity_change_request(
        by=admin, name="搬迁有限公司", reason="迁址", county=County.objects.get(code="330203")
    )
    identity_change_decide(change, by=f.user_of(f.county_bureau("330106")), approve=True)
    org.refresh_from_db()
    assert (org.county_id, org.city_id) == ("330203", "330200")  # 宁波市海曙区
    for app in (draft, submitted, neighbour):
        app.refresh_from_db()
    assert (draft.county_id, draft.city_id) == ("330203", "330200")
    assert (submitted.county_id, submitted.city_id) == ("330106", "330100")
    assert (neighbour.county_id, neighbour.city_id) == ("330106", "330100")


def test_the_refusal_confirmation_reads_in_english(client, settings):
    """English second: the same page in English, with English punctuation."""
    change, county = _to_refuse(client)
    client.force_login(county)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    url = reverse("identity-change-detail", args=[change.pk])
    html = client.post(url, {"decision": "refuse", "comment": "no registration record"}).content.decode()
    assert '<h1 id="confirm-title">Confirm: Refuse</h1>' in html
    assert "<li>Name: 旧名有限公司 → 新名有限公司</li>" in html
    assert "<li>Region: " in html and "the unit&#x27;s details stay as they are" in html
    assert "Reason: no registration record" in html
    assert "：" not in html.split('id="confirm-title"')[1].split("</form>")[0]
