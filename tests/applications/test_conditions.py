"""Each rule of the notice, enforced as a transition condition, refused with its Chinese reason."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.models import Park
from applications.conditions import Contributed
from applications.models import Application
from applications.services import application_transition
from core.exceptions import NotAllowedNow
from lists.models import ListEntry
from lists.services import list_entry_end
from quotas.models import CityQuota, DeadlineExtension
from tests import factories as f
from tests.helpers import workflow_pass


def refused(app, name, user, match, **kwargs):
    before = app.state
    with pytest.raises(NotAllowedNow, match=match):
        application_transition(app, name=name, by=user, via=workflow_pass(name), **kwargs)
    app.refresh_from_db()
    assert app.state == before


# --- submit: documents --------------------------------------------------------------------


def test_submit_needs_the_self_evaluation_report(world):
    app = world.application(with_report=False)
    refused(app, "submit", world.users["applicant_factory"], "请上传自评价报告")


def test_submit_with_an_assessor_needs_its_commitment_letter(world):
    user = world.users["applicant_factory"]
    app = world.application(assessor=world.assessor_org.assessor)
    refused(app, "submit", user, "承诺书")
    from applications.documents import document_upload

    document_upload(application=app, kind="commitment_letter", upload=f.pdf_upload("承诺书.pdf"), by=user)
    application_transition(app, name="submit", by=user)
    assert app.state == "county_review"


def test_submit_requires_an_assessor_when_the_batch_does(world):
    world.batch.assessor_required = True
    world.batch.save()
    app = world.application()
    refused(app, "submit", world.users["applicant_factory"], "须委托第三方评价机构")


def test_submit_refused_when_the_batch_no_longer_accepts_applications(world):
    app = world.application()
    world.batch.accepting_applications = False
    world.batch.save()
    app.refresh_from_db()
    refused(app, "submit", world.users["applicant_factory"], "停止接受申报")


# --- submit: key indicators (通知 二(一)) --------------------------------------------------


def test_indicators_complete_refuses_a_factory_naming_each_missing_indicator(world):
    app = world.application(indicators={"energy_per_unit": {"value": 12.5, "benchmark": 15}})
    refused(
        app,
        "submit",
        world.users["applicant_factory"],
        "^请填写主要指标：单位产品取水量、工业固体废物综合利用率、可再生能源使用比例。$",
    )


def test_indicators_complete_counts_a_value_without_its_benchmark_as_missing(world):
    data = f.complete_indicators("factory", world.batch)
    data["renewable_share"]["benchmark"] = None
    app = world.application(indicators=data)
    refused(app, "submit", world.users["applicant_factory"], "^请填写主要指标：可再生能源使用比例。$")


def test_indicators_complete_refuses_a_park_with_a_gap_in_a_series(world):
    data = f.complete_indicators("park", world.batch)
    data["carbon_intensity"]["2023"] = None
    del data["total_energy"]
    app = world.application("park", indicators=data)
    refused(
        app,
        "submit",
        world.users["applicant_park"],
        "^请填写主要指标：单位工业增加值二氧化碳排放量、综合能源消费量。$",
    )


def test_indicators_complete_allows_submit_once_filled_in(world):
    from applications.services import application_update

    user = world.users["applicant_factory"]
    app = world.application(indicators=None)
    refused(app, "submit", user, "请填写主要指标：单位产品综合能耗、单位产品取水量")
    application_update(app, by=user, indicators=f.complete_indicators("factory", world.batch))
    application_transition(app, name="submit", by=user)
    assert app.state == "county_review"


def test_indicators_complete_allows_a_park_once_filled_in(world):
    app = world.application("park")
    application_transition(app, name="submit", by=world.users["applicant_park"])
    assert app.state == "city_review"


def test_indicators_complete_answers_409_with_the_reason_in_the_api(world):
    from rest_framework.test import APIClient

    app = world.application(indicators=None)
    api = APIClient()
    api.force_authenticate(world.users["applicant_factory"])
    resp = api.post(f"/api/v1/applications/{app.pk}/transition/", {"name": "submit"})
    assert resp.status_code == 409
    assert "请填写主要指标：单位产品综合能耗、单位产品取水量、工业固体废物综合利用率" in str(resp.json())
    app.refresh_from_db()
    assert app.state == "draft"


def test_indicators_complete_reason_shown_on_the_submit_page_with_the_button_off(client, world):
    from django.urls import reverse

    app = world.application(indicators=None)
    client.force_login(world.users["applicant_factory"])
    page = client.get(reverse("application-submit", args=[app.pk])).content.decode()
    reason = "请填写主要指标：单位产品综合能耗、单位产品取水量、工业固体废物综合利用率、可再生能源使用比例。"
    assert page.count(reason) == 1
    assert "以下指标尚未填全" not in page  # no second, softer warning for the same gap
    assert "disabled" in page.split("提交审核</button>")[0].rsplit("<button", 1)[1]
    # Posting anyway changes nothing and says why.
    resp = client.post(reverse("application-submit", args=[app.pk]), follow=True)
    assert reason in resp.content.decode()
    app.refresh_from_db()
    assert app.state == "draft"


def test_indicators_complete_reason_shown_once_on_the_home_page_linking_to_the_form(client, world):
    from django.urls import reverse

    app = world.application(indicators=None)
    client.force_login(world.users["applicant_factory"])
    html = client.get(reverse("home")).content.decode()
    assert html.count("请填写主要指标：单位产品综合能耗") == 1
    assert "尚缺" not in html
    edit = reverse("application-edit", args=[app.pk])
    assert f'<a href="{edit}">请填写主要指标：' in html


# --- submit: assessor cap (通知 二(一)) ----------------------------------------------------


def test_assessor_cap_counts_the_group_with_its_affiliates(world):
    world.batch.assessor_cap = 2
    world.batch.save()
    group = world.assessor_org.assessor.group
    affiliate = f.assessor(group)  # another legal organisation of the same group
    for org, assessor_org in [
        (f.enterprise("330106"), world.assessor_org),
        (f.enterprise("330108"), affiliate),
    ]:
        app = f.application(org, world.batch, assessor_org=assessor_org)
        application_transition(app, name="submit", by=org.users.first())
    third = f.application(world.factory_org, world.batch, assessor_org=affiliate)
    refused(third, "submit", world.users["applicant_factory"], r"已达上限2项（已有2项）")


def test_assessor_cap_ignores_drafts_and_withdrawn_and_other_batches(world):
    world.batch.assessor_cap = 1
    world.batch.save()
    draft = f.application(f.enterprise("330106"), world.batch, assessor_org=world.assessor_org)
    withdrawn = f.application(f.enterprise("330106"), world.batch, assessor_org=world.assessor_org)
    application_transition(withdrawn, name="submit", by=withdrawn.unit.users.first())
    application_transition(withdrawn, name="withdraw", by=withdrawn.unit.users.first())
    other_batch = f.batch(2024)
    old = f.application(f.enterprise("330106"), other_batch, assessor_org=world.assessor_org)
    application_transition(old, name="submit", by=old.unit.users.first())
    assert draft.state == "draft"

    app = world.application(assessor=world.assessor_org.assessor)
    from applications.documents import document_upload

    document_upload(
        application=app, kind="commitment_letter", upload=f.pdf_upload(), by=world.users["applicant_factory"]
    )
    application_transition(app, name="submit", by=world.users["applicant_factory"])
    assert app.state == "county_review"


def test_a_returned_application_keeps_its_slot_and_may_resubmit_at_the_cap(world):
    world.batch.assessor_cap = 1
    world.batch.save()
    app = f.application(world.factory_org, world.batch, assessor_org=world.assessor_org)
    application_transition(app, name="submit", by=world.users["applicant_factory"])
    application_transition(app, name="return_for_revision", by=world.users["county"], comment="补充")
    other = f.application(f.enterprise("330106"), world.batch, assessor_org=world.assessor_org)
    refused(other, "submit", other.unit.users.first(), "已达上限1项")
    application_transition(app, name="submit", by=world.users["applicant_factory"])
    assert app.state == "county_review"


def test_rejected_applications_still_count_against_the_assessor_cap(world):
    """README "Assessor cap": a rejection does not free the place — the assessor did the
    evaluation (docs/decisions/0003)."""
    world.batch.assessor_cap = 1
    world.batch.save()
    app = f.application(world.factory_org, world.batch, assessor_org=world.assessor_org)
    application_transition(app, name="submit", by=world.users["applicant_factory"])
    application_transition(app, name="reject", by=world.users["county"], comment="不符合条件")
    assert app.state == "rejected"
    other = f.application(f.enterprise("330106"), world.batch, assessor_org=world.assessor_org)
    refused(other, "submit", other.unit.users.first(), r"已达上限1项（已有1项）")


# --- eligibility (通知 一(一)、一(二)) -----------------------------------------------------


def test_only_city_level_green_factories_may_submit(world):
    unit = f.enterprise("330106", green=False)
    app = f.application(unit, world.batch)
    refused(app, "submit", unit.users.first(), "只有市级绿色低碳工厂")


@pytest.mark.parametrize(
    ("field", "value", "reason"),
    [
        ("manufacturing_dominant", False, "以制造业为主要产业特色"),
        ("value_added_share", Decimal("50.00"), r"工业增加值占比须超过50%"),
        ("value_added_share", None, r"工业增加值占比须超过50%"),
        ("has_legal_boundary", False, "法定边界和范围"),
        ("has_unified_management", False, "统一管理机构"),
    ],
)
def test_park_must_meet_each_of_the_four_conditions(world, field, value, reason):
    Park.objects.filter(pk=world.park_org.pk).update(**{field: value})
    app = Application.objects.get(pk=world.application("park").pk)
    refused(app, "submit", world.users["applicant_park"], reason)


def test_park_value_added_threshold_is_the_batchs(world):
    Park.objects.filter(pk=world.park_org.pk).update(value_added_share=Decimal("55"))
    world.batch.park_min_value_added_share = Decimal("60")
    world.batch.save()
    app = Application.objects.get(pk=world.application("park").pk)
    refused(app, "submit", world.users["applicant_park"], r"超过60%")


def test_eligibility_is_checked_again_when_the_city_recommends(world):
    app = world.in_state("factory", "city_review")
    entry = ListEntry.objects.get(tier="city", organisation=world.factory_org)
    list_entry_end(entry, by=world.users["city"], reason="未列入2025年度市级名单")
    app.refresh_from_db()
    refused(app, "city_recommend", world.users["city"], "未列入杭州市市级绿色低碳工厂名单")


# --- city quota (Annex 1) ------------------------------------------------------------------


def test_city_recommends_within_its_quota_and_no_further(world):
    CityQuota.objects.filter(batch=world.batch, city_id="330100").update(factory_quota=1)
    first = world.in_state("factory", "city_review")
    application_transition(first, name="city_recommend", by=world.users["city"])
    second_unit = f.enterprise("330106")
    second = f.application(second_unit, world.batch)
    application_transition(second, name="submit", by=second_unit.users.first())
    application_transition(second, name="county_pass", by=world.users["county"])
    refused(second, "city_recommend", world.users["city"], r"杭州市本批次工厂推荐名额为1个，已推荐1个")


def test_another_citys_recommendations_do_not_use_this_citys_quota(world):
    CityQuota.objects.filter(batch=world.batch).update(factory_quota=1)
    ningbo = f.enterprise("330203")
    app = f.application(ningbo, world.batch)
    application_transition(app, name="submit", by=ningbo.users.first())
    application_transition(app, name="county_pass", by=f.user_of(f.county_bureau("330203")))
    application_transition(app, name="city_recommend", by=f.user_of(f.city_bureau("330200")))
    hangzhou = world.in_state("factory", "city_review")
    application_transition(hangzhou, name="city_recommend", by=world.users["city"])
    assert hangzhou.state == "recommended"


def test_city_without_a_quota_row_cannot_recommend_factories(world):
    CityQuota.objects.filter(batch=world.batch, city_id="330100").delete()
    app = world.in_state("factory", "city_review")
    refused(app, "city_recommend", world.users["city"], "未给杭州市分配推荐名额")


def test_parks_are_unlimited_unless_the_batch_sets_a_park_quota(world):
    app = world.in_state("park", "city_review")
    application_transition(app, name="city_recommend", by=world.users["city"])
    assert app.state == "recommended"
    world.batch.park_quota = 1
    world.batch.save()
    second = f.application(f.park("330100"), world.batch)
    application_transition(second, name="submit", by=second.unit.users.first())
    refused(second, "city_recommend", world.users["city"], "园区推荐名额为1个")


# --- city deadline (通知 三) ----------------------------------------------------------------


def test_city_cannot_recommend_or_send_after_its_deadline(world):
    recommended = world.in_state("factory", "recommended")
    pending = f.application(f.enterprise("330106"), world.batch)
    application_transition(pending, name="submit", by=pending.unit.users.first())
    application_transition(pending, name="county_pass", by=world.users["county"])
    world.batch.city_submission_deadline = timezone.localdate() - datetime.timedelta(days=1)
    world.batch.save()
    recommended.refresh_from_db()
    pending.refresh_from_db()
    refused(pending, "city_recommend", world.users["city"], "截止日期.*已过")
    refused(recommended, "send_to_province", world.users["city"], "截止日期.*已过")


def test_the_deadline_day_itself_is_still_open(world):
    app = world.in_state("factory", "city_review")
    world.batch.city_submission_deadline = timezone.localdate()
    world.batch.save()
    app.refresh_from_db()
    application_transition(app, name="city_recommend", by=world.users["city"])
    assert app.state == "recommended"


def test_a_province_extension_reopens_only_that_city(world):
    app = world.in_state("factory", "recommended")
    world.batch.city_submission_deadline = timezone.localdate() - datetime.timedelta(days=3)
    world.batch.save()
    DeadlineExtension.objects.create(
        batch=world.batch,
        city_id="330200",
        deadline=timezone.localdate() + datetime.timedelta(days=5),
        reason="宁波市延期",
        granted_by=world.users["province"],
    )
    app.refresh_from_db()
    refused(app, "send_to_province", world.users["city"], "已过")
    DeadlineExtension.objects.create(
        batch=world.batch,
        city_id="330100",
        deadline=timezone.localdate() + datetime.timedelta(days=5),
        reason="杭州市延期",
        granted_by=world.users["province"],
    )
    app.refresh_from_db()
    application_transition(
        app, name="send_to_province", by=world.users["city"], via=workflow_pass("send_to_province")
    )
    assert app.state == "province_review"


# --- publicity ---------------------------------------------------------------------------


def test_publication_waits_for_the_end_of_publicity(world):
    app = world.in_state("factory", "publicity")
    assert app.publicity_ends_on == world.batch.publicity_last_day(app.publicity_starts_on)
    refused(app, "publish", world.users["province"], "公示期尚未结束")


@pytest.mark.parametrize("state", ["recommended", "province_review", "publicity", "published"])
def test_a_recommendation_stays_counted_against_the_quota_and_the_assessor_cap_after_the_city(world, state):
    """Annex 1 and 通知 二(一) (states.STATE_FACTS): the slot the city used and the evaluation the
    assessor carried stay counted once the application has left the city — sent to the province,
    in publicity, published."""
    app = world.in_state("factory", state, unit=f.enterprise("330106"))
    app.assessor = world.assessor_org.assessor
    app.save()
    assert Application.objects.quota_used(world.batch, "330100", "factory") == 1
    assert Application.objects.assessor_group_usage(world.batch, world.assessor_org.assessor.group) == 1


def test_a_contributed_condition_is_carried_once_and_decides():
    """Another app's rule added to a transition (AppConfig.ready, which may run twice) is
    carried once, and the transition's answer is its answer."""
    seen = []

    def condition(application):
        seen.append(application)
        return application == "ok"

    place = Contributed("test_transition")
    place.add(condition)
    place.add(condition)
    assert place.conditions == [condition]
    assert place("ok") is True and place("not ok") is False
    assert seen == ["ok", "not ok"]


def test_a_citys_factory_quota_counts_its_factories_of_this_batch_only(world):
    """Annex 1: the slots are the batch's factory slots. A recommended park, or a factory the city
    recommended in last year's batch, uses none of them."""
    CityQuota.objects.filter(batch=world.batch, city_id="330100").update(factory_quota=1)
    park = world.in_state("park", "city_review")
    application_transition(park, name="city_recommend", by=world.users["city"])
    last_year = f.application(f.enterprise("330106"), f.batch(2024))
    Application.objects.filter(pk=last_year.pk).update(state="published", city_recommended_at=timezone.now())
    assert Application.objects.quota_used(world.batch, "330100", "factory") == 0
    app = world.in_state("factory", "city_review")
    application_transition(app, name="city_recommend", by=world.users["city"])
    assert app.state == "recommended"


def test_the_assessor_cap_counts_the_assessors_own_group_only(world):
    """通知 二(一): the cap is per legal entity with its affiliates; another assessor's evaluations
    leave this one's places free."""
    world.batch.assessor_cap = 1
    world.batch.save()
    stranger = f.application(f.enterprise("330106"), world.batch, assessor_org=f.assessor())
    application_transition(stranger, name="submit", by=stranger.unit.users.first())
    app = f.application(world.factory_org, world.batch, assessor_org=world.assessor_org)
    application_transition(app, name="submit", by=world.users["applicant_factory"])
    assert app.state == "county_review"


def test_a_unit_whose_registration_is_not_verified_cannot_submit(world):
    """README "Accounts": a unit that registered itself submits once its bureau has verified it."""
    unit = f.enterprise("330106", verification="pending")
    app = f.application(unit, world.batch)
    refused(app, "submit", unit.users.first(), "尚未通过主管经信局核验")


def test_has_document_reads_the_prefetched_documents_by_kind(world):
    """The queue prefetches documents: has_document answers from them, for the kind asked only."""
    app = world.application("factory")
    listed = Application.objects.prefetch_related("documents").get(pk=app.pk)
    assert listed.has_document("self_evaluation_report")
    assert not listed.has_document("commitment_letter")


def test_an_application_is_editable_as_a_draft_and_when_returned_only(world):
    app = world.application("factory")
    assert app.is_editable
    application_transition(app, name="submit", by=world.users["applicant_factory"])
    assert not app.is_editable
    application_transition(app, name="return_for_revision", by=world.users["county"], comment="补充")
    assert app.is_editable


def test_a_unit_rejected_before_the_city_recommended_it_uses_no_slot(world):
    """Annex 1: a slot is used by the city's recommendation. A rejection after it keeps the slot
    used; a unit the county rejected was never recommended and uses none."""
    CityQuota.objects.filter(batch=world.batch, city_id="330100").update(factory_quota=1)
    rejected = f.application(f.enterprise("330106"), world.batch)
    application_transition(rejected, name="submit", by=rejected.unit.users.first())
    application_transition(rejected, name="reject", by=world.users["county"], comment="不符合条件")
    assert rejected.state == "rejected"
    assert Application.objects.quota_used(world.batch, "330100", "factory") == 0
    app = world.in_state("factory", "city_review")
    application_transition(app, name="city_recommend", by=world.users["city"])
    assert app.state == "recommended"
