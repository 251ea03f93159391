"""Mail on a state change: the applicant's contacts and the next reviewers, in Chinese, only after
the transaction commits."""

import pytest
from django.db import transaction

from applications.services import application_transition
from tests import factories as f


def test_submit_mails_the_applicants_contact_and_the_county_bureau_in_chinese(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    app = world.application()
    county_user = world.users["county"]
    other_county_user = world.users["other_county"]
    with django_capture_on_commit_callbacks(execute=True):
        application_transition(app, name="submit", by=world.users["applicant_factory"])
    to = {addr for m in mailoutbox for addr in m.to}
    contact = app.unit.enterprise.contact_email
    assert {contact, world.users["applicant_factory"].email, county_user.email} <= to
    assert other_county_user.email not in to
    assert world.users["city"].email not in to
    mail = mailoutbox[0]
    assert mail.subject == f"【绿色制造】{app.unit.name}的申报状态变更为：县级审核"
    assert "新状态：县级审核" in mail.body
    assert "请登录省级绿色制造推荐平台查看详情。" in mail.body


def test_park_submission_mails_the_city_bureau(world, mailoutbox, django_capture_on_commit_callbacks):
    app = world.application("park")
    with django_capture_on_commit_callbacks(execute=True):
        application_transition(app, name="submit", by=world.users["applicant_park"])
    to = {addr for m in mailoutbox for addr in m.to}
    assert world.users["city"].email in to
    assert world.users["county"].email not in to
    assert all("市级审核" in m.subject for m in mailoutbox)


def test_return_mails_the_applicant_with_the_reason(world, mailoutbox, django_capture_on_commit_callbacks):
    app = world.in_state("factory", "county_review")
    with django_capture_on_commit_callbacks(execute=True):
        application_transition(
            app, name="return_for_revision", by=world.users["county"], comment="请补充水耗对标依据"
        )
    mine = [m for m in mailoutbox if app.unit.enterprise.contact_email in m.to]
    assert mine and "意见：请补充水耗对标依据" in mine[0].body


def test_no_mail_when_the_transaction_rolls_back(world, mailoutbox, django_capture_on_commit_callbacks):
    app = world.application()

    class Boom(Exception):
        pass

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(Boom), transaction.atomic():
            application_transition(app, name="submit", by=world.users["applicant_factory"])
            raise Boom
    assert callbacks == []
    assert mailoutbox == []
    app.refresh_from_db()
    assert app.state == "draft"
    assert not app.history.exists()


def test_submit_through_the_page_mails_after_commit(
    client, world, mailoutbox, django_capture_on_commit_callbacks
):
    app = f.application(world.park_org, world.batch)
    client.force_login(world.users["applicant_park"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/applications/{app.pk}/submit/", {"confirmed": "yes"})
    assert any(world.users["city"].email in m.to for m in mailoutbox)
