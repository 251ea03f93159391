"""The city's submission pages and downloads, and who may open them: the city itself and the
province; every other organisation gets 404 for every URL."""

import io

import pytest
from openpyxl import load_workbook

from applications.models import Application
from reviews.models import CitySubmission
from tests import factories as f
from tests.reviews.helpers import recommended_submission


@pytest.fixture
def setup(db):
    submission, apps, city_user = recommended_submission(parks=("甲园区",), factories=("乙工厂",))
    return submission, apps, city_user


def test_looking_at_the_submission_page_never_starts_one(db, client_of):
    from reviews.models import CitySubmission

    b = f.batch()
    city_user = f.user_of(f.city_bureau("330100"))
    response = client_of(city_user).get("/reviews/submission/")
    assert response.status_code == 200
    assert "开始准备报送" in response.content.decode()
    assert not CitySubmission.objects.exists()
    response = client_of(city_user).post("/reviews/submission/")
    submission = CitySubmission.objects.get(batch=b, city_id="330100")
    assert response["Location"] == f"/reviews/submissions/{submission.pk}/"


def test_city_opens_its_draft_and_sees_the_units_and_what_is_missing(setup, client_of):
    submission, _apps, city_user = setup
    response = client_of(city_user).get("/reviews/submission/", follow=True)
    assert response.redirect_chain[-1][0] == f"/reviews/submissions/{submission.pk}/"
    html = response.content.decode()
    for text in ("甲园区", "乙工厂", "推荐名单：园区 1 个，工厂 1 个", "请上传盖章后的推荐函扫描件（PDF）。"):
        assert text in html, text


def test_city_generates_the_letter_and_annex2_from_its_page(setup, client_of):
    submission, _, city_user = setup
    client = client_of(city_user)
    letter = client.get(f"/reviews/submissions/{submission.pk}/letter.pdf")
    assert letter["Content-Type"] == "application/pdf"
    assert letter["Content-Disposition"].startswith("inline")
    assert letter.content.startswith(b"%PDF-")
    annex = client.get(f"/reviews/submissions/{submission.pk}/annex2.xlsx")
    assert annex["Content-Disposition"].startswith("attachment")
    ws = load_workbook(io.BytesIO(annex.content)).active
    assert ws["B6"].value == "甲园区" and ws["B9"].value == "乙工厂"


def test_city_uploads_scans_and_sends_through_the_page(setup, client_of):
    submission, apps, city_user = setup
    client = client_of(city_user)
    url = f"/reviews/submissions/{submission.pk}/"
    client.post(url + "edit/", {"document_number": "杭经信函〔2025〕7号"})
    bad = client.post(url + "documents/", {"kind": "letter_scan", "file": io.BytesIO(b"hello")}, follow=True)
    assert "PDF" in bad.content.decode()
    for kind in ("letter_scan", "table_scan"):
        upload = f.pdf_upload(f"{kind}.pdf")
        response = client.post(url + "documents/", {"kind": kind, "file": upload}, follow=True)
        assert "已上传" in response.content.decode()
    # Without the confirmation field the post answers the confirmation page (no JavaScript needed)
    # and nothing is sent; the page posts back with confirmed=yes.
    first = client.post(url + "send/")
    page = first.content.decode()
    assert first.status_code == 200 and "确认报送省经信厅" in page and "不能撤回" in page
    assert '<input type="hidden" name="confirmed" value="yes">' in page
    assert "甲园区" in page and "乙工厂" in page
    assert CitySubmission.objects.get(pk=submission.pk).state == "draft"
    response = client.post(url + "send/", {"confirmed": "yes"}, follow=True)
    assert "已报送省经信厅：园区1个、工厂1个。" in response.content.decode()
    submission.refresh_from_db()
    assert submission.state == "sent" and submission.document_number == "杭经信函〔2025〕7号"
    assert {a.state for a in Application.objects.filter(pk__in=[a.pk for a in apps])} == {"province_review"}


def test_province_sees_every_citys_submission_with_its_documents(setup, client_of):
    submission, _, city_user = setup
    from reviews.services import submission_document_upload

    document = submission_document_upload(
        submission=submission, kind="letter_scan", upload=f.pdf_upload("推荐函盖章.pdf"), by=city_user
    )
    other_city = f.user_of(f.city_bureau("330200"))
    from reviews.services import city_submission_open

    ningbo = city_submission_open(batch=submission.batch, by=other_city)
    client = client_of(f.user_of(f.province()))
    listing = client.get("/reviews/submissions/").content.decode()
    assert "杭州市" in listing and "宁波市" in listing and "推荐函盖章.pdf" not in listing
    assert f"/reviews/submissions/{submission.pk}/documents/{document.pk}/" in listing
    detail = client.get(f"/reviews/submissions/{submission.pk}/").content.decode()
    assert "甲园区" in detail and "推荐函盖章.pdf" in detail
    download = client.get(f"/reviews/submissions/{submission.pk}/documents/{document.pk}/")
    assert download["Content-Disposition"].startswith("inline")
    # The city sees its own only.
    city_listing = client_of(city_user).get("/reviews/submissions/").content.decode()
    assert f"/reviews/submissions/{ningbo.pk}/" not in city_listing


def test_the_province_cannot_send_a_citys_submission(setup, client_of):
    submission, _apps, _ = setup
    response = client_of(f.user_of(f.province())).post(
        f"/reviews/submissions/{submission.pk}/send/", follow=True
    )
    assert "只有本市经信局可以报送本市的推荐" in response.content.decode()
    assert CitySubmission.objects.get(pk=submission.pk).state == "draft"


URLS = [
    ("get", "/reviews/submissions/{pk}/"),
    ("get", "/reviews/submissions/{pk}/letter.pdf"),
    ("get", "/reviews/submissions/{pk}/annex2.xlsx"),
    ("get", "/reviews/submissions/{pk}/documents/{doc}/"),
    ("post", "/reviews/submissions/{pk}/edit/"),
    ("post", "/reviews/submissions/{pk}/documents/"),
    ("post", "/reviews/submissions/{pk}/send/"),
]


@pytest.mark.parametrize(("method", "url"), URLS)
@pytest.mark.parametrize("who", ["other_city", "county", "enterprise", "assessor"])
def test_every_submission_url_is_404_for_other_organisations(setup, client_of, method, url, who):
    submission, apps, city_user = setup
    from reviews.services import submission_document_upload

    doc = submission_document_upload(
        submission=submission, kind="letter_scan", upload=f.pdf_upload(), by=city_user
    )
    user = {
        "other_city": lambda: f.user_of(f.city_bureau("330200")),
        "county": lambda: f.user_of(f.county_bureau("330106")),
        "enterprise": lambda: apps[-1].unit.users.first(),
        "assessor": lambda: f.user_of(f.assessor()),
    }[who]()
    client = client_of(user)
    target = url.format(pk=submission.pk, doc=doc.pk)
    response = getattr(client, method)(target, {"document_number": "x", "kind": "letter_scan"})
    assert response.status_code == 404
    assert CitySubmission.objects.get(pk=submission.pk).state == "draft"
    assert CitySubmission.objects.get(pk=submission.pk).document_number == ""


@pytest.mark.parametrize("who", ["county", "enterprise", "province"])
def test_only_city_bureaus_have_a_current_submission(db, client_of, who):
    f.batch()
    user = {
        "county": lambda: f.user_of(f.county_bureau("330106")),
        "enterprise": lambda: f.user_of(f.enterprise("330106")),
        "province": lambda: f.user_of(f.province()),
    }[who]()
    assert client_of(user).get("/reviews/submission/").status_code == 404


def test_submission_list_is_404_for_applicants_and_counties(db, client_of):
    for user in (f.user_of(f.enterprise("330106")), f.user_of(f.county_bureau("330106"))):
        assert client_of(user).get("/reviews/submissions/").status_code == 404


@pytest.mark.parametrize("cities", [2, 11])
def test_submission_list_runs_a_constant_number_of_queries(
    db, client_of, django_assert_max_num_queries, cities
):
    from reference.models import City
    from reviews.services import city_submission_open, submission_document_upload

    b = f.batch()
    for city in City.objects.order_by("position")[:cities]:
        user = f.user_of(f.city_bureau(city.code))
        submission = city_submission_open(batch=b, by=user)
        submission_document_upload(submission=submission, kind="letter_scan", upload=f.pdf_upload(), by=user)
    client = client_of(f.user_of(f.province()))
    with django_assert_max_num_queries(9):
        response = client.get("/reviews/submissions/")
    assert len(response.context["submissions"]) == cities
    assert len(response.context["missing"]) == 11
