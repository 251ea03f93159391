"""The one PDF check (applications/pdf_check.py): `%PDF-` at byte 0, parsed in a child process
within a wall-time and memory budget; crafted files and active content refused with a 400 and a
Chinese reason, while the portal keeps serving other requests."""

import functools
import json
import multiprocessing
import pathlib
import re
import threading
import time
import urllib.request
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from applications import pdf_check, pdf_probe
from applications.documents import check_pdf
from applications.models import Document
from core.exceptions import InvalidInput
from reviews.services import submission_document_upload
from tests import factories as f
from tests import pdf_crafted
from tests.reviews.helpers import recommended_submission

# Tests run with a short budget so that a hung parse costs the suite seconds, not minutes.
BUDGET_SECONDS = 3
# Generous slack over the budget for a loaded 2-core machine (interpreter start-up, the upload).
SLACK_SECONDS = 6

UNREADABLE = "文件无法解析为有效的PDF"
REASONS = {
    "padded_object_stream_chain": UNREADABLE,
    "deep_page_tree": UNREADABLE,
    "inflating_stream": UNREADABLE,
    "html_polyglot": "不是 PDF（文件须以%PDF-开头）",
    "javascript": "JavaScript",
    "launch_action": "启动外部程序",
    "embedded_file": "嵌入的附件",
    "encrypted_empty_password": "已加密",
}


@functools.cache
def crafted(name: str) -> bytes:
    return pdf_crafted.CRAFTED[name]()


@pytest.fixture(autouse=True)
def budget(settings, tmp_path):
    settings.PDF_CHECK_SECONDS = BUDGET_SECONDS
    settings.PDF_CHECK_MEMORY_MB = 512
    settings.MEDIA_ROOT = tmp_path / "media"


def api_upload(client, app, name: str, data: bytes):
    return client.post(
        f"/api/v1/applications/{app.pk}/documents/",
        {"kind": "self_evaluation_report", "file": SimpleUploadedFile(f"{name}.pdf", data)},
        format="multipart",
    )


def test_a_plain_pdf_passes_with_its_page_count():
    assert check_pdf(SimpleUploadedFile("ok.pdf", f.pdf_bytes(3))) == 3


@pytest.mark.parametrize("name", list(pdf_crafted.CRAFTED))
def test_crafted_pdf_is_refused_with_a_reason_within_the_budget(world, name):
    app = world.application(with_report=False)
    client = APIClient()
    client.force_authenticate(world.users["applicant_factory"])
    data = crafted(name)
    assert len(data) < 1024 * 1024
    started = time.monotonic()
    response = api_upload(client, app, name, data)
    elapsed = time.monotonic() - started
    assert response.status_code == 400, response.content
    assert REASONS[name] in json.dumps(response.json(), ensure_ascii=False)
    assert elapsed < BUDGET_SECONDS + SLACK_SECONDS
    assert not Document.objects.filter(application=app).exists()


def test_pdf_magic_must_be_at_byte_zero():
    shifted = b" " + f.pdf_bytes(1)
    with pytest.raises(InvalidInput, match="%PDF-"):
        check_pdf(SimpleUploadedFile("shifted.pdf", shifted))


def test_the_memory_budget_refuses_what_the_time_budget_would_allow(settings):
    settings.PDF_CHECK_SECONDS = 30
    settings.PDF_CHECK_MEMORY_MB = 64  # not enough to inflate one padded link
    with pytest.raises(InvalidInput, match=UNREADABLE):
        check_pdf(SimpleUploadedFile("chain.pdf", crafted("padded_object_stream_chain")))


@pytest.mark.parametrize("name", ["javascript", "encrypted_empty_password"])
def test_sealed_scans_use_the_same_check(db, name):
    submission, _, city_user = recommended_submission(parks=("甲园区",), factories=())
    with pytest.raises(InvalidInput, match=REASONS[name]):
        submission_document_upload(
            submission=submission,
            kind="letter_scan",
            upload=SimpleUploadedFile("scan.pdf", crafted(name)),
            by=city_user,
        )
    assert not submission.documents.exists()


def test_a_refusal_names_the_file():
    with pytest.raises(InvalidInput, match=re.escape("“年度报告.pdf”不是 PDF")):
        check_pdf(SimpleUploadedFile("年度报告.pdf", b"<html></html>"))
    with pytest.raises(InvalidInput, match=re.escape("“年度报告.pdf”：文件含有JavaScript")):
        check_pdf(SimpleUploadedFile("年度报告.pdf", crafted("javascript")))


def test_an_upload_in_memory_is_parsed_from_an_exact_copy_in_the_upload_temp_dir(
    settings, tmp_path, monkeypatch
):
    """The child reads a private copy, byte for byte the upload, in settings.FILE_UPLOAD_TEMP_DIR
    (not the system's /tmp); the upload is left at its first byte for whoever stores it."""
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path / "uploads")
    (tmp_path / "uploads").mkdir()
    seen = {}

    def probe(path, name):
        seen["bytes"], seen["dir"] = pathlib.Path(path).read_bytes(), pathlib.Path(path).parent
        return 1

    monkeypatch.setattr(pdf_check, "_probe", probe)
    data = f.pdf_bytes(2)
    upload = SimpleUploadedFile("r.pdf", data)
    assert pdf_check.pdf_page_count(upload) == 1
    assert seen == {"bytes": data, "dir": tmp_path / "uploads"}
    assert upload.tell() == 0 and upload.read() == data
    assert list((tmp_path / "uploads").iterdir()) == []  # the copy is gone


def test_an_upload_on_disk_is_parsed_in_place_and_left_at_its_first_byte(settings, tmp_path):
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    data = f.pdf_bytes(2)
    upload = TemporaryUploadedFile("r.pdf", "application/pdf", len(data), None)
    upload.write(data)
    assert pdf_check.pdf_page_count(upload) == 2
    assert upload.tell() == 0 and upload.read() == data
    upload.close()


def test_a_child_that_outlives_the_wall_time_budget_is_killed(settings, monkeypatch):
    """A child stuck without using CPU time (no resource limit ends it) is killed at the budget:
    the refusal comes within the budget, not when the child would have finished on its own."""
    settings.PDF_CHECK_SECONDS = 1
    monkeypatch.setattr(pdf_probe, "child", pdf_crafted.stuck_child)
    started = time.monotonic()
    with pytest.raises(InvalidInput, match="时限"):
        check_pdf(SimpleUploadedFile("stuck.pdf", f.pdf_bytes(1)))
    assert time.monotonic() - started < 1 + SLACK_SECONDS
    assert multiprocessing.active_children() == []


def test_a_checks_child_is_daemonic_so_an_exiting_worker_ends_it(settings, monkeypatch):
    """A web worker that exits while a check runs (a daemon request thread, as under runserver)
    terminates the check's child instead of waiting for it: multiprocessing joins a non-daemonic
    child at exit, which for a stuck child is the child's own life."""
    settings.PDF_CHECK_SECONDS = 2
    monkeypatch.setattr(pdf_probe, "child", pdf_crafted.stuck_child)
    children = []

    def check():
        with pytest.raises(InvalidInput):
            check_pdf(SimpleUploadedFile("stuck.pdf", f.pdf_bytes(1)))

    thread = threading.Thread(target=check)
    thread.start()
    deadline = time.monotonic() + 2
    while not children and time.monotonic() < deadline:
        children = multiprocessing.active_children()
        time.sleep(0.05)
    thread.join(30)
    assert [child.daemon for child in children] == [True]


def _multipart(fields: dict[str, str], files: dict[str, tuple[str, bytes]]) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = []
    for key, value in fields.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode()
        )
    for key, (filename, data) in files.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"; filename="{filename}"\r\n'
            "Content-Type: application/pdf\r\n\r\n".encode()
            + data
            + b"\r\n"
        )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def test_a_pdf_bomb_never_blocks_other_requests(live_server, transactional_db, settings):
    """While a padded object-stream chain keeps the check's child busy to its budget, the server
    answers another request at once; the bomb ends in a 400 within the budget."""
    settings.PDF_CHECK_SECONDS = 5
    from tests.applications.conftest import World

    world = World()
    app = world.application(with_report=False)
    token = Token.objects.create(user=world.users["applicant_factory"])
    body, content_type = _multipart(
        {"kind": "self_evaluation_report"}, {"file": ("bomb.pdf", crafted("padded_object_stream_chain"))}
    )
    request = urllib.request.Request(
        f"{live_server.url}/api/v1/applications/{app.pk}/documents/",
        data=body,
        headers={"Authorization": f"Token {token.key}", "Content-Type": content_type},
        method="POST",
    )
    outcome = {}

    def bomb():
        started = time.monotonic()
        try:
            urllib.request.urlopen(request, timeout=60)
            outcome["status"] = 201
        except urllib.error.HTTPError as exc:
            outcome["status"] = exc.code
            outcome["body"] = exc.read().decode()
        outcome["elapsed"] = time.monotonic() - started

    thread = threading.Thread(target=bomb)
    thread.start()
    time.sleep(1.5)  # the upload is in and the child is parsing
    assert thread.is_alive()
    with urllib.request.urlopen(f"{live_server.url}{reverse('public-publicity')}", timeout=30) as page:
        assert page.status == 200
    served_while_busy = thread.is_alive()
    thread.join(60)
    assert served_while_busy
    assert outcome["status"] == 400 and UNREADABLE in outcome["body"]
    assert outcome["elapsed"] < settings.PDF_CHECK_SECONDS + SLACK_SECONDS
    assert not Document.objects.filter(application=app).exists()
