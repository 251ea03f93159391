"""The unit's named assessor (第三方评价机构) filling the form where the unit allows it: it sees and
fills that form through pages, API and downloads; the submission and the authenticity pledge
stay the unit's; any other assessor — unnamed, another unit's, or named but not let fill — finds
nothing (404)."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import Assessor
from core.exceptions import Forbidden, NotAllowedNow
from dynamic.services import form_assessor_set, form_transition, form_update
from tests import factories as f

from .conftest import complete_data

BASE = "/api/v1/dynamic/forms/"


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


class Assessors:
    """The factory lets assessor `named` fill its form; the 宁波 factory lets `others_units` fill
    its own; the park names `not_allowed` without letting it fill; `unnamed` is named by nobody."""

    def __init__(self, world):
        self.world = world
        orgs = {k: f.assessor() for k in ("named", "others_units", "not_allowed", "unnamed")}
        self.users = {k: f.user_of(org) for k, org in orgs.items()}
        a = {k: Assessor.objects.get(organisation=org) for k, org in orgs.items()}
        u = world.users
        form_assessor_set(world.form("factory"), by=u["factory"], assessor=a["named"], may_fill=True)
        form_assessor_set(
            world.form("other"), by=u["other_factory"], assessor=a["others_units"], may_fill=True
        )
        form_assessor_set(world.form("park"), by=u["park"], assessor=a["not_allowed"], may_fill=False)


@pytest.fixture
def assessors(world):
    return Assessors(world)


def page_post(form, data):
    post = {
        k: ("true" if v is True else "false" if v is False else v)
        for k, v in data.items()
        if k not in ("indicators", "park_area", "park_boundary", "pledge")
    }
    for code, values in data["indicators"].items():
        for key, value in values.items():
            post[f"{code}__{key}"] = value
    return post


def test_named_assessor_fills_and_uploads_through_the_pages(world, assessors, client):
    form = world.form("factory")
    client.force_login(assessors.users["named"])
    body = client.get(reverse("dynamic-forms")).content.decode()
    assert form.unit_name in body and world.form("park").unit_name not in body
    edit = client.get(reverse("dynamic-form-edit", args=[form.pk]))
    assert edit.status_code == 200
    assert 'name="pledge"' not in edit.content.decode()  # the pledge is the unit's
    data = complete_data(form, address="杭州市西湖区评价机构代填路8号")
    assert client.post(reverse("dynamic-form-edit", args=[form.pk]), page_post(form, data)).status_code == 302
    resp = client.post(
        reverse("dynamic-upload", args=[form.pk]), {"kind": "signed_form", "file": f.pdf_upload("表.pdf")}
    )
    assert resp.status_code == 302
    form.refresh_from_db()
    assert form.address == "杭州市西湖区评价机构代填路8号"
    doc = form.documents.get()
    assert doc.uploaded_by == assessors.users["named"]
    assert client.get(reverse("dynamic-document", args=[form.pk, doc.pk])).status_code == 200
    assert client.get(reverse("dynamic-form", args=[form.pk])).status_code == 200


def test_named_assessor_fills_and_uploads_through_the_api(world, assessors):
    form = world.form("factory")
    client = api(assessors.users["named"])
    data = complete_data(form)
    data.pop("pledge")
    resp = client.put(f"{BASE}{form.pk}/", data, format="json")
    assert resp.status_code == 200, resp.content
    assert resp.json()["assessor"] == assessors.users["named"].organisation_id
    resp = client.post(f"{BASE}{form.pk}/documents/", {"kind": "signed_form", "file": f.pdf_upload()})
    assert resp.status_code == 201
    assert [r["id"] for r in client.get(BASE).json()["results"]] == [form.pk]


def test_submission_and_pledge_stay_with_the_unit(world, assessors, client):
    form = world.form("factory")
    assessor = assessors.users["named"]
    world.fill(form)  # the unit filled and pledged
    assert form.pledged_at is not None
    client_api = api(assessor)
    resp = client_api.put(f"{BASE}{form.pk}/", {"pledge": True}, format="json")
    assert resp.status_code == 403
    assert (
        client_api.post(f"{BASE}{form.pk}/transition/", {"name": "submit"}, format="json").status_code == 403
    )
    client.force_login(assessor)
    client.post(reverse("dynamic-transition", args=[form.pk]), {"name": "submit"})
    form.refresh_from_db()
    assert form.state == "draft" and form.pledged_at is not None
    # A change by the assessor withdraws the unit's pledge: the unit pledges to what it submits.
    form_update(form, by=assessor, data={"scope": "精密机械零部件及模具"})
    form.refresh_from_db()
    assert form.pledged_at is None
    with pytest.raises(NotAllowedNow):
        form_transition(form, name="submit", by=world.users["factory"])
    form_update(form, by=world.users["factory"], data={"pledge": True})
    form_transition(form, name="submit", by=world.users["factory"])
    assert form.state == "county_review"
    # Submitted: the assessor still sees the form but can no longer change it.
    assert client_api.get(f"{BASE}{form.pk}/").status_code == 200
    assert client_api.put(f"{BASE}{form.pk}/", {"scope": "x"}, format="json").status_code == 409
    assert client.get(reverse("dynamic-form-edit", args=[form.pk])).status_code == 302


@pytest.mark.parametrize("who", ["unnamed", "others_units", "not_allowed"])
def test_other_assessors_find_nothing(world, assessors, client, who):
    user = assessors.users[who]
    for which in ("factory", "park"):
        form = world.form(which)
        world.fill(form)
        doc = form.documents.get()
        client.force_login(user)
        for url in (
            reverse("dynamic-form", args=[form.pk]),
            reverse("dynamic-form-edit", args=[form.pk]),
            reverse("dynamic-document", args=[form.pk, doc.pk]),
        ):
            assert client.get(url).status_code == 404, (who, which, url)
        assert client.post(reverse("dynamic-form-edit", args=[form.pk]), {}).status_code == 404
        assert form.unit_name not in client.get(reverse("dynamic-forms")).content.decode()
        c = api(user)
        assert c.get(f"{BASE}{form.pk}/").status_code == 404
        assert c.put(f"{BASE}{form.pk}/", {"scope": "x"}, format="json").status_code == 404
        assert c.get(f"{BASE}{form.pk}/history/").status_code == 404
        assert (
            c.post(f"{BASE}{form.pk}/documents/", {"kind": "other", "file": f.pdf_upload()}).status_code
            == 404
        )
        assert form.pk not in {r["id"] for r in c.get(BASE).json()["results"]}
        form.refresh_from_db()
        assert form.scope == complete_data(form)["scope"]


def test_only_the_unit_names_its_assessor(world, assessors, client):
    form = world.form("factory")
    other = Assessor.objects.get(organisation=assessors.users["unnamed"].organisation)
    with pytest.raises(Forbidden):
        form_assessor_set(form, by=assessors.users["named"], assessor=other, may_fill=True)
    client.force_login(world.users["other_factory"])
    resp = client.post(reverse("dynamic-assessor", args=[form.pk]), {"assessor": other.pk})
    assert resp.status_code == 404
    # The unit withdraws its permission: the assessor no longer finds the form.
    client.force_login(world.users["factory"])
    resp = client.post(reverse("dynamic-assessor", args=[form.pk]), {"assessor": form.assessor_id})
    assert resp.status_code == 302
    form.refresh_from_db()
    assert form.assessor_id is not None and not form.assessor_may_fill
    assert api(assessors.users["named"]).get(f"{BASE}{form.pk}/").status_code == 404
    # Once submitted the unit cannot change its assessor.
    world.in_state("factory", "county_review")
    with pytest.raises(NotAllowedNow):
        form_assessor_set(form, by=world.users["factory"], assessor=None, may_fill=False)
