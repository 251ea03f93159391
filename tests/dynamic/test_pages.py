"""Pages: who sees which form (404 for other regions), the unit fills and submits through the
page, the reviewer acts, bad input changes nothing, and the list runs in constant queries."""

import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from dynamic.models import DynamicForm
from dynamic.services import form_update
from tests import factories as f

from .conftest import complete_data, provincial_entry

WHO_SEES = {
    # role: forms of the world it sees
    "factory": {"factory"},
    "park": {"park"},
    "county": {"factory", "national"},
    "other_county": set(),
    "city": {"factory", "park", "national"},
    "other_city": {"other"},
    "province": {"factory", "park", "national", "other"},
}


@pytest.mark.parametrize("who", WHO_SEES)
def test_detail_and_download_visible_only_in_region(world, client, who):
    client.force_login(world.users[who])
    for which in ("factory", "park", "national", "other"):
        form = world.form(which)
        doc = None
        if form.unit_id:
            world.fill(form)
            doc = form.documents.first()
        resp = client.get(reverse("dynamic-form", args=[form.pk]))
        expected = 200 if which in WHO_SEES[who] else 404
        assert resp.status_code == expected, (who, which)
        if doc is not None:
            resp = client.get(reverse("dynamic-document", args=[form.pk, doc.pk]))
            assert resp.status_code == expected
        if expected == 200:
            assert form.unit_name in resp.content.decode() if doc is None else True


@pytest.mark.parametrize("who", WHO_SEES)
def test_list_shows_only_the_region(world, client, who):
    client.force_login(world.users[who])
    body = client.get(reverse("dynamic-forms")).content.decode()
    for which in ("factory", "park", "national", "other"):
        name = world.form(which).unit_name
        assert (name in body) == (which in WHO_SEES[who]), (who, which)


def test_anonymous_goes_to_sign_in_and_others_get_404(world, client):
    assert client.get(reverse("dynamic-forms")).status_code == 302
    client.force_login(f.expert())
    assert client.get(reverse("dynamic-forms")).status_code == 404


def test_other_unit_cannot_edit_or_act(world, client):
    form = world.form("factory")
    client.force_login(world.users["other_factory"])
    assert client.get(reverse("dynamic-form-edit", args=[form.pk])).status_code == 404
    resp = client.post(reverse("dynamic-transition", args=[form.pk]), {"name": "submit"})
    assert resp.status_code == 404


def test_unit_fills_and_submits_through_the_pages(world, client):
    form = world.form("factory")
    client.force_login(world.users["factory"])
    data = complete_data(form)
    post = {
        k: ("true" if v is True else "false" if v is False else v)
        for k, v in data.items()
        if k not in ("indicators", "park_area", "park_boundary")
    }
    post["pledge"] = "on"
    for code, values in data["indicators"].items():
        for key, value in values.items():
            post[f"{code}__{key}"] = value
    resp = client.post(reverse("dynamic-form-edit", args=[form.pk]), post)
    assert resp.status_code == 302
    resp = client.post(
        reverse("dynamic-upload", args=[form.pk]), {"kind": "signed_form", "file": f.pdf_upload("表.pdf")}
    )
    assert resp.status_code == 302
    # The page offers the submission; sizes read as officials write them ("50 MB", not "50.0 MB").
    page = client.get(reverse("dynamic-form-edit", args=[form.pk])).content.decode()
    assert 'data-testid="submit-form"' in page
    limit = settings.UPLOAD_MAX_BYTES // (1 << 20)
    assert f"不超过{limit} MB" in page and f"{limit}.0" not in page
    client.post(reverse("dynamic-transition", args=[form.pk]), {"name": "submit"})
    form.refresh_from_db()
    assert form.state == "county_review"
    detail = client.get(reverse("dynamic-form", args=[form.pk])).content.decode()
    assert not re.search(r"\d\.0 (KB|MB|字节|bytes)", detail)
    assert form.pledged_at is not None and form.address == data["address"]


def test_bad_number_is_shown_next_to_the_field_and_changes_nothing(world, client):
    form = world.form("factory")
    client.force_login(world.users["factory"])
    resp = client.post(
        reverse("dynamic-form-edit", args=[form.pk]), {"address": "新地址", "renewable_share__2024": "120"}
    )
    assert resp.status_code == 400
    assert "百分比应在0–100之间" in resp.content.decode()
    form.refresh_from_db()
    assert form.address == ""


def test_non_pdf_evidence_refused_with_reason(world, client):
    form = world.form("factory")
    client.force_login(world.users["factory"])
    from django.core.files.uploadedfile import SimpleUploadedFile

    resp = client.post(
        reverse("dynamic-change-add", args=[form.pk]),
        {
            "field": "name",
            "new_value": "新名称",
            "changed_on": timezone.localdate().isoformat(),
            "evidence": SimpleUploadedFile("a.pdf", b"not a pdf"),
        },
        follow=True,
    )
    assert "不是 PDF" in resp.content.decode()
    assert not form.changes.exists()


def test_reviewer_sees_flags_and_returns_with_reason(world, client):
    form = world.in_state("factory", "county_review", safety_accident="major")
    client.force_login(world.users["county"])
    body = client.get(reverse("dynamic-form", args=[form.pk])).content.decode()
    assert 'data-flag="major_accident"' in body
    resp = client.post(
        reverse("dynamic-transition", args=[form.pk]),
        {"name": "return_for_revision", "comment": ""},
        follow=True,
    )
    assert "请填写原因" in resp.content.decode()
    form.refresh_from_db()
    assert form.state == "county_review"


def _more_forms(world, n):
    from dynamic.services import campaign_open

    for _ in range(n):
        provincial_entry(f.enterprise("330106"))
    campaign_open(batch=world.batch, by=world.users["province"])


@pytest.mark.parametrize("who", ["city", "county", "province"])
def test_list_runs_constant_queries(world, client, django_assert_max_num_queries, who):
    client.force_login(world.users[who])
    _more_forms(world, 2)
    with django_assert_max_num_queries(20) as small:
        client.get(reverse("dynamic-forms"))
    _more_forms(world, 25)
    with django_assert_max_num_queries(len(small.captured_queries)):
        resp = client.get(reverse("dynamic-forms"))
    assert DynamicForm.objects.count() > 25
    assert resp.status_code == 200


def test_indicator_values_read_with_separators_and_without_a_trailing_zero(world, client):
    """Issue 14 item 7: 1,250,000 rather than 1250000, 88 rather than 88.0."""
    form = world.form("factory")
    data = complete_data(form)
    code = next(iter(data["indicators"]))
    year = next(k for k in data["indicators"][code] if k != "benchmark")
    data["indicators"][code][year] = 1250000
    data["indicators"][code]["benchmark"] = 88.0
    form_update(form, by=world.users["factory"], data=data)
    client.force_login(world.users["factory"])
    table = client.get(reverse("dynamic-form", args=[form.pk])).content.decode()
    table = table.split('data-testid="indicators"')[1].split("</table>")[0]
    assert "<td>1,250,000</td>" in table and "1250000" not in table
    assert "<td>88</td>" in table and "88.0" not in table


def test_the_forms_history_names_each_step_as_its_button_did(world, client):
    """The timeline reads 提交审核 and 县级审核通过 (the transitions' labels), not method names."""
    form = world.in_state("factory", "city_review")
    client.force_login(world.users["city"])
    page = client.get(reverse("dynamic-form", args=[form.pk])).content.decode()
    timeline = page.split('class="timeline"')[1]
    assert "提交审核" in timeline and "县级审核通过" in timeline
    assert "county_pass" not in timeline
