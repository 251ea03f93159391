"""Two reviewers act on the same application at once, through the pages, on PostgreSQL: one wins,
the other is told clearly and shown the current state."""

import threading

import pytest
from django.db import connection, connections
from django.test import Client

from applications.models import Application
from tests import factories as f

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are tested on PostgreSQL"),
]
ROUNDS = 4


def test_two_reviewers_deciding_at_once_one_wins_the_other_sees_the_current_state(db):
    batch = f.batch()
    bureau = f.county_bureau("330106")
    reviewers = [f.user_of(bureau), f.user_of(bureau)]
    for _ in range(ROUNDS):
        unit = f.enterprise("330106")
        app = f.advance(f.application(unit, batch), "county_review")
        posts = [
            {"name": "county_pass", "seen_state": "county_review"},
            {"name": "return_for_revision", "comment": "补充材料", "seen_state": "county_review"},
        ]
        barrier = threading.Barrier(2)
        pages = []

        def act(user, data, app=app, barrier=barrier, pages=pages):
            client = Client()
            client.force_login(user)
            try:
                barrier.wait()
                response = client.post(f"/reviews/applications/{app.pk}/transition/", data, follow=True)
                pages.append(response)
            finally:
                connections.close_all()

        threads = [threading.Thread(target=act, args=(u, d)) for u, d in zip(reviewers, posts, strict=True)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=30)
        final = Application.objects.get(pk=app.pk)
        # Read the pages themselves (the test client's captured context is shared across threads).
        html = [p.content.decode() for p in pages]
        won = [h for h in html if "操作成功" in h]
        lost = [h for h in html if "刚被其他人处理" in h]
        assert len(won) == 1 and len(lost) == 1
        assert f"当前状态为“{final.get_state_display()}”" in lost[0]
        assert f'data-testid="current-state">{final.get_state_display()}<' in lost[0]
        assert final.history.count() == 2  # submit + the decision that won
        assert final.state in ("city_review", "returned")


def test_two_city_users_sending_the_submission_at_once_send_it_once(db):
    from core.exceptions import DomainError
    from reviews.models import CitySubmission
    from reviews.services import city_submission_send, submission_document_upload
    from tests.reviews.helpers import recommended_submission

    submission, apps, city_user = recommended_submission(parks=("甲园区",), factories=("乙工厂",))
    for kind in ("letter_scan", "table_scan"):
        submission_document_upload(submission=submission, kind=kind, upload=f.pdf_upload(), by=city_user)
    colleague = f.user_of(f.city_bureau("330100"))
    barrier = threading.Barrier(2)
    results = []

    def send(user):
        try:
            mine = CitySubmission.objects.get(pk=submission.pk)
            barrier.wait()
            city_submission_send(submission=mine, by=user)
            results.append("ok")
        except DomainError as exc:
            results.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send, args=(u,)) for u in (city_user, colleague)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert results.count("ok") == 1, results
    assert any("已于此前报送" in str(r) for r in results if r != "ok"), results
    assert CitySubmission.objects.get(pk=submission.pk).history.filter(action="send").count() == 1
    for app in apps:
        assert Application.objects.get(pk=app.pk).history.filter(transition="send_to_province").count() == 1
