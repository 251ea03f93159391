"""The recommendation letter and the joint notice laid out in the GB/T 9704-2012 style, checked on
the PDF itself: positions from poppler's `pdftotext -bbox-layout` (the signature block on the page
of the last body line; the title broken only between words) and the red separator line found in
the drawing (`pdftoppm`), for 1, 5 and 40 units."""

import datetime
import io
import subprocess
import xml.etree.ElementTree as ET

import pytest
from PIL import Image

from exports.letter import recommendation_letter_pdf, title_words
from publicity.notice import notice_title_words, publication_notice_pdf
from publicity.services import publication_publish
from reviews.selectors import submission_applications, submission_counts
from tests import factories as f
from tests.reviews.helpers import recommended_submission

NS = {"x": "http://www.w3.org/1999/xhtml"}


def pdf_lines(pdf: bytes) -> list[tuple[int, str]]:
    """(page number, text of the line) for every line, in reading order."""
    xml = subprocess.run(
        ["pdftotext", "-bbox-layout", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout
    root = ET.fromstring(xml)
    lines = []
    x = "{" + NS["x"] + "}"
    for number, page in enumerate(root.iter(f"{x}page"), start=1):
        for line in page.iter(f"{x}line"):
            text = "".join(w.text or "" for w in line.iter(f"{x}word"))
            lines.append((number, text.replace("\u200b", "")))
    return lines


def page_of(lines, text, *, last=False) -> int:
    pages = [p for p, t in lines if text in t]
    assert pages, f"{text!r} not in the PDF"
    return pages[-1] if last else pages[0]


def title_lines(lines, title) -> list[str]:
    """The consecutive lines that together spell the title."""
    texts = [t for _p, t in lines]
    for i in range(len(texts)):
        joined = ""
        for j in range(i, len(texts)):
            joined += texts[j]
            if joined == title:
                return texts[i : j + 1]
            if not title.startswith(joined):
                break
    raise AssertionError(f"title {title!r} not found in {texts[:12]}")


def assert_broken_between_words(lines, words):
    boundaries = set()
    end = 0
    for w in words:
        end += len(w)
        boundaries.add(end)
    parts = title_lines(lines, "".join(words))
    assert len(parts) >= 2, "the test needs a title long enough to wrap"
    end = 0
    for part in parts:
        end += len(part)
        assert end in boundaries, f"title broken inside a word after {part!r}: {parts}"


def is_red(rgb) -> bool:
    r, g, b = rgb
    return r > 150 and r - g > 60 and r - b > 60


def red_rule_rows(pdf: bytes, page: int = 1) -> list[int]:
    """Rows of the rendered page where red runs across more than half the width (a rule, not text)."""
    png = subprocess.run(
        ["pdftoppm", "-r", "72", "-f", str(page), "-l", str(page), "-png", "-"],
        input=pdf,
        capture_output=True,
        check=True,
    ).stdout
    image = Image.open(io.BytesIO(png)).convert("RGB")
    width, height = image.size
    pixels = image.load()
    rows = []
    for y in range(height):
        red = sum(1 for x in range(width) if is_red(pixels[x, y]))
        if red > width / 2:
            rows.append(y)
    return rows


def names(n):
    return tuple(f"杭州第{i:02d}绿色精密制造有限公司" for i in range(1, n + 1))


@pytest.mark.parametrize("n", [1, 5, 40])
def test_the_letter_keeps_its_signature_with_the_body_and_its_title_whole(db, n):
    submission, _apps, _ = recommended_submission(parks=(), factories=names(n), quota=n)
    submission.document_number = "杭经信函〔2025〕12号"
    submission.contact_name, submission.contact_phone = "王敏", "0571-85252000"
    pdf = recommendation_letter_pdf(
        submission, units=submission_applications(submission), counts=submission_counts(submission)
    )
    lines = pdf_lines(pdf)
    bureau = submission.bureau.name
    last_unit = page_of(lines, names(n)[-1])
    date = datetime.date.today()
    signature_date = page_of(lines, f"{date.year}年{date.month}月{date.day}日", last=True)
    assert signature_date == last_unit == page_of(lines, "附件：", last=True)
    assert page_of(lines, "联系人：王敏，电话：0571-85252000") == last_unit
    assert page_of(lines, bureau, last=True) == last_unit
    assert_broken_between_words(lines, title_words(bureau, submission.batch.year))
    # 信函格式: the number under the red line, on the right; the line is drawn on page 1.
    assert red_rule_rows(pdf), "no red separator line on page 1"
    texts = [t for _p, t in lines]
    assert texts.index("杭经信函〔2025〕12号") > texts.index(bureau)


@pytest.mark.parametrize("n", [1, 5, 40])
def test_the_joint_notice_has_three_seal_places_and_the_imprint(db, n, time_machine):
    b = f.batch(quotas={"330100": n})
    b.contacts = [
        {"department": "绿色制造处", "name": "刘松", "phone": "0571-87058126"},
        {"department": "省技创中心", "name": "许文龙", "phone": "15384006412"},
    ]
    b.copy_to, b.printed_by = "工业和信息化部节能与综合利用司", "浙江省经济和信息化厅办公室"
    b.save()
    province = f.user_of(f.province())
    apps = [
        f.advance(f.application(f.enterprise("330106", name=name), b), "province_review") for name in names(n)
    ]
    f.after_publicity(time_machine, f.publicity_round(apps))
    publication = publication_publish(
        batch=b,
        by=province,
        document_number="浙经信绿色〔2025〕120号",
        published_on=datetime.date(2025, 11, 20),
    )
    pdf = publication_notice_pdf(publication)
    lines = pdf_lines(pdf)
    texts = [t for _p, t in lines]
    joined = "".join(texts)
    # The body's last line, the annex line, every department's seal place and the date: one page.
    closing = page_of(lines, "附件：")
    assert page_of(lines, "动态管理。") == closing
    for department in b.joint_departments:
        assert page_of(lines, department, last=True) != 1 or closing == 1
    assert sum(t.count("（印章位置）") for t in texts) == len(b.joint_departments)
    assert {p for p, t in lines if "（印章位置）" in t} == {closing}
    assert page_of(lines, "2025年11月20日") == closing
    assert page_of(lines, "联系人：刘松，电话：0571-87058126") == closing
    assert_broken_between_words(lines, notice_title_words(b.year))
    # 文件格式: the number centred over the red line, both on page 1; 版记 on the last page.
    assert red_rule_rows(pdf)
    last_page = lines[-1][0]
    assert page_of(lines, "抄送：工业和信息化部节能与综合利用司。") == last_page
    assert page_of(lines, "2025年11月20日印发") == last_page
    assert "浙江省经济和信息化厅办公室" in joined
    assert all(name in joined for name in names(n))
