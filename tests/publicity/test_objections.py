"""Public objections: filed during the period only, rate-limited, CSRF-protected, evidence as PDF
seen only by the province; handled by the province through the objection's own machine."""

import datetime
import hashlib

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from applications.models import TransitionLog
from core.exceptions import Forbidden, InvalidInput, NotAllowedNow
from publicity.models import Objection, ObjectionLog
from publicity.services import objection_decide, objection_file
from tests import factories as f


@pytest.fixture
def in_publicity(world):
    app = world.under_review(name="被异议企业")
    f.publicity_round([app])
    app.refresh_from_db()
    return app


def _post(client, app, **extra):
    data = {"unit": app.pk, "name": "张三", "contact": "13800000000", "facts": "该企业去年发生环境污染事件。"}
    data.update(extra)
    return client.post(reverse("public-publicity"), data)


def test_anyone_files_an_objection_with_pdf_evidence_during_the_period(in_publicity, client):
    pdf = f.pdf_bytes(2)
    response = _post(client, in_publicity, evidence=SimpleUploadedFile("证据.pdf", pdf, "application/pdf"))
    assert response.status_code == 302
    objection = Objection.objects.get()
    assert (objection.entry.application, objection.name, objection.state) == (in_publicity, "张三", "filed")
    assert objection.evidence_sha256 == hashlib.sha256(pdf).hexdigest()
    assert objection.evidence_pages == 2 and objection.evidence_original_name == "证据.pdf"
    # Stored under MEDIA_ROOT, outside the web root, under a generated name.
    assert objection.evidence.path.startswith(str(settings.MEDIA_ROOT))
    assert "证据" not in objection.evidence.name
    assert "您的异议已提交" in client.get(reverse("public-publicity")).text


def test_objection_outside_the_period_is_refused(world, client):
    past = world.under_review(name="往期企业")
    f.publicity_round([past], days_ago=(30, 16))
    response = _post(client, past)
    assert response.status_code == 400
    assert "所选单位不在公示期内，公示期外不受理异议。" in response.text
    assert "往期企业" not in response.text
    assert not Objection.objects.exists()


def test_objection_against_a_unit_not_in_publicity_reveals_nothing(world, client, in_publicity):
    hidden = world.under_review(name="省评中企业")
    response = _post(client, hidden)
    assert response.status_code == 400
    assert "所选单位不在公示期内" in response.text and "省评中企业" not in response.text
    assert not Objection.objects.exists()


def test_objection_service_takes_today_explicitly(world, in_publicity):
    later = in_publicity.publicity_ends_on + datetime.timedelta(days=1)
    with pytest.raises(InvalidInput, match="公示期外不受理异议"):
        objection_file(
            application_pk=in_publicity.pk,
            name="张三",
            contact="1",
            facts="事实",
            ip_address="10.0.0.1",
            today=later,
        )


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"name": " "}, "请填写真实姓名。"),
        ({"contact": ""}, "请填写联系方式。"),
        ({"facts": ""}, "请填写异议事实和理由。"),
        ({"evidence": SimpleUploadedFile("证据.pdf", b"not a pdf", "application/pdf")}, "不是 PDF"),
    ],
)
def test_bad_objection_gets_a_message_next_to_the_field(in_publicity, client, extra, message):
    response = _post(client, in_publicity, **extra)
    assert response.status_code == 400
    assert message in response.text
    assert not Objection.objects.exists()


def test_objections_are_rate_limited_per_address(in_publicity, client, settings):
    settings.OBJECTION_RATE_LIMIT = 2
    assert _post(client, in_publicity).status_code == 302
    assert _post(client, in_publicity).status_code == 302
    response = _post(client, in_publicity)
    assert response.status_code == 429
    assert "同一地址1小时内最多提交2件异议" in response.text
    assert Objection.objects.count() == 2
    other = Client(REMOTE_ADDR="10.9.9.9")
    assert _post(other, in_publicity).status_code == 302


def test_objection_form_is_csrf_protected(in_publicity):
    client = Client(enforce_csrf_checks=True)
    assert _post(client, in_publicity).status_code == 403
    assert not Objection.objects.exists()


def _objection(app):
    return objection_file(
        application_pk=app.pk, name="张三", contact="138", facts="事实", ip_address="10.0.0.1"
    )


def test_dismissed_objection_leaves_the_unit_in_publicity(world, in_publicity):
    objection = _objection(in_publicity)
    objection_decide(
        objection=objection, decision="dismiss", reason="经核查不属实", by=world.users["province"]
    )
    in_publicity.refresh_from_db()
    assert (objection.state, in_publicity.state) == ("dismissed", "publicity")
    log = ObjectionLog.objects.get()
    assert (log.source, log.target, log.comment, log.actor) == (
        "filed",
        "dismissed",
        "经核查不属实",
        world.users["province"],
    )


@pytest.mark.parametrize(
    ("outcome", "target"), [("uphold_objection", "province_review"), ("reject", "rejected")]
)
def test_upheld_objection_moves_the_unit_in_the_same_transaction(world, in_publicity, outcome, target):
    objection = _objection(in_publicity)
    objection_decide(
        objection=objection,
        decision="uphold",
        outcome=outcome,
        reason="经核查属实",
        by=world.users["province"],
    )
    in_publicity.refresh_from_db()
    assert (objection.state, objection.outcome, in_publicity.state) == ("upheld", outcome, target)
    app_log = TransitionLog.objects.latest("pk")
    assert (app_log.transition, app_log.comment) == (outcome, "异议成立：经核查属实")
    assert ObjectionLog.objects.get().target == "upheld"


def test_objection_decision_needs_the_province_and_a_reason(world, in_publicity):
    objection = _objection(in_publicity)
    for who in ("city", "expert", "applicant_factory"):
        with pytest.raises(Forbidden):
            objection_decide(objection=objection, decision="uphold", reason="x", by=world.users[who])
    with pytest.raises(InvalidInput, match="请填写处理意见"):
        objection_decide(objection=objection, decision="dismiss", reason=" ", by=world.users["province"])
    objection.refresh_from_db()
    assert objection.state == "filed" and not ObjectionLog.objects.exists()


def test_objection_is_decided_once(world, in_publicity):
    objection = _objection(in_publicity)
    objection_decide(objection=objection, decision="dismiss", reason="不属实", by=world.users["province"])
    with pytest.raises(NotAllowedNow, match="已处理"):
        objection_decide(objection=objection, decision="uphold", reason="改判", by=world.users["province"])
    assert ObjectionLog.objects.count() == 1


def test_objection_state_and_history_cannot_be_rewritten(world, in_publicity):
    objection = _objection(in_publicity)
    with pytest.raises(AttributeError):
        objection.state = "dismissed"
    objection_decide(objection=objection, decision="dismiss", reason="不属实", by=world.users["province"])
    log = ObjectionLog.objects.get()
    with pytest.raises(TypeError):
        log.save()
    with pytest.raises(TypeError):
        ObjectionLog.objects.update(comment="改写")


def test_province_handles_an_objection_on_its_page(world, in_publicity, client):
    objection = _objection(in_publicity)
    client.force_login(world.users["province"])
    page = client.get(reverse("publicity-objection", args=[objection.pk]))
    assert "张三" in page.text and "事实" in page.text
    client.post(
        reverse("publicity-objection", args=[objection.pk]),
        {"decision": "uphold", "outcome": "uphold_objection", "reason": "属实"},
    )
    in_publicity.refresh_from_db()
    assert in_publicity.state == "province_review"


def test_only_the_province_downloads_evidence(world, in_publicity, client):
    pdf = f.pdf_bytes(1)
    _post(client, in_publicity, evidence=SimpleUploadedFile("证据.pdf", pdf, "application/pdf"))
    objection = Objection.objects.get()
    url = reverse("publicity-objection-evidence", args=[objection.pk])
    assert client.get(url).status_code == 302  # anonymous: sign in first
    for who in ("city", "county", "expert", "applicant_factory", "assessor"):
        client.force_login(world.users[who])
        assert client.get(url).status_code == 404
        assert client.get(reverse("publicity-objection", args=[objection.pk])).status_code == 404
        decide = {"decision": "uphold", "outcome": "reject", "reason": "x"}
        assert client.post(reverse("publicity-objection", args=[objection.pk]), decide).status_code == 404
    objection.refresh_from_db()
    in_publicity.refresh_from_db()
    assert (objection.state, in_publicity.state) == ("filed", "publicity")
    client.force_login(world.users["province"])
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == pdf
    assert response["X-Content-Type-Options"] == "nosniff"


def test_every_missing_field_is_named_at_once(in_publicity, client):
    response = client.post(reverse("public-publicity"), {"unit": "", "name": "", "contact": "", "facts": ""})
    assert response.status_code == 400
    for message in ("请选择异议对象。", "请填写真实姓名。", "请填写联系方式。", "请填写异议事实和理由。"):
        assert message in response.text
    assert not Objection.objects.exists()
