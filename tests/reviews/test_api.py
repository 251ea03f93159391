"""The reviewers' API: same gate, same rules, status codes instead of messages."""

import datetime

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from reviews.services import submission_document_upload
from tests import factories as f
from tests.reviews.helpers import recommended_submission


@pytest.fixture
def api():
    def as_user(user):
        client = APIClient()
        client.force_authenticate(user)
        return client

    return as_user


def test_queue_api_lists_the_bureaus_queue_only(world, api):
    mine = world.in_state("factory", "county_review")
    world.in_state("factory", "county_review", unit=world.other_factory_org)
    data = api(world.users["county"]).get("/api/v1/reviews/queue/").json()
    assert [r["id"] for r in data["results"]] == [mine.pk]
    assert data["results"][0]["documents_complete"] is True
    assert api(world.users["applicant_factory"]).get("/api/v1/reviews/queue/").status_code == 404


def test_submission_api_send_and_visibility(db, api):
    submission, apps, city_user = recommended_submission(parks=(), factories=("乙工厂",))
    other_city = f.user_of(f.city_bureau("330200"))
    url = f"/api/v1/reviews/submissions/{submission.pk}/"
    assert api(other_city).get(url).status_code == 404
    assert api(other_city).post(url + "send/").status_code == 404
    assert api(f.user_of(f.province())).get(url).json()["applications"] == [apps[0].pk]
    missing = api(city_user).post(url + "send/")
    assert missing.status_code == 409 and "扫描件" in missing.json()["detail"]
    for kind in ("letter_scan", "table_scan"):
        submission_document_upload(submission=submission, kind=kind, upload=f.pdf_upload(), by=city_user)
    batch = submission.batch
    batch.city_submission_deadline = timezone.localdate() - datetime.timedelta(days=1)
    batch.save()
    late = api(city_user).post(url + "send/")
    assert late.status_code == 409 and "截止日期" in late.json()["detail"]
    batch.city_submission_deadline = timezone.localdate()
    batch.save()
    sent = api(city_user).post(url + "send/")
    assert sent.status_code == 200 and sent.json()["state"] == "sent"
    assert api(city_user).post(url + "send/").status_code == 409
