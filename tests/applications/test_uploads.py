"""Uploads: PDF by content, the size cap enforced while streaming (nothing left behind), SHA-256
computed on arrival, versions kept, downloads through the gate."""

import hashlib
import os

import pytest
from django.db import connection
from django.urls import reverse
from rest_framework.test import APIClient

from applications.models import Application, Document
from tests import factories as f

MB = 1024 * 1024


@pytest.fixture
def dirs(settings, tmp_path):
    """Media and upload temp dirs of our own, so 'nothing left behind' can be checked."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path / "tmp")
    (tmp_path / "media").mkdir()
    (tmp_path / "tmp").mkdir()
    return tmp_path


def files_under(path):
    return [os.path.join(d, n) for d, _, names in os.walk(path) for n in names]


def upload_url(app):
    return reverse("application-upload", args=[app.pk])


def test_upload_over_the_cap_is_refused_and_leaves_nothing_behind(client, world, dirs, settings):
    # Over the cap by less than the form's overhead: the streaming handler refuses it beside the
    # field (a larger declared body is refused before it is read, next test).
    settings.UPLOAD_MAX_BYTES = 1 * MB
    app = world.application(with_report=False)
    client.force_login(world.users["applicant_factory"])
    big = dirs / "big.pdf"
    f.write_big_pdf(big, MB + 100_000)
    with open(big, "rb") as fh:
        resp = client.post(upload_url(app), {"kind": "self_evaluation_report", "file": fh})
    assert resp.status_code == 400
    html = resp.content.decode()
    assert "文件超过大小上限1.0\xa0MB" in html  # filesizeformat: no-break space
    assert 'id="id_file_errors"' in html  # beside the file field
    assert not Document.objects.filter(application=app).exists()
    assert files_under(dirs / "media") == []
    assert files_under(dirs / "tmp") == []


class UnreadableBody:
    """A request body that fails the test if anything reads it."""

    def read(self, *args):
        raise AssertionError("the body of an over-cap upload was read")

    readline = read


@pytest.mark.parametrize("path", ["page", "api"])
def test_upload_declared_over_the_cap_is_refused_before_its_body_is_read(client, world, dirs, path):
    app = world.application(with_report=False)
    client.force_login(world.users["applicant_factory"])
    url = upload_url(app) if path == "page" else f"/api/v1/applications/{app.pk}/documents/"
    resp = client.generic(
        "POST",
        url,
        b"",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(200 * MB),
        **{"wsgi.input": UnreadableBody()},
    )
    assert resp.status_code == 413
    assert "文件超过大小上限50.0\xa0MB" in resp.content.decode()
    assert not Document.objects.filter(application=app).exists()
    assert files_under(dirs / "media") == files_under(dirs / "tmp") == []


def test_upload_of_40_mb_is_stored_with_its_sha256_and_page_count(client, world, dirs):
    app = world.application(with_report=False)
    client.force_login(world.users["applicant_factory"])
    path = dirs / "report.pdf"
    sha = f.write_big_pdf(path, 40 * MB, pages=7)
    with open(path, "rb") as fh:
        resp = client.post(upload_url(app), {"kind": "self_evaluation_report", "file": fh})
    assert resp.status_code == 302
    doc = Document.objects.get(application=app)
    assert (doc.sha256, doc.page_count, doc.size, doc.version) == (sha, 7, 40 * MB, 1)
    stored = files_under(dirs / "media")
    assert len(stored) == 1 and stored[0].endswith(doc.stored_name)
    with open(stored[0], "rb") as fh:
        assert hashlib.file_digest(fh, "sha256").hexdigest() == sha
    assert files_under(dirs / "tmp") == []
    page = client.get(upload_url(app)).content.decode()
    assert "7页" in page and "report.pdf" in page


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("自评价报告.pdf", b"MZ\x90\x00\x03" + b"\x00" * 2000),  # a renamed .exe
        ("自评价报告.pdf", b"PK\x03\x04" + b"word/document.xml" * 100),  # a renamed .docx
        ("broken.pdf", b"%PDF-1.4\n" + b"garbage" * 100),
    ],
)
def test_upload_that_is_not_a_pdf_by_content_is_refused_beside_the_field(client, world, dirs, name, content):
    app = world.application(with_report=False)
    client.force_login(world.users["applicant_factory"])
    path = dirs / name
    path.write_bytes(content)
    with open(path, "rb") as fh:
        resp = client.post(upload_url(app), {"kind": "self_evaluation_report", "file": fh})
    assert resp.status_code == 400
    html = resp.content.decode()
    assert 'id="id_file_errors"' in html
    assert "不是 PDF" in html or "无法解析为有效的PDF" in html
    assert not Document.objects.filter(application=app).exists()
    assert files_under(dirs / "media") == []
    assert files_under(dirs / "tmp") == []


def test_new_upload_is_a_new_version_and_earlier_ones_stay_downloadable(client, world, dirs):
    app = world.application(with_report=False)
    client.force_login(world.users["applicant_factory"])
    bodies = [f.pdf_bytes(1), f.pdf_bytes(2)]
    for body in bodies:
        path = dirs / "r.pdf"
        path.write_bytes(body)
        with open(path, "rb") as fh:
            assert (
                client.post(upload_url(app), {"kind": "self_evaluation_report", "file": fh}).status_code
                == 302
            )
    v1, v2 = Document.objects.filter(application=app).order_by("version")
    assert (v1.version, v2.version, v1.page_count, v2.page_count) == (1, 2, 1, 2)
    for doc, body in ((v1, bodies[0]), (v2, bodies[1])):
        resp = client.get(reverse("application-document", args=[app.pk, doc.pk]))
        assert resp.status_code == 200
        assert b"".join(resp.streaming_content) == body
        assert doc.sha256 == hashlib.sha256(body).hexdigest()


def test_api_upload_over_the_cap_is_a_400_with_the_size_message(world, dirs, settings):
    settings.UPLOAD_MAX_BYTES = 100_000
    app = world.application(with_report=False)
    client = APIClient()
    client.force_authenticate(world.users["applicant_factory"])
    path = dirs / "big.pdf"
    f.write_big_pdf(path, 200_000)
    with open(path, "rb") as fh:
        resp = client.post(
            f"/api/v1/applications/{app.pk}/documents/",
            {"kind": "self_evaluation_report", "file": fh},
            format="multipart",
        )
    assert resp.status_code == 400
    assert "文件超过大小上限" in str(resp.json())
    assert not Document.objects.filter(application=app).exists()
    assert files_under(dirs / "media") == files_under(dirs / "tmp") == []


def test_upload_is_refused_once_submitted(client, world, dirs):
    app = world.in_state("factory", "county_review")
    client.force_login(world.users["applicant_factory"])
    path = dirs / "r.pdf"
    path.write_bytes(f.pdf_bytes())
    with open(path, "rb") as fh:
        resp = client.post(upload_url(app), {"kind": "other", "file": fh}, follow=True)
    assert "申报已提交，不能再上传材料。" in resp.content.decode()
    assert app.documents.count() == 1


def test_pdf_check_refuses_a_file_over_the_size_cap_on_its_own(settings):
    """check_pdf keeps its own cap for uploads that did not stream through the capped upload
    handler (a file given to a service directly): exactly the cap passes, one byte more does not."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from applications.documents import check_pdf
    from core.exceptions import InvalidInput

    body = f.pdf_bytes(pages=2)
    settings.UPLOAD_MAX_BYTES = len(body)
    assert check_pdf(SimpleUploadedFile("r.pdf", body, content_type="application/pdf")) == 2
    settings.UPLOAD_MAX_BYTES = len(body) - 1
    with pytest.raises(InvalidInput, match="超过上限"):
        check_pdf(SimpleUploadedFile("r.pdf", body, content_type="application/pdf"))


@pytest.mark.parametrize("who", ["other_applicant", "county"])
def test_a_draft_takes_uploads_from_its_unit_only_and_others_are_refused_for_permission(world, dirs, who):
    """Who may upload is asked before when: on a draft that is still editable, another unit or a
    bureau is refused for want of permission (403), not told that the application was submitted."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from applications.documents import document_upload
    from core.exceptions import Forbidden

    app = world.application(with_report=False)
    assert app.is_editable
    upload = SimpleUploadedFile("r.pdf", f.pdf_bytes(), content_type="application/pdf")
    with pytest.raises(Forbidden, match="您没有权限为该申报上传材料"):
        document_upload(application=app, kind="other", upload=upload, by=world.users[who])
    assert not app.documents.exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are PostgreSQL's")
def test_an_upload_locks_its_application_row_while_it_numbers_the_version(world, dirs):
    """Document.store numbers the next version from the highest so far; the upload holds its
    application's row lock meanwhile, so a second upload of the same kind waits and takes the
    next number. A row locked FOR UPDATE carries the locking transaction in xmax: the upload
    changes that of its application's row. (Locking another row instead is left to a race test:
    the xmax of a row this transaction already holds does not move.)"""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from applications.documents import document_upload

    app = world.application(with_report=False)

    def xmax():
        with connection.cursor() as cur:
            cur.execute(f"SELECT xmax::text FROM {Application._meta.db_table} WHERE id = %s", [app.pk])
            return cur.fetchone()[0]

    before = xmax()
    upload = SimpleUploadedFile("r.pdf", f.pdf_bytes(), content_type="application/pdf")
    by = world.users["applicant_factory"]
    assert document_upload(application=app, kind="other", upload=upload, by=by).version == 1
    assert xmax() != before


def handled(rf, settings, data: bytes, cap: int):
    """A multipart request carrying `data`, its files read through the capped handler alone."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from applications.uploads import CappedHashingUploadHandler

    settings.UPLOAD_MAX_BYTES = cap
    request = rf.post("/", {"file": SimpleUploadedFile("r.pdf", data)})
    request.upload_handlers = [CappedHashingUploadHandler(request)]
    request.FILES  # noqa: B018  (parses the body)
    return request


def test_the_streaming_cap_takes_a_file_of_exactly_the_cap_with_its_sha256(rf, settings, dirs):
    from applications.uploads import refused

    data = f.pdf_bytes(pages=2) + b"\n" * 200_000  # several chunks
    request = handled(rf, settings, data, cap=len(data))
    assert refused(request) == {}
    upload = request.FILES["file"]
    assert upload.read() == data
    # Hashed by the handler as the bytes arrived (the store uses it rather than reading again).
    assert upload.sha256 == hashlib.sha256(data).hexdigest()


def test_the_streaming_cap_refuses_one_byte_more_and_drains_the_rest_of_the_body(rf, settings, dirs):
    from applications.uploads import refused

    data = f.pdf_bytes(pages=2) + b"\n" * 200_000
    request = handled(rf, settings, data, cap=len(data) - 1)
    assert "文件超过大小上限" in refused(request)["file"]
    assert "file" not in request.FILES
    assert files_under(dirs / "tmp") == []
    # Refused in its first chunk, the rest of the body is read and discarded (not left unread:
    # the browser would see a reset connection instead of the page with the message).
    request = handled(rf, settings, data, cap=1000)
    assert "文件超过大小上限" in refused(request)["file"]
    assert len(request.META["wsgi.input"]) == 0
