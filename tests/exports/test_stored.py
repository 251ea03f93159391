"""Generated documents are stored with the hash of the data they were made from and served from
storage until that data changes (exports/stored.py)."""

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from exports import stored
from reviews.selectors import submission_applications, submission_counts
from reviews.services import city_submission_update
from tests import factories as f
from tests.reviews.helpers import recommended_submission


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return tmp_path / "media"


def _generated(media, kind):
    folder = media / "generated" / kind
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def test_letter_is_drawn_once_and_again_only_when_its_data_changes(db, media, monkeypatch):
    submission, _apps, city_user = recommended_submission()
    drawn = []
    real = stored.stored

    def counting(**kwargs):
        draw = kwargs["draw"]
        kwargs["draw"] = lambda: drawn.append(kwargs["kind"]) or draw()
        return real(**kwargs)

    monkeypatch.setattr(stored, "stored", counting)

    def letter():
        units = submission_applications(submission)
        return stored.letter(submission, units=units, counts=submission_counts(submission))

    first = letter()
    assert letter() == first and drawn == ["letter"]
    assert default_storage.open(first).read().startswith(b"%PDF-")

    city_submission_update(submission=submission, document_number="杭经信函〔2025〕12号", by=city_user)
    second = letter()
    assert second != first and drawn == ["letter", "letter"]
    assert _generated(media, "letter") == [second.rsplit("/", 1)[1]]  # the stale copy is gone


def test_annex2_download_is_served_from_storage_until_a_unit_is_added(db, media, client):
    submission, _apps, city_user = recommended_submission()
    client.force_login(city_user)
    url = reverse("submission-annex2", args=[submission.pk])
    one = client.get(url)
    assert one.status_code == 200 and one.content.startswith(b"PK")
    assert client.get(url).content == one.content
    assert len(_generated(media, "annex2")) == 1
    name = _generated(media, "annex2")[0]

    f.advance(
        f.application(f.enterprise("330106", name="新推荐企业有限公司"), submission.batch), "recommended"
    )
    client.get(url)
    assert _generated(media, "annex2") != [name] and len(_generated(media, "annex2")) == 1


def test_downloads_answer_with_x_accel_redirect_behind_nginx(db, media, client, settings):
    settings.DOWNLOADS_X_ACCEL_REDIRECT = "/protected-media/"
    submission, _apps, city_user = recommended_submission()
    client.force_login(city_user)
    response = client.get(reverse("submission-annex2", args=[submission.pk]))
    assert response.status_code == 200 and response.content == b""
    assert response["X-Accel-Redirect"].startswith("/protected-media/generated/annex2/submission")
    # …after the visibility check: another city's bureau gets 404, not a redirect.
    client.force_login(f.user_of(f.city_bureau("330200")))
    assert client.get(reverse("submission-annex2", args=[submission.pk])).status_code == 404
