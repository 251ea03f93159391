"""Every notification mail also lands in the in-app inbox; the header counts unread messages."""

import pytest
from django.urls import reverse

from accounts.models import InboxMessage, User
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_every_mail_of_a_transition_has_an_inbox_entry_for_each_user(
    mailoutbox, django_capture_on_commit_callbacks
):
    from applications.services import application_transition

    b = f.batch()
    org = f.enterprise("330106")
    applicant = f.user_of(org)
    county = f.user_of(f.county_bureau("330106"))
    app = f.application(org, b)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        application_transition(app, name="submit", by=applicant)
    mailed = {m.to[0] for m in mailoutbox}
    for user in (applicant, county):
        assert user.email in mailed
        entry = InboxMessage.objects.get(user=user)
        assert entry.subject == mailoutbox[0].subject
        assert entry.url == reverse("application-detail", args=[app.pk])
    assert User.objects.get(pk=county.pk).inbox_unread == 1


def test_objection_mail_reaches_the_provinces_inbox(mailoutbox):
    from publicity.notifications import objection_filed  # noqa: F401 - the same notify() path

    province_user = f.user_of(f.province())
    from accounts.notify import notify

    notify(subject="公示异议待处理：某企业", body="请处理", users=[province_user])
    assert InboxMessage.objects.filter(user=province_user).count() == 1
    assert [m.to for m in mailoutbox] == [[province_user.email]]


def test_header_shows_the_unread_count_and_marking_read_clears_it(client):
    from accounts.notify import notify

    user = f.user_of(f.enterprise())
    notify(subject="第一条", body="内容一", users=[user])
    notify(subject="第二条", body="内容二", users=[user])
    client.force_login(user)
    body = client.get(reverse("inbox")).content.decode()
    assert 'class="count"' in body and ">2<" in body and "第一条" in body
    first = InboxMessage.objects.get(subject="第一条")
    client.post(reverse("inbox"), {"message": first.pk})
    assert User.objects.get(pk=user.pk).inbox_unread == 1
    client.post(reverse("inbox"))
    assert User.objects.get(pk=user.pk).inbox_unread == 0
    assert 'class="count"' not in client.get(reverse("inbox")).content.decode()


def test_nobody_marks_another_persons_message(client):
    from accounts.notify import notify

    owner = f.user_of(f.enterprise())
    notify(subject="私信", body="x", users=[owner])
    message = InboxMessage.objects.get()
    client.force_login(f.user_of(f.enterprise()))
    client.post(reverse("inbox"), {"message": message.pk})
    message.refresh_from_db()
    assert message.read_at is None
    assert "私信" not in client.get(reverse("inbox")).content.decode()


def test_an_expert_is_told_of_an_assignment_by_mail_and_inbox(mailoutbox, django_capture_on_commit_callbacks):
    from accounts.models import Organisation
    from experts.services import expert_assign
    from tests.applications.conftest import World

    world = World()
    app = world.in_state("factory", "province_review")
    expert = f.user_of(Organisation.objects.create(kind="expert", name="专家组"), full_name="陈专家")
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        expert_assign(application=app, expert=expert, by=world.users["province"])
    assert [m.to for m in mailoutbox] == [[expert.email]]
    assert InboxMessage.objects.get(user=expert).subject == mailoutbox[0].subject
