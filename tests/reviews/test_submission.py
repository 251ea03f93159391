"""The city's submission to the province (通知 三): assembled from the city's recommendations, checked,
sent in one transaction, refused after the deadline, visible to the city itself and the province."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError, connection
from django.utils import timezone

from applications.models import Application
from core.exceptions import Forbidden, InvalidInput, NotAllowedNow
from quotas.models import DeadlineExtension
from reviews.models import CitySubmission, SubmissionLog
from reviews.services import city_submission_open, city_submission_send, submission_document_upload
from tests import factories as f
from tests.reviews.helpers import recommended_submission


def upload_scans(submission, user):
    for kind in ("letter_scan", "table_scan"):
        submission_document_upload(
            submission=submission, kind=kind, upload=f.pdf_upload(f"{kind}.pdf"), by=user
        )


@pytest.fixture
def ready(db):
    submission, apps, city_user = recommended_submission(parks=("甲园区",), factories=("乙工厂", "丙工厂"))
    upload_scans(submission, city_user)
    return submission, apps, city_user


def states(apps):
    return [Application.objects.get(pk=a.pk).state for a in apps]


def test_sending_moves_every_recommendation_to_the_province_and_keeps_the_list(ready):
    submission, apps, city_user = ready
    city_submission_send(submission=submission, by=city_user)
    submission.refresh_from_db()
    assert submission.state == "sent" and submission.sent_at
    assert states(apps) == ["province_review"] * 3
    assert set(submission.applications.values_list("pk", flat=True)) == {a.pk for a in apps}
    assert list(submission.history.values_list("action", flat=True)) == [
        "create",
        "upload",
        "upload",
        "send",
    ]
    for app in apps:
        assert app.history.last().transition == "send_to_province"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="uses a PostgreSQL trigger")
def test_sending_is_all_or_nothing(ready):
    """If the database refuses to move the last application, the ones already moved in the same
    send move back and the submission stays a draft."""
    submission, apps, city_user = ready
    last = apps[-1].pk
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            CREATE FUNCTION test_refuse_one() RETURNS trigger AS $$
            BEGIN
                IF NEW.id = {int(last)} AND NEW.state = 'province_review' THEN
                    RAISE EXCEPTION 'refused for the test';
                END IF;
                RETURN NEW;
            END; $$ LANGUAGE plpgsql;
            CREATE TRIGGER test_refuse_one BEFORE UPDATE ON applications_application
                FOR EACH ROW EXECUTE FUNCTION test_refuse_one();
            """
        )
    with pytest.raises(DatabaseError):
        city_submission_send(submission=submission, by=city_user)
    assert states(apps) == ["recommended"] * 3
    assert CitySubmission.objects.get(pk=submission.pk).state == "draft"
    assert not Application.objects.filter(pk__in=[a.pk for a in apps], history__transition="send_to_province")


def test_sending_needs_both_sealed_scans(db):
    submission, apps, city_user = recommended_submission(parks=(), factories=("乙工厂",))
    submission_document_upload(submission=submission, kind="letter_scan", upload=f.pdf_upload(), by=city_user)
    with pytest.raises(NotAllowedNow) as refused:
        city_submission_send(submission=submission, by=city_user)
    assert refused.value.reasons == ["请上传盖章后的推荐名单汇总表扫描件（PDF）。"]
    assert states(apps) == ["recommended"]


def test_sending_after_the_deadline_is_refused_unless_extended(ready):
    submission, apps, city_user = ready
    batch = submission.batch
    batch.city_submission_deadline = timezone.localdate() - datetime.timedelta(days=1)
    batch.save()
    with pytest.raises(NotAllowedNow) as refused:
        city_submission_send(submission=CitySubmission.objects.get(pk=submission.pk), by=city_user)
    assert "截止日期" in refused.value.reasons[0] and "已过" in refused.value.reasons[0]
    assert states(apps) == ["recommended"] * 3
    DeadlineExtension.objects.create(
        batch=batch,
        city_id="330100",
        deadline=timezone.localdate() + datetime.timedelta(days=3),
        reason="系统故障",
        granted_by=f.user_of(f.province()),
    )
    city_submission_send(submission=CitySubmission.objects.get(pk=submission.pk), by=city_user)
    assert states(apps) == ["province_review"] * 3


def test_sending_more_factories_than_the_quota_is_refused(ready):
    submission, _apps, city_user = ready
    submission.batch.quotas.filter(city_id="330100").update(factory_quota=1)
    with pytest.raises(NotAllowedNow) as refused:
        city_submission_send(submission=CitySubmission.objects.get(pk=submission.pk), by=city_user)
    assert "杭州市本批次工厂推荐名额为1个，本次报送2个，超出名额。" in refused.value.reasons


def test_an_empty_submission_cannot_be_sent(db):
    b = f.batch()
    city_user = f.user_of(f.city_bureau("330100"))
    submission = city_submission_open(batch=b, by=city_user)
    upload_scans(submission, city_user)
    with pytest.raises(NotAllowedNow) as refused:
        city_submission_send(submission=submission, by=city_user)
    assert "没有可报送的申报" in refused.value.reasons[0]


def test_only_the_citys_own_bureau_sends_or_uploads(ready):
    submission, apps, _ = ready
    other_city = f.user_of(f.city_bureau("330200"))
    for user in (other_city, f.user_of(f.province()), f.user_of(f.county_bureau("330106"))):
        with pytest.raises(Forbidden):
            city_submission_send(submission=submission, by=user)
        with pytest.raises(Forbidden):
            submission_document_upload(
                submission=submission, kind="letter_scan", upload=f.pdf_upload(), by=user
            )
    assert states(apps) == ["recommended"] * 3


def test_a_sent_submission_is_not_sent_twice_and_a_new_draft_takes_later_recommendations(ready):
    submission, _apps, city_user = ready
    city_submission_send(submission=submission, by=city_user)
    with pytest.raises(NotAllowedNow):
        city_submission_send(submission=submission, by=city_user)
    with pytest.raises(NotAllowedNow):
        submission_document_upload(
            submission=submission, kind="letter_scan", upload=f.pdf_upload(), by=city_user
        )
    later = f.advance(f.application(f.enterprise("330106", name="丁工厂"), submission.batch), "recommended")
    draft = city_submission_open(batch=submission.batch, by=city_user)
    assert draft.pk != submission.pk
    from reviews.selectors import submission_applications

    assert [a.pk for a in submission_applications(draft)] == [later.pk]
    assert len(submission_applications(CitySubmission.objects.get(pk=submission.pk))) == 3


def test_scans_must_be_pdfs(ready):
    submission, _, city_user = ready
    with pytest.raises(InvalidInput) as refused:
        submission_document_upload(
            submission=submission,
            kind="letter_scan",
            upload=SimpleUploadedFile("推荐函.docx", b"PK\x03\x04 not a pdf"),
            by=city_user,
        )
    assert "只能上传 PDF 文件" in refused.value.reasons[0]
    assert submission.documents.filter(kind="letter_scan").count() == 1


def test_submission_history_is_append_only(ready):
    submission, _, _ = ready
    log = submission.history.first()
    with pytest.raises(TypeError):
        log.save()
    with pytest.raises(TypeError):
        SubmissionLog.objects.filter(pk=log.pk).update(comment="x")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL")
def test_submission_log_is_append_only_even_with_raw_sql(ready):
    from django.db import transaction

    submission, _apps, _city_user = ready
    log = submission.history.first()
    for sql in [
        f"UPDATE {SubmissionLog._meta.db_table} SET comment = 'x' WHERE id = %s",
        f"DELETE FROM {SubmissionLog._meta.db_table} WHERE id = %s",
    ]:
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cur,
        ):
            cur.execute(sql, [log.pk])
    assert SubmissionLog.objects.get(pk=log.pk).action == "create"


def test_submission_send_deadline_refuses_the_day_after_on_its_own(ready):
    """The submission's own condition (通知 三), seen without the per-application
    send_to_province condition that would also refuse: the reasons before sending name the
    deadline once, for the city, with no unit in front; on the deadline day itself there is none."""
    from reviews.selectors import submission_problems

    submission, apps, city_user = ready
    batch = submission.batch
    batch.city_submission_deadline = timezone.localdate()
    batch.save()
    assert submission_problems(CitySubmission.objects.get(pk=submission.pk)) == []
    batch.city_submission_deadline = timezone.localdate() - datetime.timedelta(days=1)
    batch.save()
    deadline_passed = "杭州市向省经信厅报送的截止日期"
    problems = submission_problems(CitySubmission.objects.get(pk=submission.pk))
    assert len(problems) == 1 and problems[0].startswith(deadline_passed) and "已过" in problems[0]
    with pytest.raises(NotAllowedNow) as refused:
        city_submission_send(submission=CitySubmission.objects.get(pk=submission.pk), by=city_user)
    assert refused.value.reasons == problems
    assert states(apps) == ["recommended"] * 3


def test_city_sends_exactly_its_factory_quota_but_not_one_more(ready):
    """Annex 1 (通知 三): the submission may carry as many factories as the quota, not one more."""
    submission, apps, city_user = ready
    quota = submission.batch.quotas.filter(city_id="330100")
    quota.update(factory_quota=1)
    with pytest.raises(NotAllowedNow) as refused:
        city_submission_send(submission=CitySubmission.objects.get(pk=submission.pk), by=city_user)
    assert refused.value.reasons == ["杭州市本批次工厂推荐名额为1个，本次报送2个，超出名额。"]
    assert states(apps) == ["recommended"] * 3
    quota.update(factory_quota=2)
    city_submission_send(submission=CitySubmission.objects.get(pk=submission.pk), by=city_user)
    assert states(apps) == ["province_review"] * 3


def test_a_city_without_a_factory_quota_sends_no_factory(db):
    """Annex 1 gives a city its factory quota; a city the batch gives none (no quota row) has a
    quota of 0: a factory recommended before the row went cannot be sent."""
    submission, apps, city_user = recommended_submission(parks=(), factories=("乙工厂",))
    upload_scans(submission, city_user)
    submission.batch.quotas.filter(city_id="330100").delete()
    with pytest.raises(NotAllowedNow) as refused:
        city_submission_send(submission=CitySubmission.objects.get(pk=submission.pk), by=city_user)
    assert refused.value.reasons == ["杭州市本批次工厂推荐名额为0个，本次报送1个，超出名额。"]
    assert states(apps) == ["recommended"]


def test_a_city_without_a_factory_quota_still_sends_its_parks(db):
    """No quota row means a factory quota of 0, not less: a submission of parks only (no
    factory) is within it and goes to the province."""
    submission, apps, city_user = recommended_submission(parks=("甲园区",), factories=())
    upload_scans(submission, city_user)
    submission.batch.quotas.filter(city_id="330100").delete()
    city_submission_send(submission=CitySubmission.objects.get(pk=submission.pk), by=city_user)
    assert states(apps) == ["province_review"]
