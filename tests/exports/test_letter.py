"""The recommendation letter (推荐函, 通知 三) as a PDF: real WeasyPrint, real CJK font, checked with
poppler's pdftotext and pdffonts."""

import subprocess

import pytest

from exports.letter import recommendation_letter_pdf
from reviews.selectors import submission_applications, submission_counts
from tests.reviews.helpers import FACTORY_NAMES, PARK_NAMES, recommended_submission


def _letter(submission) -> bytes:
    units, counts = submission_applications(submission), submission_counts(submission)
    return recommendation_letter_pdf(submission, units=units, counts=counts)


def _pdf_tool(tool, pdf, tmp_path, *args):
    path = tmp_path / "letter.pdf"
    path.write_bytes(pdf)
    return subprocess.run(
        [tool, *args, str(path), "-"] if tool == "pdftotext" else [tool, str(path)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout


@pytest.fixture
def letter(db):
    submission, _apps, _ = recommended_submission()
    submission.document_number = "杭经信函〔2025〕12号"
    return submission, _letter(submission)


def test_letter_text_names_the_bureau_the_addressee_and_every_unit(letter, tmp_path):
    _submission, pdf = letter
    assert pdf.startswith(b"%PDF-")
    text = _pdf_tool("pdftotext", pdf, tmp_path).replace("\n", "")
    assert "杭州市经信局" in text
    assert "省经济和信息化厅" in text
    assert "杭经信函〔2025〕12号" in text
    assert "园区2个" in text and "工厂3家" in text
    for name in (*PARK_NAMES, *FACTORY_NAMES):
        assert name in text.replace(" ", ""), name


def test_letter_is_chinese_whatever_the_users_language(db):
    from django.utils import translation

    submission, _apps, _ = recommended_submission()
    with translation.override("en"):
        pdf = _letter(submission)
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout
    text = text.decode().replace("\n", "").replace(" ", "")
    assert "关于推荐" in text and "省经济和信息化厅" in text


def test_letter_embeds_a_cjk_serif_font(letter, tmp_path):
    _, pdf = letter
    fonts = _pdf_tool("pdffonts", pdf, tmp_path)
    cjk = [line for line in fonts.splitlines() if "CJK" in line]
    assert cjk, fonts
    assert any("Serif" in line for line in cjk), fonts
    # pdffonts columns: name type encoding emb sub uni …; every CJK font is embedded.
    assert all(" yes " in f" {line} " and line.split()[-5] == "yes" for line in cjk), fonts
