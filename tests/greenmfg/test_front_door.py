"""The public front door, the blank forms of the notice and the error pages (DEBUG off)."""

import io
import re
import subprocess

import pytest
from django.conf import settings
from django.test import Client, override_settings
from django.utils.http import content_disposition_header
from openpyxl import load_workbook

from tests import factories as f
from tests.helpers import libreoffice_csv

pytestmark = pytest.mark.django_db


def test_anonymous_home_shows_the_batch_its_contacts_and_the_ways_in(client):
    b = f.batch(
        contacts=[
            {"department": "绿色制造处", "name": "刘松", "phone": "0571-87058126"},
            {"department": "省技创中心", "name": "许文龙", "phone": "15384006412"},
        ]
    )
    body = client.get("/").content.decode()
    words = re.sub(r"<[^>]+>", "", body)
    assert b.notice_number in body and "刘松 0571-87058126" in words and "许文龙 15384006412" in words
    assert 'href="tel:0571-87058126"' in body
    assert b.city_submission_deadline.strftime("%Y") in body
    for url in ("/publicity/", "/publicity/published/", "/accounts/register/", "/accounts/login/"):
        assert f'href="{url}' in body
    assert "/forms/commitment-letter/" in body


def test_signed_in_home_is_still_the_organisations_home(client):
    f.batch()
    client.force_login(f.user_of(f.enterprise()))
    body = client.get("/").content.decode()
    assert "下一步" in body and "如何注册和申报" not in body


def test_without_an_open_batch_the_front_page_says_so(client):
    assert "目前没有正在受理的批次" in client.get("/").content.decode()


def _pdftotext(data: bytes) -> str:
    return subprocess.run(
        ["pdftotext", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()


def _pdffonts(data: bytes) -> str:
    return subprocess.run(["pdffonts", "-"], input=data, capture_output=True, check=True).stdout.decode()


@pytest.mark.parametrize(
    ("name", "expected"),
    [("self-evaluation-outline", "材料真实性承诺"), ("commitment-letter", "不超过7项")],
)
def test_blank_pdf_forms_download_with_chinese_text_and_an_embedded_cjk_font(client, name, expected):
    f.batch(assessor_cap=7)
    resp = client.get(f"/forms/{name}/")
    assert resp.status_code == 200 and resp["Content-Type"] == "application/pdf"
    data = b"".join(resp.streaming_content) if resp.streaming else resp.content
    assert expected in _pdftotext(data).replace(" ", "")
    assert "CJK" in _pdffonts(data)


def test_dynamic_management_form_downloads_as_a_workbook(client, tmp_path):
    f.batch(year=2026)
    resp = client.get("/forms/dynamic-management-form/")
    ws = load_workbook(io.BytesIO(resp.content)).active
    assert ws["A1"].value == "2026年绿色制造名单单位动态管理表"
    assert "重大变化情况" in [c.value for c in ws["A"]]
    # The form is filled in whatever office suite the unit has: LibreOffice reads it too.
    rows = libreoffice_csv(resp.content, tmp_path)
    assert rows[0][0] == "2026年绿色制造名单单位动态管理表"
    assert "重大变化情况" in [r[0] for r in rows if r]


BLANK_FORM_NAMES = {
    "zh-hans": {
        "self-evaluation-outline": "自评价报告提纲.pdf",
        "commitment-letter": "第三方评价机构承诺书.pdf",
        "dynamic-management-form": "动态管理表.xlsx",
    },
    "en": {
        "self-evaluation-outline": "Self-evaluation report outline.pdf",
        "commitment-letter": "Third-party assessor commitment letter.pdf",
        "dynamic-management-form": "Dynamic-management form.xlsx",
    },
}


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_blank_forms_are_named_in_the_readers_language(client, language):
    """The file names (the download's and the front page's links) follow the language chosen in
    the header: Chinese first, English in English. The forms themselves stay Chinese."""
    f.batch()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    front = client.get("/").content.decode()
    for name, filename in BLANK_FORM_NAMES[language].items():
        assert f'<a href="/forms/{name}/">{filename}</a>' in front
        resp = client.get(f"/forms/{name}/")
        assert resp["Content-Disposition"] == content_disposition_header(
            as_attachment=True, filename=filename
        )
        assert resp["X-Content-Type-Options"] == "nosniff"
    assert "第三方评价机构承诺书" in _pdftotext(client.get("/forms/commitment-letter/").content).replace(
        " ", ""
    )


def test_an_unknown_form_is_404(client):
    f.batch()
    assert client.get("/forms/nothing/").status_code == 404


@override_settings(DEBUG=False)
def test_404_page_is_chinese_in_the_sites_layout(client):
    resp = client.get("/no/such/page/")
    body = resp.content.decode()
    assert resp.status_code == 404 and "页面不存在" in body and "site-header" in body


@override_settings(DEBUG=False)
def test_out_of_region_object_gets_the_same_404_page(client):
    client.force_login(f.user_of(f.county_bureau("330108")))
    body = client.get("/accounts/verification/999999/").content.decode()
    assert "页面不存在" in body


@override_settings(DEBUG=False, ROOT_URLCONF="tests.greenmfg.test_front_door_urls")
def test_403_page_is_chinese_in_the_sites_layout(client):
    resp = client.get("/forbidden/")
    body = resp.content.decode()
    assert resp.status_code == 403 and "无权访问" in body and "site-header" in body


@override_settings(DEBUG=False, ROOT_URLCONF="tests.greenmfg.test_front_door_urls")
def test_400_page_is_chinese_in_the_sites_layout(client):
    resp = client.get("/bad-request/")
    body = resp.content.decode()
    assert resp.status_code == 400 and "请求有误" in body and "site-header" in body


@override_settings(DEBUG=False)
def test_the_csrf_failure_page_is_chinese_says_nothing_was_saved_and_what_to_do(db):
    client = Client(enforce_csrf_checks=True)
    resp = client.post("/accounts/login/", {"username": "someone", "password": "something"})
    body = resp.content.decode()
    assert resp.status_code == 403 and "页面已过期，提交未成功" in body and "site-header" in body
    assert "没有保存任何内容" in body and "刷新" in body and "CSRF" not in body


@override_settings(DEBUG=False, ROOT_URLCONF="tests.greenmfg.test_front_door_urls")
def test_500_page_is_chinese_in_the_sites_layout():
    client = Client(raise_request_exception=False)
    resp = client.get("/boom/")
    body = resp.content.decode()
    assert resp.status_code == 500 and "服务器出错" in body and "site-header" in body


def test_the_favicon_is_served(client, live_server):
    import urllib.request

    with urllib.request.urlopen(f"{live_server.url}/static/favicon.svg") as resp:
        assert resp.status == 200 and b"<svg" in resp.read()
