"""The batch settings pages: the province alone (everyone else 404), bad input shown beside the
field with nothing saved, import errors by row, the Annex 1 download."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from quotas.models import Batch, BatchChange, CityQuota, DeadlineExtension
from tests import factories as f
from tests.quotas.conftest import recommend_factories
from tests.quotas.xlsx import annex1_workbook, with_quota

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_upload(data, name="名额表.xlsx"):
    return SimpleUploadedFile(name, data, content_type=XLSX)


def quota_post(batch, **overrides):
    data = dict(CityQuota.objects.filter(batch=batch).values_list("city_id", "factory_quota"))
    data.update(overrides)
    return {k: str(v) for k, v in data.items()}


def settings_post(batch, **overrides):
    data = {
        "park_quota": "",
        "assessor_cap": batch.assessor_cap,
        "city_submission_deadline": batch.city_submission_deadline.isoformat(),
        "city_list_deadline": batch.city_list_deadline.isoformat(),
        "publicity_days": batch.publicity_days,
        "publicity_day_kind": batch.publicity_day_kind,
        "holidays": "\n".join(batch.holidays),
        "adjusted_workdays": "\n".join(batch.adjusted_workdays),
        "removal_bar_years": batch.removal_bar_years,
        "objection_contact": batch.objection_contact,
        "joint_departments": "\n".join(batch.joint_departments),
        "accepting_applications": "on",
    }
    data.update(overrides)
    return data


def urls(batch):
    y = batch.year
    return {
        "get": [
            reverse("batch-settings-current"),
            reverse("batch-settings", args=[y]),
            reverse("batch-settings-annex1", args=[y]),
        ],
        "post": [
            (reverse("batch-settings-quotas", args=[y]), quota_post(batch, **{"330100": 9})),
            (reverse("batch-settings-update", args=[y]), settings_post(batch, publicity_days=3)),
            (
                reverse("batch-settings-extension", args=[y]),
                {"city": "330100", "deadline": "2099-01-01", "reason": "试图延期"},
            ),
            (reverse("batch-settings-extension-remove", args=[y, "330900"]), {"reason": "试图撤销"}),
            (
                reverse("batch-settings-import", args=[y]),
                {"file": xlsx_upload(annex1_workbook(title="测试"))},
            ),
        ],
    }


@pytest.mark.parametrize("who", ["city", "applicant_factory", "anonymous"])
def test_every_settings_page_is_refused_to_anyone_but_the_province(world, client, who):
    officer = world.users["province"]
    from quotas.services import deadline_extend

    deadline_extend(
        world.batch,
        city="330900",
        deadline=world.batch.city_submission_deadline + datetime.timedelta(days=3),
        reason="台风",
        by=officer,
    )
    changes_before = BatchChange.objects.count()
    if who != "anonymous":
        client.force_login(world.users[who])
    u = urls(world.batch)
    refused = 302 if who == "anonymous" else 404  # anonymous: to the sign-in page
    for url in u["get"]:
        response = client.get(url)
        assert response.status_code == refused, url
        assert "推荐名额" not in response.content.decode(errors="ignore")
    for url, data in u["post"]:
        assert client.post(url, data).status_code == refused, url
    assert BatchChange.objects.count() == changes_before
    assert CityQuota.objects.get(batch=world.batch, city_id="330100").factory_quota == 2
    assert DeadlineExtension.objects.filter(city_id="330900").exists()


def test_settings_page_shows_annex_1_in_the_notices_order_with_total_and_usage(world, client):
    recommend_factories(world.batch, 2)
    client.force_login(world.users["province"])
    response = client.get(reverse("batch-settings", args=[world.batch.year]))
    html = response.content.decode()
    positions = [
        html.index(f">{name}</label>")
        for name in [
            "杭州市",
            "宁波市",
            "温州市",
            "湖州市",
            "嘉兴市",
            "绍兴市",
            "金华市",
            "衢州市",
            "舟山市",
            "台州市",
            "丽水市",
        ]
    ]
    assert positions == sorted(positions)
    assert '<output id="quota-total" aria-live="polite">22</output>' in html
    assert response.context["quota_rows"][0]["factories"] == 2


def test_current_batch_redirects_to_its_settings(world, client):
    client.force_login(world.users["province"])
    response = client.get(reverse("batch-settings-current"))
    assert response.status_code == 302
    assert response["Location"] == reverse("batch-settings", args=[world.batch.year])


def test_province_saves_quotas_and_sees_the_total(world, client):
    client.force_login(world.users["province"])
    url = reverse("batch-settings-quotas", args=[world.batch.year])
    response = client.post(url, {**quota_post(world.batch, **{"330100": 7}), "reason": "增补"}, follow=True)
    assert CityQuota.objects.get(batch=world.batch, city_id="330100").factory_quota == 7
    assert "推荐名额已保存（修改1个设区市），合计27个。" in response.content.decode()
    assert '<output id="quota-total" aria-live="polite">27</output>' in response.content.decode()
    assert BatchChange.objects.get().reason == "增补"


def test_quota_below_used_is_shown_beside_the_field_and_nothing_saved(world, client):
    recommend_factories(world.batch, 2)
    client.force_login(world.users["province"])
    response = client.post(
        reverse("batch-settings-quotas", args=[world.batch.year]),
        quota_post(world.batch, **{"330100": 1, "330200": 5}),
    )
    assert response.status_code == 400
    form = response.context["quota_form"]
    assert form.errors == {"330100": ["杭州市已推荐2个，名额不能少于2个。"]}
    html = response.content.decode()
    row = html[html.index('for="id_330100"') : html.index('for="id_330200"')]
    assert "杭州市已推荐2个，名额不能少于2个。" in row
    assert CityQuota.objects.get(batch=world.batch, city_id="330200").factory_quota == 2
    assert not BatchChange.objects.exists()


@pytest.mark.parametrize(
    ("value", "message"),
    [("-1", "推荐名额不能为负数。"), ("abc", "推荐名额须为整数。"), ("", "请填写推荐名额。")],
)
def test_bad_quota_values_get_a_chinese_message(world, client, value, message):
    client.force_login(world.users["province"])
    response = client.post(
        reverse("batch-settings-quotas", args=[world.batch.year]),
        quota_post(world.batch, **{"330300": value}),
    )
    assert response.context["quota_form"].errors == {"330300": [message]}
    assert not BatchChange.objects.exists()


def test_province_changes_the_batch_settings(world, client):
    client.force_login(world.users["province"])
    data = settings_post(
        world.batch,
        park_quota="2",
        publicity_days="9",
        joint_departments="浙江省经济和信息化厅\n浙江省发展和改革委员会\n",
        assessor_required="on",
        reason="新年度规则",
    )
    response = client.post(reverse("batch-settings-update", args=[world.batch.year]), data, follow=True)
    batch = Batch.objects.get(pk=world.batch.pk)
    assert (batch.park_quota, batch.publicity_days, batch.assessor_required) == (2, 9, True)
    assert batch.joint_departments == ["浙江省经济和信息化厅", "浙江省发展和改革委员会"]
    assert "批次设置已保存（修改4项）。" in response.content.decode()


def test_park_quota_below_used_is_shown_beside_the_field(world, client):
    from quotas.services import batch_update

    batch_update(world.batch, park_quota=3, by=world.users["province"])
    for _ in range(2):
        f.advance(f.application(f.park("330100"), world.batch), "recommended")
    client.force_login(world.users["province"])
    response = client.post(
        reverse("batch-settings-update", args=[world.batch.year]),
        settings_post(world.batch, park_quota="1", publicity_days="9"),
    )
    assert response.context["settings_form"].errors == {
        "park_quota": ["杭州市已推荐园区2个，园区推荐名额不能少于2个。"]
    }
    assert Batch.objects.get(pk=world.batch.pk).publicity_days == 5  # unchanged: nothing saved


def test_settings_form_refuses_bad_values_in_chinese(world, client):
    client.force_login(world.users["province"])
    response = client.post(
        reverse("batch-settings-update", args=[world.batch.year]),
        settings_post(
            world.batch, assessor_cap="0", city_submission_deadline="2025-13-40", joint_departments=""
        ),
    )
    assert response.context["settings_form"].errors == {
        "assessor_cap": ["上限至少为1项。"],
        "city_submission_deadline": ["请输入有效的日期。"],
        "joint_departments": ["请至少填写一个联合发文部门。"],
    }
    assert not BatchChange.objects.exists()


def test_extension_add_change_and_remove_through_the_page(world, client):
    officer = world.users["province"]
    client.force_login(officer)
    y = world.batch.year
    day = world.batch.city_submission_deadline + datetime.timedelta(days=7)
    response = client.post(
        reverse("batch-settings-extension", args=[y]),
        {"city": "330900", "deadline": day.isoformat(), "reason": "台风"},
        follow=True,
    )
    assert "舟山市的报送截止日期已延长。" in response.content.decode()
    ext = DeadlineExtension.objects.get(batch=world.batch, city_id="330900")
    assert (ext.deadline, ext.granted_by, ext.reason) == (day, officer, "台风")
    client.post(
        reverse("batch-settings-extension", args=[y]),
        {"city": "330900", "deadline": (day + datetime.timedelta(days=1)).isoformat(), "reason": "再延一天"},
    )
    assert DeadlineExtension.objects.get(
        batch=world.batch, city_id="330900"
    ).deadline == day + datetime.timedelta(days=1)
    response = client.post(
        reverse("batch-settings-extension-remove", args=[y, "330900"]), {"reason": ""}, follow=True
    )
    assert "舟山市：请填写撤销原因。" in response.content.decode()
    assert DeadlineExtension.objects.filter(city_id="330900").exists()
    client.post(reverse("batch-settings-extension-remove", args=[y, "330900"]), {"reason": "按期报送"})
    assert not DeadlineExtension.objects.exists()
    assert BatchChange.objects.filter(field="extension").count() == 3


def test_extension_without_reason_or_before_the_deadline_is_refused_beside_the_fields(world, client):
    client.force_login(world.users["province"])
    response = client.post(
        reverse("batch-settings-extension", args=[world.batch.year]),
        {"city": "330900", "deadline": world.batch.city_submission_deadline.isoformat(), "reason": "x"},
    )
    assert list(response.context["extension_form"].errors) == ["deadline"]
    assert "延长后的截止日期须晚于本批次截止日期" in response.content.decode()
    response = client.post(
        reverse("batch-settings-extension", args=[world.batch.year]),
        {"city": "999999", "deadline": "", "reason": ""},
    )
    assert set(response.context["extension_form"].errors) == {"city", "deadline", "reason"}
    assert not DeadlineExtension.objects.exists()


def test_import_with_a_bad_row_lists_the_row_error_and_changes_nothing(world, client):
    client.force_login(world.users["province"])
    data = annex1_workbook([*with_quota("杭州市", 9), ("上海市", 3)], title="2025年省级绿色低碳工厂推荐名额")
    response = client.post(
        reverse("batch-settings-import", args=[world.batch.year]), {"file": xlsx_upload(data)}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "名额表有误，未作任何修改" in html
    assert "第15行：未知的设区市“上海市”。" in html
    assert CityQuota.objects.get(batch=world.batch, city_id="330100").factory_quota == 2


def test_import_of_a_good_table_replaces_the_quotas(world, client):
    client.force_login(world.users["province"])
    response = client.post(
        reverse("batch-settings-import", args=[world.batch.year]),
        {"file": xlsx_upload(annex1_workbook())},
        follow=True,
    )
    assert "名额表已导入：11个设区市，合计200个。" in response.content.decode()
    assert CityQuota.objects.get(batch=world.batch, city_id="330200").factory_quota == 31


def test_import_refuses_other_file_types_beside_the_field(world, client):
    client.force_login(world.users["province"])
    response = client.post(
        reverse("batch-settings-import", args=[world.batch.year]),
        {"file": SimpleUploadedFile("名额表.csv", b"a,b", content_type="text/csv")},
    )
    assert response.context["import_form"].errors == {"file": ["请上传 .xlsx 格式的文件。"]}


def test_annex1_download_is_the_batchs_table(world, client):
    client.force_login(world.users["province"])
    response = client.get(reverse("batch-settings-annex1", args=[world.batch.year]))
    assert response["Content-Type"] == XLSX
    assert "attachment" in response["Content-Disposition"]
    ws = load_workbook(io.BytesIO(response.content)).active
    assert ws["A2"].value == f"{world.batch.year}年省级绿色低碳工厂推荐名额"
    assert (ws["A15"].value, ws["B15"].value) == ("合计", 22)


def test_history_is_listed_on_the_page(world, client):
    from quotas.services import city_quota_set

    city_quota_set(world.batch, city="330100", quota=5, by=world.users["province"], reason="调整")
    client.force_login(world.users["province"])
    html = client.get(reverse("batch-settings", args=[world.batch.year])).content.decode()
    section = html[html.index('id="history"') :]
    assert "工厂推荐名额 · 杭州市" in section and "调整" in section


def test_admin_shows_batch_rules_and_history_read_only(world, client, django_user_model):
    from quotas.services import city_quota_set

    city_quota_set(world.batch, city="330100", quota=5, by=world.users["province"], reason="调整")
    admin = django_user_model.objects.create_superuser("root", "root@example.invalid", "pw-for-tests-1")
    client.force_login(admin)
    page = client.get(reverse("admin:quotas_batch_change", args=[world.batch.pk])).content.decode()
    assert 'name="assessor_cap"' not in page and 'name="quotas-0-factory_quota"' not in page
    change = BatchChange.objects.get()
    assert client.get(reverse("admin:quotas_batchchange_changelist")).status_code == 200
    assert (
        client.post(reverse("admin:quotas_batchchange_delete", args=[change.pk]), {"post": "yes"}).status_code
        == 403
    )
    assert BatchChange.objects.filter(pk=change.pk).exists()
