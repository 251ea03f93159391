"""The applicant's pages: start, indicators (drafts), assessor with the cap, submit summary,
submission, returned applications, the assessor's read-only view."""

import re

import pytest
from django.urls import reverse

from applications.models import Application
from applications.services import application_transition
from tests import factories as f


def url(name, app):
    return reverse(name, args=[app.pk])


def text(resp):
    return resp.content.decode()


@pytest.fixture
def factory_client(client, world):
    client.force_login(world.users["applicant_factory"])
    return client


def test_start_creates_a_draft_for_the_open_batch(factory_client, world):
    resp = factory_client.post(reverse("application-start"))
    app = Application.objects.get(unit=world.factory_org)
    assert resp.url == url("application-edit", app)
    assert (app.batch, app.state, app.kind, app.county_id) == (world.batch, "draft", "factory", "330106")


def test_second_start_for_the_same_unit_and_batch_is_refused_with_the_reason(factory_client, world):
    factory_client.post(reverse("application-start"))
    resp = factory_client.post(reverse("application-start"), follow=True)
    assert "每个单位每批次只能申报一次" in text(resp)
    assert Application.objects.filter(unit=world.factory_org).count() == 1


def test_start_is_refused_for_a_bureau(client, world):
    client.force_login(world.users["county"])
    resp = client.post(reverse("application-start"), follow=True)
    assert "只有企业或园区管理机构本身可以发起申报" in text(resp)
    assert not Application.objects.exists()


FACTORY_INDICATORS = {
    "industry_class": "3311",
    "energy_per_unit__value": "12.5",
    "energy_per_unit__benchmark": "15",
    "energy_per_unit__unit": "kgce/t",
    "water_per_unit__value": "0.8",
    "water_per_unit__benchmark": "1.2",
    "water_per_unit__unit": "m³/t",
    "solid_waste_utilisation__value": "98.5",
    "solid_waste_utilisation__benchmark": "95",
    "renewable_share__value": "12",
    "renewable_share__benchmark": "",
}


def test_indicators_are_saved_as_numbers_with_their_benchmarks(factory_client, world):
    app = world.application()
    resp = factory_client.post(url("application-edit", app), FACTORY_INDICATORS)
    assert resp.status_code == 302
    app.refresh_from_db()
    assert app.indicators["energy_per_unit"] == {"value": 12.5, "benchmark": 15, "unit": "kgce/t"}
    assert app.indicators["solid_waste_utilisation"] == {"value": 98.5, "benchmark": 95, "unit": "%"}
    assert app.indicators["renewable_share"] == {"value": 12, "benchmark": None, "unit": "%"}
    page = text(factory_client.get(url("application-detail", app)))
    assert "单位产品综合能耗" in page and "12.5" in page and "15" in page


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("energy_per_unit__value", "十二", "请输入数字。"),
        ("solid_waste_utilisation__value", "120", "百分比应在0–100之间。"),
        ("water_per_unit__benchmark", "-1", "不能为负数。"),
        ("industry_class", "0111", "不属于制造业"),
    ],
)
def test_bad_indicator_value_shows_a_message_beside_the_field_and_saves_nothing(
    factory_client, world, field, value, message
):
    app = world.application()
    before = (app.indicators, app.industry_class)
    resp = factory_client.post(url("application-edit", app), {**FACTORY_INDICATORS, field: value})
    assert resp.status_code == 200
    assert f'id="id_{field}_errors"' in text(resp)
    assert message in text(resp)
    app.refresh_from_db()
    assert (app.indicators, app.industry_class) == before


def test_park_fills_a_three_year_series(client, world):
    app = world.application("park", indicators=None)
    client.force_login(world.users["applicant_park"])
    data = {f"value_added__{y}": str(80 + i) for i, y in enumerate(("2022", "2023", "2024"))}
    data |= {"carbon_intensity__2024": "0.85", "total_energy__2024": "120000"}
    assert client.post(url("application-edit", app), data).status_code == 302
    app.refresh_from_db()
    assert app.indicators["value_added"] == {"2022": 80, "2023": 81, "2024": 82}
    assert app.indicators["carbon_intensity"] == {"2022": None, "2023": None, "2024": 0.85}
    page = text(client.get(url("application-submit", app)))
    assert "tCO2/万元" in page
    assert (
        "请填写主要指标：工业增加值占地区生产总值比重、单位工业增加值二氧化碳排放量、综合能源消费量。" in page
    )


def test_submit_summary_lists_what_is_missing_and_the_button_is_off(factory_client, world):
    app = world.application(with_report=False)
    page = text(factory_client.get(url("application-submit", app)))
    assert "请上传自评价报告（PDF）。" in page
    assert "提交前还需要" in page
    assert "disabled" in page.split("提交审核</button>")[0].rsplit("<button", 1)[1]


def test_submit_sends_a_factory_to_county_review_and_edits_are_refused(factory_client, world):
    app = world.application()
    before = app.indicators
    resp = factory_client.post(url("application-submit", app), {"confirmed": "yes"}, follow=True)
    app.refresh_from_db()
    assert app.state == "county_review"
    assert "县级审核" in text(resp)
    resp = factory_client.post(url("application-edit", app), FACTORY_INDICATORS, follow=True)
    assert "申报已提交，不能修改。" in text(resp)
    app.refresh_from_db()
    assert app.indicators == before
    resp = factory_client.post(url("application-assessor", app), {"assessor": world.assessor_org.pk})
    app.refresh_from_db()
    assert app.assessor_id is None


def test_submit_asks_for_confirmation_first_and_changes_nothing_until_then(factory_client, world):
    app = world.application()
    resp = factory_client.post(url("application-submit", app))
    assert resp.status_code == 200
    assert "确认提交审核" in text(resp) and "提交后材料将送所在县（市、区）经信局审核" in text(resp)
    app.refresh_from_db()
    assert app.state == "draft" and not app.history.exists()
    # The summary page offers the dialog's text too (JavaScript's dialog reads it).
    assert 'class="confirm-summary"' in text(factory_client.get(url("application-submit", app)))


def test_withdraw_asks_for_confirmation_first(factory_client, world):
    app = world.application()
    resp = factory_client.post(url("application-transition", app), {"name": "withdraw"})
    assert "确认撤回申报" in text(resp) and "撤回后不能恢复" in text(resp)
    app.refresh_from_db()
    assert app.state == "draft"
    factory_client.post(url("application-transition", app), {"name": "withdraw", "confirmed": "yes"})
    app.refresh_from_db()
    assert app.state == "withdrawn"


def test_submit_sends_a_park_to_city_review(client, world):
    app = world.application("park")
    client.force_login(world.users["applicant_park"])
    resp = client.post(url("application-submit", app), {"confirmed": "yes"}, follow=True)
    app.refresh_from_db()
    assert app.state == "city_review"
    assert "市级审核" in text(resp)


def test_returned_application_is_editable_again_with_the_reason_at_the_top(factory_client, world):
    app = world.in_state("factory", "county_review")
    application_transition(
        app, name="return_for_revision", by=world.users["county"], comment="请补充单位产品能耗对标依据"
    )
    page = text(factory_client.get(url("application-edit", app)))
    assert "申报被退回修改" in page
    assert "请补充单位产品能耗对标依据" in page
    assert factory_client.post(url("application-edit", app), FACTORY_INDICATORS).status_code == 302
    app.refresh_from_db()
    assert app.indicators["energy_per_unit"]["value"] == 12.5
    assert "请补充单位产品能耗对标依据" in text(factory_client.get(reverse("home")))


def test_assessor_page_shows_the_groups_cap_usage(factory_client, world):
    app = world.application()
    page = text(factory_client.get(url("application-assessor", app)))
    assert world.assessor_org.name in page
    assert "0 / 10" in page


def test_assessor_is_refused_when_its_groups_cap_is_reached(factory_client, world):
    world.batch.assessor_cap = 1
    world.batch.save()
    group = world.assessor_org.assessor.group
    affiliate = f.assessor(group)
    other = world.in_state("park", "draft")
    other.assessor = affiliate.assessor
    other.save()
    f.document_upload(
        application=other,
        kind="commitment_letter",
        upload=f.pdf_upload("承诺书.pdf"),
        by=world.users["applicant_park"],
    )
    application_transition(other, name="submit", by=world.users["applicant_park"])
    app = world.application()
    resp = factory_client.post(url("application-assessor", app), {"assessor": world.assessor_org.pk})
    assert resp.status_code == 200
    page = text(resp)
    assert 'id="id_assessor_errors"' in page
    assert "本批次评价项目已达上限1项（已有1项）" in page
    assert "1 / 1" in page
    app.refresh_from_db()
    assert app.assessor_id is None


def test_naming_an_assessor_asks_for_the_commitment_letter(factory_client, world):
    app = world.application()
    resp = factory_client.post(
        url("application-assessor", app), {"assessor": world.assessor_org.pk, "assessor_may_upload": "on"}
    )
    assert resp.url == url("application-upload", app) + "?kind=commitment_letter"
    app.refresh_from_db()
    assert (app.assessor_id, app.assessor_may_upload) == (world.assessor_org.pk, True)
    page = text(factory_client.get(url("application-submit", app)))
    assert "请上传其签署的承诺书" in page


def test_assessor_is_required_when_the_batch_says_so(factory_client, world):
    world.batch.assessor_required = True
    world.batch.save()
    app = world.application()
    resp = factory_client.post(url("application-assessor", app), {"assessor": ""})
    assert "本批次须委托第三方评价机构开展自评价，请选择评价机构。" in text(resp)


def test_named_assessor_reads_and_uploads_only_where_the_unit_allows(client, world):
    app = world.application(assessor_org=world.assessor_org)
    client.force_login(world.users["assessor"])
    page = text(client.get(url("application-detail", app)))
    assert app.unit.name in page
    assert url("application-edit", app) not in page
    resp = client.post(url("application-edit", app), FACTORY_INDICATORS, follow=True)
    assert "只有申报单位可以修改申报内容。" in text(resp)
    resp = client.post(url("application-upload", app), {"kind": "other", "file": f.pdf_upload()}, follow=True)
    assert "您没有权限为该申报上传材料。" in text(resp)
    assert app.documents.filter(kind="other").count() == 0

    app.assessor_may_upload = True
    app.save()
    resp = client.post(url("application-upload", app), {"kind": "other", "file": f.pdf_upload("附件.pdf")})
    assert resp.status_code == 302
    doc = app.documents.get(kind="other")
    assert doc.uploaded_by == world.users["assessor"]
    resp = client.post(url("application-submit", app))
    app.refresh_from_db()
    assert app.state == "draft"  # only the unit submits


def test_timeline_shows_who_when_and_the_comment(factory_client, world):
    county = world.users["county"]
    county.full_name = "县局审核员王五"
    county.save(update_fields=["full_name"])
    app = world.in_state("factory", "returned")
    page = text(factory_client.get(url("application-detail", app)))
    assert "提交审核" in page and "退回修改" in page and "理由" in page
    # The person and their organisation, never the login name (issue 12 "Names people recognise").
    assert f"县局审核员王五（{county.organisation.name}）" in page
    assert not re.search(rf"\b{county.username}\b", page)


def test_the_receipt_names_the_number_unit_time_documents_and_next_step(factory_client, world):
    app = world.application()
    assert factory_client.get(url("application-receipt", app)).status_code == 404  # not submitted yet
    factory_client.post(url("application-submit", app), {"confirmed": "yes"})
    app.refresh_from_db()
    page = text(factory_client.get(url("application-receipt", app)))
    document = app.documents.get(kind="self_evaluation_report")
    for expected in (
        "申报回执",
        app.number,
        app.unit.name,
        document.sha256,
        document.original_name,
        "申报材料已送所在县（市、区）经信局审核",
    ):
        assert expected in page, expected
    assert f"{app.batch.year}GC{app.pk:06d}" == app.number
    assert url("application-receipt", app) in text(factory_client.get(url("application-detail", app)))


@pytest.mark.parametrize("who", ["other_applicant", "other_county", "other_city"])
def test_another_organisation_gets_404_for_the_receipt(client, world, who):
    app = world.in_state("factory", "county_review")
    client.force_login(world.users[who])
    assert client.get(url("application-receipt", app)).status_code == 404
