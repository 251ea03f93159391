"""The applying unit's profile: enterprise and park, with Chinese messages beside bad fields and
nothing saved."""

from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.models import Enterprise, Park
from tests import factories as f


@pytest.fixture
def batch(db):
    return f.batch()


def enterprise_data(org, **overrides):
    e = org.enterprise
    return {
        "name": "杭州绿源精密机械有限公司",
        "credit_code": e.credit_code,
        "county": "330110",
        "industry_class": "3311",
        "address": "杭州市余杭区文一西路1号",
        "legal_representative": "张三",
        "contact_name": "李四",
        "contact_phone": "0571-88000000",
        "contact_email": "lisi@example.invalid",
        **overrides,
    }


def test_enterprise_saves_its_profile_and_region(client, batch):
    org = f.enterprise("330106", verification="pending")
    client.force_login(f.user_of(org))
    resp = client.post(reverse("profile"), enterprise_data(org))
    assert resp.status_code == 302
    org.refresh_from_db()
    e = Enterprise.objects.get(pk=org.pk)
    assert (org.name, org.county_id, org.city_id) == ("杭州绿源精密机械有限公司", "330110", "330100")
    assert (e.industry_class, e.legal_representative, e.contact_email) == (
        "3311",
        "张三",
        "lisi@example.invalid",
    )
    assert "单位信息已保存。" in client.get(reverse("profile")).content.decode()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("credit_code", "91330100MA27XXXXX1", "统一社会信用代码"),
        ("credit_code", "913301", "统一社会信用代码应为18位，当前为6位。"),
        ("industry_class", "0111", "不属于制造业"),
        ("industry_class", "33", "行业代码应为4位数字"),
        ("county", "310101", "请选择浙江省的县（市、区）。"),
        ("contact_email", "not-an-email", "请输入有效的电子邮箱地址。"),
        ("name", "", "请填写单位名称。"),
    ],
)
def test_enterprise_bad_value_gets_a_message_beside_the_field_and_nothing_is_saved(
    client, batch, field, value, message
):
    org = f.enterprise("330106", verification="pending")
    client.force_login(f.user_of(org))
    before = (org.name, org.county_id, Enterprise.objects.filter(pk=org.pk).values().get())
    resp = client.post(reverse("profile"), enterprise_data(org, **{field: value}))
    page = resp.content.decode()
    assert resp.status_code == 200
    assert f'id="id_{field}_errors"' in page
    assert message in page
    org.refresh_from_db()
    assert (org.name, org.county_id, Enterprise.objects.filter(pk=org.pk).values().get()) == before


def test_credit_code_of_another_enterprise_is_refused(client, batch):
    org = f.enterprise("330106", verification="pending")
    other = f.enterprise("330108")
    client.force_login(f.user_of(org))
    resp = client.post(reverse("profile"), enterprise_data(org, credit_code=other.enterprise.credit_code))
    assert "该统一社会信用代码已被其他单位使用。" in resp.content.decode()


def park_data(**overrides):
    return {
        "name": "杭州钱塘新材料产业园",
        "park_type": "provincial_development",
        "level": "provincial",
        "city": "330100",
        "management_body": "杭州钱塘新材料产业园管理委员会",
        "manufacturing_dominant": "on",
        "value_added_share": "68.5",
        "has_legal_boundary": "on",
        "has_unified_management": "on",
        "contact_name": "王敏",
        "contact_phone": "0571-86000000",
        "contact_email": "park@example.invalid",
        **overrides,
    }


def test_park_saves_its_profile_with_the_four_conditions(client, batch):
    org = f.park("330100", share=Decimal("40"), dominant=False, verification="pending")
    client.force_login(f.user_of(org))
    assert client.post(reverse("profile"), park_data(city="330200")).status_code == 302
    p = Park.objects.get(pk=org.pk)
    org.refresh_from_db()
    assert (p.value_added_share, p.manufacturing_dominant, p.park_type, org.city_id) == (
        Decimal("68.50"),
        True,
        "provincial_development",
        "330200",
    )


def test_profile_has_no_self_declared_list_membership(client, batch):
    """Whether a unit is on its city's list is the city's to say (lists), not the unit's."""
    for org in (f.park("330100"), f.enterprise("330106")):
        client.force_login(f.user_of(org))
        page = client.get(reverse("profile")).content.decode()
        assert "is_city_green" not in page and "city_green_factory_year" not in page


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("value_added_share", "150", "占比不能超过100。"),
        ("value_added_share", "五十", "请输入0–100之间的数字。"),
        ("park_type", "", "请选择园区类型。"),
        ("management_body", "", "请填写管理机构名称。"),
    ],
)
def test_park_bad_value_gets_a_message_and_nothing_is_saved(client, batch, field, value, message):
    org = f.park("330100", verification="pending")
    client.force_login(f.user_of(org))
    before = Park.objects.filter(pk=org.pk).values().get()
    resp = client.post(reverse("profile"), park_data(**{field: value}))
    assert f'id="id_{field}_errors"' in resp.content.decode()
    assert message in resp.content.decode()
    assert Park.objects.filter(pk=org.pk).values().get() == before


def test_profile_shows_only_the_users_own_unit(client, batch):
    mine = f.enterprise("330106", name="本单位有限公司")
    other = f.enterprise("330108", name="别家有限公司")
    client.force_login(f.user_of(mine))
    page = client.get(reverse("profile")).content.decode()
    assert "本单位有限公司" in page
    assert "别家有限公司" not in page and other.enterprise.credit_code not in page


def test_profile_is_404_for_bureaus_and_assessors(client, batch):
    for org in (f.county_bureau("330106"), f.assessor()):
        client.force_login(f.user_of(org))
        assert client.get(reverse("profile")).status_code == 404
        assert client.post(reverse("profile"), {"name": "x"}).status_code == 404


def test_corrected_county_moves_the_draft_but_not_a_submitted_application(client, batch):
    org = f.enterprise("330106", verification="pending")
    user = f.user_of(org)
    draft = f.application(org, batch)
    client.force_login(user)
    client.post(reverse("profile"), enterprise_data(org, county="330110"))
    draft.refresh_from_db()
    assert (draft.county_id, draft.city_id) == ("330110", "330100")

    from applications.services import application_transition
    from onboarding.services import organisation_verify

    org.refresh_from_db()
    organisation_verify(org, by=f.user_of(f.county_bureau("330110")))
    application_transition(draft, name="submit", by=user)
    client.post(reverse("profile"), enterprise_data(org, county="330106"))
    draft.refresh_from_db()
    assert draft.county_id == "330110"


def test_a_verified_unit_cannot_change_its_name_code_or_region_on_the_profile(client, batch):
    org = f.enterprise("330106", name="已核验有限公司")
    code = org.enterprise.credit_code
    client.force_login(f.user_of(org))
    page = client.get(reverse("profile")).content.decode()
    assert "单位信息变更申请" in page
    resp = client.post(
        reverse("profile"),
        enterprise_data(org, name="改名有限公司", county="330110", credit_code=f.credit_code()),
    )
    assert resp.status_code == 302  # the other fields are saved; the identity fields are not
    org.refresh_from_db()
    assert (org.name, org.county_id, Enterprise.objects.get(pk=org.pk).credit_code) == (
        "已核验有限公司",
        "330106",
        code,
    )


def test_the_service_refuses_an_identity_change_of_a_verified_unit(batch):
    from accounts.services import profile_update
    from core.exceptions import Forbidden

    org = f.park("330100", name="已核验园区")
    user = f.user_of(org)
    with pytest.raises(Forbidden):
        profile_update(organisation=org, by=user, profile=org.park, name="改名园区")
