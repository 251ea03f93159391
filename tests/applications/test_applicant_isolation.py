"""An enterprise never sees, downloads or changes another unit's application or documents: every
applicant page and the API answer 404, and nothing changes — with data that could leak."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from tests import factories as f

PAGES_GET = [
    "application-detail",
    "application-edit",
    "application-assessor",
    "application-upload",
    "application-submit",
]


@pytest.fixture
def victim(world):
    """The other enterprise's draft, with indicators, an assessor and a report that could leak."""
    app = world.application(unit=world.other_factory_org, assessor_org=world.assessor_org)
    app.indicators = {"energy_per_unit": {"value": 777.7, "benchmark": 800, "unit": "kgce/t"}}
    app.save()
    return app


@pytest.fixture
def intruder(client, world):
    client.force_login(world.users["applicant_factory"])
    return client


@pytest.mark.parametrize("name", PAGES_GET)
def test_other_units_pages_are_404(intruder, victim, name):
    resp = intruder.get(reverse(name, args=[victim.pk]))
    assert resp.status_code == 404
    assert "777.7" not in resp.content.decode()


def test_other_units_documents_are_404(intruder, victim):
    for doc in victim.documents.all():
        assert intruder.get(reverse("application-document", args=[victim.pk, doc.pk])).status_code == 404


def test_own_application_id_with_other_units_document_id_is_404(intruder, world, victim):
    own = world.application()
    doc = victim.documents.first()
    assert intruder.get(reverse("application-document", args=[own.pk, doc.pk])).status_code == 404


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("application-edit", {"energy_per_unit__value": "1"}),
        ("application-assessor", {"assessor": ""}),
        ("application-upload", {"kind": "other"}),
        ("application-submit", {}),
        ("application-transition", {"name": "withdraw"}),
    ],
)
def test_other_units_application_cannot_be_changed(intruder, victim, name, data):
    if name == "application-upload":
        data = {**data, "file": f.pdf_upload("x.pdf")}
    before = (victim.indicators, victim.assessor_id, victim.state, victim.documents.count())
    assert intruder.post(reverse(name, args=[victim.pk]), data).status_code == 404
    victim.refresh_from_db()
    assert (victim.indicators, victim.assessor_id, victim.state, victim.documents.count()) == before


def test_other_units_application_is_404_through_the_api(world, victim):
    client = APIClient()
    client.force_authenticate(world.users["applicant_factory"])
    base = f"/api/v1/applications/{victim.pk}/"
    assert client.get(base).status_code == 404
    assert client.get(base + "history/").status_code == 404
    assert client.post(base + "transition/", {"name": "submit"}, format="json").status_code == 404
    resp = client.post(base + "documents/", {"kind": "other", "file": f.pdf_upload()}, format="multipart")
    assert resp.status_code == 404
    assert victim.pk not in [a["id"] for a in client.get("/api/v1/applications/").json()["results"]]
    victim.refresh_from_db()
    assert (victim.state, victim.documents.count()) == ("draft", 2)


def test_other_units_application_is_absent_from_the_home_page(intruder, world, victim):
    page = intruder.get(reverse("home")).content.decode()
    assert world.other_factory_org.name not in page


def test_assessor_not_named_sees_nothing(client, world, victim):
    stranger = f.user_of(f.assessor())
    client.force_login(stranger)
    for name in PAGES_GET:
        assert client.get(reverse(name, args=[victim.pk])).status_code == 404
    doc = victim.documents.first()
    assert client.get(reverse("application-document", args=[victim.pk, doc.pk])).status_code == 404


def test_api_indicators_are_validated_and_other_units_are_404(world, victim):
    own = world.application()
    client = APIClient()
    client.force_authenticate(world.users["applicant_factory"])
    good = {"indicators": {"energy_per_unit": {"value": "12.5", "benchmark": 15, "unit": "kgce/t"}}}
    resp = client.put(f"/api/v1/applications/{own.pk}/indicators/", good, format="json")
    assert resp.status_code == 200
    assert resp.json()["indicators"]["energy_per_unit"] == {"value": 12.5, "benchmark": 15, "unit": "kgce/t"}
    bad = {"indicators": {"renewable_share": {"value": 120}}}
    resp = client.put(f"/api/v1/applications/{own.pk}/indicators/", bad, format="json")
    assert resp.status_code == 400
    assert "百分比应在0–100之间" in str(resp.json())
    resp = client.put(f"/api/v1/applications/{victim.pk}/indicators/", good, format="json")
    assert resp.status_code == 404
    victim.refresh_from_db()
    assert victim.indicators["energy_per_unit"]["value"] == 777.7


def test_only_the_unit_edits_its_application_and_only_while_the_state_lets_it(world):
    """rules.can_edit: the applying unit, in a state where the applicant may edit (states.STATE_FACTS)
    — not its named assessor (who at most uploads), not another unit or a bureau, and not once the
    application is submitted."""
    from applications import rules

    app = world.application(assessor_org=world.assessor_org)
    assert rules.can_edit(app, world.users["applicant_factory"])
    others = ("assessor", "other_applicant", "county", "city", "province")
    assert not any(rules.can_edit(app, world.users[who]) for who in others)
    unit = f.enterprise("330106")
    submitted = world.in_state("factory", "county_review", unit=unit)
    assert not rules.can_edit(submitted, f.user_of(unit))


def test_the_named_assessor_uploads_only_where_the_unit_lets_it_and_nobody_else_does(world):
    """rules.can_upload (README "Assessors"): the unit always while editable; its named assessor
    only with the unit's leave (assessor_may_upload); no other assessor or bureau, leave or not."""
    from applications import rules

    app = world.application(assessor_org=world.assessor_org)
    other_assessor = f.user_of(f.assessor())
    for may_upload in (False, True):
        app.assessor_may_upload = may_upload
        app.save()
        assert rules.can_upload(app, world.users["applicant_factory"])
        assert rules.can_upload(app, world.users["assessor"]) is may_upload
        assert not rules.can_upload(app, other_assessor)
        assert not rules.can_upload(app, world.users["county"])
