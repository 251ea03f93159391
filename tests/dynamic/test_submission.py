"""The city's submission gains the 动态管理审核意见 (通知 三): no sending while a form is in county or
city review; a city with managed units sends its sealed opinions, one without sends without; the
opinions as PDF (every unit, embedded CJK font) and .xlsx (read back, and through LibreOffice)."""

import io
import subprocess

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from core.exceptions import NotAllowedNow
from dynamic.models import DynamicForm
from dynamic.selectors import city_opinion_rows
from dynamic.services import campaign_open, form_document_upload, form_transition, form_update
from exports.dynamic_opinions import dynamic_opinions_pdf, dynamic_opinions_xlsx
from reviews.selectors import submission_problems
from reviews.services import city_submission_open, city_submission_send, submission_document_upload
from tests import factories as f
from tests.dynamic.conftest import complete_data, provincial_entry
from tests.helpers import libreoffice_csv
from tests.reviews.helpers import recommended_submission


def _ready(world, city="330100"):
    submission, _apps, city_user = recommended_submission(
        batch=world.batch, parks=("某园区",), factories=("某工厂",)
    )
    for kind in ("letter_scan", "table_scan"):
        submission_document_upload(submission=submission, kind=kind, upload=f.pdf_upload(), by=city_user)
    return submission, city_user


def test_send_blocked_while_a_form_is_in_county_or_city_review(world):
    form = world.in_state("factory", "county_review")
    submission, city_user = _ready(world)
    submission_document_upload(
        submission=submission, kind="opinions_scan", upload=f.pdf_upload(), by=city_user
    )
    with pytest.raises(NotAllowedNow, match="仍有1份动态管理表") as exc:
        city_submission_send(submission=submission, by=city_user)
    assert form.unit_name in str(exc.value)
    submission.refresh_from_db()
    assert submission.state == "draft"
    form_transition(form, name="county_pass", by=world.users["county"])
    assert any("动态管理表" in p for p in submission_problems(submission))  # now in city review
    form_transition(form, name="city_conclude", by=world.users["city"], opinion="keep")
    assert submission_problems(submission) == []
    city_submission_send(submission=submission, by=city_user)
    assert submission.state == "sent"


def test_another_citys_form_in_review_does_not_block_the_send(world):
    """Only the city's own forms keep it from sending: 宁波's factory still with its county does
    not hold up 杭州."""
    world.in_state("other", "county_review")
    submission, city_user = _ready(world)
    submission_document_upload(
        submission=submission, kind="opinions_scan", upload=f.pdf_upload(), by=city_user
    )
    assert submission_problems(submission) == []
    city_submission_send(submission=submission, by=city_user)
    assert submission.state == "sent"


def test_city_with_managed_units_needs_the_sealed_opinions(world):
    submission, city_user = _ready(world)
    assert "请上传盖章后的动态管理审核意见扫描件（PDF）。" in submission_problems(submission)
    submission_document_upload(
        submission=submission, kind="opinions_scan", upload=f.pdf_upload(), by=city_user
    )
    assert submission_problems(submission) == []


def test_city_without_managed_units_sends_without_opinions(world):
    b = world.batch
    city_user = f.user_of(f.city_bureau("330300"))
    app = f.advance(f.application(f.enterprise("330302"), b), "recommended")
    submission = city_submission_open(batch=b, by=city_user)
    for kind in ("letter_scan", "table_scan"):
        submission_document_upload(submission=submission, kind=kind, upload=f.pdf_upload(), by=city_user)
    city_submission_send(submission=submission, by=city_user)
    app.refresh_from_db()
    assert submission.state == "sent" and app.state == "province_review"


@pytest.fixture
def opinions(world):
    world.batch.city_submission_deadline = world.batch.city_submission_deadline  # unchanged
    world.in_state("factory", "city_done")
    park = world.in_state("park", "city_review")
    form_transition(
        park,
        name="city_conclude",
        by=world.users["city"],
        opinion="remove",
        reasons=["park_share"],
        comment="占比不足",
    )
    submission, _city_user = _ready(world)
    return world, submission, city_opinion_rows(world.batch, "330100")


def _text(pdf, tmp_path):
    path = tmp_path / "o.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    return text.replace("\n", "").replace(" ", ""), fonts


def test_opinions_pdf_names_every_unit_with_its_opinion(opinions, tmp_path):
    world, submission, tables = opinions
    text, fonts = _text(dynamic_opinions_pdf(submission, tables), tmp_path)
    assert "动态管理审核意见" in text and "省经济和信息化厅" in text
    for which in ("factory", "park", "national"):
        assert world.form(which).unit_name in text, which
    assert "保留" in text and "建议撤销" in text and "占比不足" in text
    assert "未出具意见" in text  # the national-only unit has not filed yet, before the deadline
    assert "省级·绿色低碳工厂" in text and "省级·绿色低碳工业园区" in text and "国家级·绿色低碳工厂" in text
    cjk = [line for line in fonts.splitlines() if "CJK" in line]
    assert cjk and all(line.split()[-5] == "yes" for line in cjk), fonts


def test_overdue_forms_read_as_overdue(opinions, tmp_path):
    import datetime

    world, _submission, _ = opinions
    world.batch.city_submission_deadline = datetime.date.today() - datetime.timedelta(days=1)
    world.batch.save()
    tables = city_opinion_rows(world.batch, "330100")
    national = next(r for rows in tables.values() for r in rows if r.form == world.form("national"))
    assert national.opinion == "逾期未报"


def test_opinions_xlsx_reads_back_and_opens_in_libreoffice(opinions, tmp_path):
    world, submission, tables = opinions
    data = dynamic_opinions_xlsx(submission, tables)
    ws = load_workbook(io.BytesIO(data)).active
    values = [[c for c in row if c is not None] for row in ws.iter_rows(values_only=True)]
    flat = "|".join(str(v) for row in values for v in row)
    for which in ("factory", "park", "national"):
        assert world.form(which).unit_name in flat
    assert ["序号", "单位名称", "名单及列入年份", "审核意见", "理由"] in values
    rows = libreoffice_csv(data, tmp_path)
    assert any(world.form("park").unit_name in cell for row in rows for cell in row)


def test_opinions_downloads_through_the_submission_gate(opinions, client):
    world, submission, _ = opinions
    for name in ("submission-dynamic-opinions-pdf", "submission-dynamic-opinions-xlsx"):
        url = reverse(name, args=[submission.pk])
        client.force_login(world.users["other_city"])
        assert client.get(url).status_code == 404
        client.force_login(world.users["county"])
        assert client.get(url).status_code == 404
        client.force_login(world.users["city"])
        assert client.get(url).status_code == 200
        client.force_login(world.users["province"])
        assert client.get(url).status_code == 200


def test_the_pending_message_names_the_first_ten_forms_then_says_and_others(world):
    """The message that keeps the city from sending names the forms still in review: all of them
    up to ten, the first ten and 等 beyond (a city with 40 forms open reads one line, not 40)."""
    parks = [f.park("330100", name=f"杭州待审园区{n:02d}管理委员会") for n in range(11)]
    for org in parks:
        provincial_entry(org)
    campaign_open(batch=world.batch, by=world.users["province"])
    forms = list(DynamicForm.objects.filter(batch=world.batch, unit__in=parks).order_by("unit_name"))
    for form in forms:
        user = f.user_of(form.unit)
        form_update(form, by=user, data=complete_data(form))
        form_document_upload(form=form, kind="signed_form", upload=f.pdf_upload(), by=user)
        form_transition(form, name="submit", by=user)
    submission, _user = _ready(world)

    message = next(p for p in submission_problems(submission) if "动态管理表在" in p)
    assert "仍有11份动态管理表" in message
    named = [form.unit_name for form in forms if form.unit_name in message]
    assert len(named) == 10 and message.endswith("等")

    form_transition(forms[-1], name="city_conclude", by=world.users["city"], opinion="keep")
    message = next(p for p in submission_problems(submission) if "动态管理表在" in p)
    assert "仍有10份动态管理表" in message
    assert all(form.unit_name in message for form in forms[:10]) and not message.endswith("等")
