"""The receipt (申报回执) as it prints (issue 14 "a printable receipt"): Chromium's print of the
page is one A4 page with the number, the unit, the submission time, every document with its
SHA-256 whole on one line, and the next step; none of the site's header, links or messages."""

import subprocess

import pytest
from django.utils import formats, timezone

from tests.browser.conftest import sign_in
from tests.experts.conftest import ProvinceWorld

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_receipt_prints_on_one_a4_page_without_the_sites_chrome(page, live_server, tmp_path):
    w = ProvinceWorld()
    app = w.in_state("factory", "county_review")
    sign_in(page, live_server, app.unit.users.first().username)
    page.goto(f"{live_server.url}/applications/{app.pk}/receipt/")
    page.emulate_media(media="print")
    pdf = tmp_path / "receipt.pdf"
    page.pdf(
        path=str(pdf), format="A4", margin={"top": "15mm", "bottom": "15mm", "left": "15mm", "right": "15mm"}
    )

    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "Pages:           1" in info, info
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True).stdout
    flat = "".join(text.split())
    submitted = formats.date_format(timezone.localtime(app.submitted_at), "DATETIME_FORMAT")
    documents = list(app.documents.all())
    assert documents
    for expected in (
        "申报回执",
        app.number,
        app.unit.name,
        "".join(submitted.split()),
        "下一步",
        *("".join(d.original_name.split()) for d in documents),
    ):
        assert expected in flat, expected
    # Each fingerprint whole on one line, to be compared character by character.
    lines = text.splitlines()
    for d in documents:
        assert any(d.sha256 in line for line in lines), d.sha256
    for chrome in ("退出", "跳到正文", "返回申报", "浙江省绿色低碳工业园区和工厂推荐平台"):
        assert chrome not in flat, chrome
