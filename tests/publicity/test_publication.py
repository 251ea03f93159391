"""Opening publicity and the joint publication, with its notice PDF (通知 二(四))."""

import datetime
import hashlib
import re
import subprocess

import pytest
from django.urls import reverse
from django.utils import timezone

from applications.models import Application
from applications.services import application_transition
from applications.states import ApplicationState as S
from core.exceptions import DomainError, Forbidden, NotAllowedNow
from publicity.models import Publication, PublicityRound
from publicity.notice import publication_notice_pdf
from publicity.services import objection_decide, objection_file, publication_publish, publicity_round_open
from tests import factories as f
from tests.helpers import workflow_pass


def _fresh(*apps):
    for a in apps:
        a.refresh_from_db()
    return apps


def next_weekday(day: datetime.date, weekday: int) -> datetime.date:
    return day + datetime.timedelta(days=(weekday - day.weekday()) % 7 or 7)


def test_round_length_defaults_to_the_batch_publicity_days(world):
    app = world.under_review()
    f.expert_opinion(app, world.users["expert"])
    start = next_weekday(timezone.localdate(), 0)  # a Monday: 5 working days end on Friday
    rnd = publicity_round_open(
        batch=world.batch, applications=[app], starts_on=start, by=world.users["province"]
    )
    app.refresh_from_db()
    assert rnd.ends_on == start + datetime.timedelta(days=4)
    assert (app.state, app.publicity_starts_on, app.publicity_ends_on) == ("publicity", start, rnd.ends_on)


def test_round_refuses_units_without_an_expert_opinion_or_out_of_review(world):
    reviewed = world.under_review(name="已评审企业")
    f.expert_opinion(reviewed, world.users["expert"])
    unreviewed = world.under_review(name="未评审企业")
    at_city = world.in_state("factory", "city_review", unit=f.enterprise("330106", name="市审企业"))
    with pytest.raises(NotAllowedNow) as exc:
        publicity_round_open(
            batch=world.batch,
            applications=[reviewed, unreviewed, at_city],
            starts_on=timezone.localdate(),
            by=world.users["province"],
        )
    assert any("未评审企业尚无专家评审意见" in r for r in exc.value.reasons)
    assert not PublicityRound.objects.exists()
    assert _fresh(reviewed)[0].state == S.PROVINCE_REVIEW


def test_round_refuses_an_end_before_the_start(world):
    app = world.under_review()
    f.expert_opinion(app, world.users["expert"])
    today = timezone.localdate()
    with pytest.raises(DomainError, match="公示期不得短于本批次规定的5个工作日"):
        publicity_round_open(
            batch=world.batch,
            applications=[app],
            starts_on=today,
            ends_on=today - datetime.timedelta(days=1),
            by=world.users["province"],
        )


@pytest.mark.parametrize(
    ("kind", "start_weekday", "shortest"),
    [
        ("working", 0, 4),  # Monday → Friday
        ("working", 3, 6),  # Thursday → Wednesday: the weekend does not count
        ("working", 5, 6),  # Saturday → the following Friday
        ("calendar", 3, 4),  # Thursday → Monday: five days on the calendar
    ],
)
def test_round_lasts_at_least_the_batch_publicity_length(world, kind, start_weekday, shortest):
    world.batch.publicity_day_kind = kind
    world.batch.save()
    app = world.under_review()
    f.expert_opinion(app, world.users["expert"])
    start = next_weekday(timezone.localdate(), start_weekday)
    last = start + datetime.timedelta(days=shortest)
    with pytest.raises(DomainError, match="公示期不得短于") as refused:
        publicity_round_open(
            batch=world.batch,
            applications=[app],
            starts_on=start,
            ends_on=last - datetime.timedelta(days=1),
            by=world.users["province"],
        )
    assert refused.value.fields == {"ends_on": [refused.value.reasons[0]]}
    rnd = publicity_round_open(
        batch=world.batch, applications=[app], starts_on=start, ends_on=last, by=world.users["province"]
    )
    assert (rnd.starts_on, rnd.ends_on) == (start, last)


def test_a_working_day_round_over_the_holidays_lasts_until_the_fifth_working_day(world, time_machine):
    """The batch's calendar (2025: 1–8 October off, Saturday 11 October worked): a round from
    Monday 29 September lasts to Saturday 11 October (29, 30 September, 9, 10, 11 October), not
    to Friday 3 October."""
    time_machine.move_to(datetime.datetime(2025, 9, 29, 9, tzinfo=datetime.UTC), tick=False)
    world.batch.holidays = [f"2025-10-{d:02d}" for d in range(1, 9)]
    world.batch.adjusted_workdays = ["2025-09-28", "2025-10-11"]
    world.batch.save()
    app = world.under_review()
    f.expert_opinion(app, world.users["expert"])
    start = datetime.date(2025, 9, 29)
    with pytest.raises(DomainError, match="公示期不得短于"):
        publicity_round_open(
            batch=world.batch,
            applications=[app],
            starts_on=start,
            ends_on=datetime.date(2025, 10, 3),
            by=world.users["province"],
        )
    province = world.users["province"]
    rnd = publicity_round_open(batch=world.batch, applications=[app], starts_on=start, by=province)
    assert rnd.ends_on == datetime.date(2025, 10, 11)


def test_round_never_starts_in_the_past(world):
    app = world.under_review()
    f.expert_opinion(app, world.users["expert"])
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    with pytest.raises(DomainError, match="公示开始日期不能早于今天"):
        publicity_round_open(
            batch=world.batch,
            applications=[app],
            starts_on=yesterday,
            ends_on=yesterday + datetime.timedelta(days=30),
            by=world.users["province"],
        )
    app.refresh_from_db()
    assert app.state == S.PROVINCE_REVIEW and not PublicityRound.objects.exists()
    # Nor through the transition itself, whoever calls it.
    with pytest.raises(DomainError, match="公示开始日期不能早于今天"):
        application_transition(
            app,
            name="start_publicity",
            by=world.users["province"],
            via=workflow_pass("start_publicity"),
            starts_on=yesterday,
            ends_on=yesterday + datetime.timedelta(days=30),
        )
    app.refresh_from_db()
    assert app.state == S.PROVINCE_REVIEW and app.publicity_starts_on is None


def test_publication_only_after_the_last_day_of_publicity(world):
    """Publicity as the notice means it: the clock runs through the round; on its last day the
    units are still public and cannot be published; the next morning they can."""
    apps = [world.under_review(name=f"公示单位{i}") for i in range(3)]
    rnd = f.publicity_round(apps)
    for day in (rnd.starts_on, rnd.ends_on):
        world.clock.move_to(f.morning_after(day - datetime.timedelta(days=1)))
        listed = Application.objects.public().filter(state=S.PUBLICITY)
        assert set(listed.values_list("pk", flat=True)) == {a.pk for a in apps}
        with pytest.raises(NotAllowedNow, match="没有公示期已结束的单位"):
            publication_publish(batch=world.batch, by=world.users["province"])
    f.after_publicity(world.clock, rnd)
    publication = publication_publish(batch=world.batch, by=world.users["province"])
    assert publication.entries.count() == 3


def test_only_the_province_opens_publicity(world):
    app = world.under_review()
    f.expert_opinion(app, world.users["expert"])
    for who in ("city", "expert", "applicant_factory"):
        with pytest.raises(Forbidden):
            publicity_round_open(
                batch=world.batch, applications=[app], starts_on=timezone.localdate(), by=world.users[who]
            )


def test_province_opens_publicity_from_the_board_after_confirming(world, client):
    """The board's 列入公示 is confirmed first (core.confirm): the first post changes nothing and
    answers a page naming the ticked units with their city and the period; the confirmed post
    (the same fields plus confirmed=yes) opens the round."""
    a, b, c = (world.under_review(name=n) for n in ("甲企业", "乙企业", "丙企业"))
    for app in (a, b, c):
        f.expert_opinion(app, world.users["expert"])
    client.force_login(world.users["province"])
    today = timezone.localdate()
    last_day = world.batch.publicity_last_day(today)
    data = {
        "batch": world.batch.year,
        "application": [a.pk, b.pk],
        "starts_on": today.isoformat(),
        "ends_on": "",
        "comment": "专家组一致同意",
    }
    first = client.post(reverse("publicity-open"), data)
    html = first.text
    assert first.status_code == 200 and "确认列入公示" in html
    assert "以下2家单位将列入公示。" in html
    assert "<li>甲企业（杭州市）</li>" in html and "<li>乙企业（杭州市）</li>" in html
    assert "丙企业" not in html
    dates = (
        f"{today.year}年{today.month}月{today.day}日",
        f"{last_day.year}年{last_day.month}月{last_day.day}日",
    )
    assert f"公示开始日期：{dates[0]}" in html and f"公示结束日期：{dates[1]}" in html
    assert "省级评估意见：专家组一致同意" in html
    for pk in (a.pk, b.pk):
        assert f'<input type="hidden" name="application" value="{pk}">' in html
    assert '<input type="hidden" name="confirmed" value="yes">' in html
    assert f'href="{reverse("expert-board")}?batch={world.batch.year}"' in html  # 取消, back to the board
    assert not PublicityRound.objects.exists()
    assert {x.state for x in _fresh(a, b, c)} == {"province_review"}

    done = client.post(reverse("publicity-open"), {**data, "confirmed": "yes"}, follow=True)
    assert f"已将2家单位列入公示，公示期自{dates[0]}至{dates[1]}。" in done.text
    a, b, c = _fresh(a, b, c)
    assert (a.state, b.state, c.state) == ("publicity", "publicity", "province_review")
    assert a.publicity_ends_on == last_day
    log = a.history.latest("pk")
    assert (log.transition, log.actor) == ("start_publicity", world.users["province"])
    assert log.comment.startswith("经专家评审，列入公示") and log.comment.endswith("专家组一致同意")


def test_a_round_that_cannot_open_is_refused_at_once_without_a_confirmation(world, client):
    """A unit without an expert opinion, or a shortened period: the reasons straight away, no
    confirmation page for something that would be refused."""
    ready = world.under_review(name="已评审企业")
    f.expert_opinion(ready, world.users["expert"])
    unreviewed = world.under_review(name="未评审企业")
    client.force_login(world.users["province"])
    today = timezone.localdate()
    for data, reason in (
        ({"application": [ready.pk, unreviewed.pk]}, "未评审企业尚无专家评审意见，不能列入公示。"),
        ({"application": [ready.pk], "ends_on": today.isoformat()}, "公示期"),
    ):
        response = client.post(
            reverse("publicity-open"),
            {"batch": world.batch.year, "starts_on": today.isoformat(), **data},
            follow=True,
        )
        assert response.redirect_chain and reason in response.text
        assert "confirm-page" not in response.text
    assert not PublicityRound.objects.exists()
    assert {x.state for x in _fresh(ready, unreviewed)} == {"province_review"}


def test_the_board_carries_the_dialogs_summary(world, client):
    """With JavaScript the dialog lists the ticked rows (data-confirm-item) and shows the dates
    typed in the form (data-confirm-value)."""
    app = world.under_review(name="甲企业")
    f.expert_opinion(app, world.users["expert"])
    client.force_login(world.users["province"])
    html = client.get(reverse("expert-board")).text
    assert f'value="{app.pk}" data-confirm-item="甲企业（杭州市）"' in html
    step = html.split('class="confirm-summary"')[1].split("</div>")[0]
    assert 'data-confirm-title="确认列入公示"' in step and 'data-confirm-items-from="application"' in step
    assert 'data-confirm-value="starts_on"' in step and 'data-confirm-value="ends_on"' in step


def test_publication_refused_while_an_objection_stands(world):
    app = world.under_review(name="有异议企业")
    f.publicity_round([app])
    objection_file(application_pk=app.pk, name="张三", contact="1", facts="事实", ip_address="10.0.0.1")
    f.after_publicity(world.clock, app)  # the calendar moves on past the period

    with pytest.raises(NotAllowedNow, match="有异议企业有未处理或已成立的异议"):
        publication_publish(batch=world.batch, by=world.users["province"])
    app.refresh_from_db()
    assert app.state == "publicity" and not Publication.objects.exists()
    # The transition itself refuses too (condition no_standing_objection).
    with pytest.raises(NotAllowedNow, match="该单位有未处理或已成立的异议，不能公布。"):
        application_transition(app, name="publish", by=world.users["province"], via=workflow_pass("publish"))


def test_dismissed_objection_lets_the_unit_be_published(world):
    app = world.under_review()
    rnd = f.publicity_round([app])
    objection = objection_file(
        application_pk=app.pk, name="张三", contact="1", facts="事实", ip_address="10.0.0.1"
    )
    f.after_publicity(world.clock, rnd)
    objection_decide(objection=objection, decision="dismiss", reason="不属实", by=world.users["province"])
    publication = publication_publish(batch=world.batch, by=world.users["province"])
    app.refresh_from_db()
    assert app.state == "published" and list(publication.applications.all()) == [app]


def test_publication_refused_before_the_period_ends(world):
    app = world.under_review()
    f.publicity_round([app])
    with pytest.raises(NotAllowedNow, match="没有公示期已结束的单位"):
        publication_publish(batch=world.batch, by=world.users["province"])


def test_upheld_unit_returns_to_review_and_the_others_are_published(world):
    kept = world.under_review(name="保留企业")
    objected = world.under_review(name="异议成立企业")
    rnd = f.publicity_round([kept, objected])
    objection = objection_file(
        application_pk=objected.pk, name="李四", contact="1", facts="事实", ip_address="10.0.0.2"
    )
    objection_decide(objection=objection, decision="uphold", reason="属实", by=world.users["province"])
    f.after_publicity(world.clock, rnd)
    publication_publish(
        batch=world.batch, by=world.users["province"], document_number="浙经信绿色〔2025〕1号"
    )
    kept, objected = _fresh(kept, objected)
    assert (kept.state, objected.state) == ("published", "province_review")


def test_a_unit_publicised_again_after_an_upheld_objection_is_judged_on_its_new_round(world):
    app = world.under_review()
    f.publicity_round([app])
    # (an objection filed during that first round, upheld)
    from publicity.models import Objection

    objection = Objection.objects.create(
        entry=app.publicity_entries.get(), name="张三", contact="1", facts="事实", ip_address="10.0.0.1"
    )
    objection_decide(objection=objection, decision="uphold", reason="属实", by=world.users["province"])
    app.refresh_from_db()
    assert app.state == "province_review"
    f.after_publicity(world.clock, f.publicity_round([app]))
    publication_publish(batch=world.batch, by=world.users["province"])
    app.refresh_from_db()
    assert app.state == "published"


def test_notice_pdf_names_the_departments_and_every_published_unit_in_an_embedded_cjk_font(world, tmp_path):
    hz = world.under_review(name="杭州绿源精密机械有限公司")
    park = world.under_review("park", name="杭州钱塘高新技术产业园区")
    nb_unit = f.enterprise("330203", name="宁波海曙绿色纺织有限公司")
    nb = f.application(nb_unit, world.batch)
    application_transition(nb, name="submit", by=nb_unit.users.first())
    application_transition(nb, name="county_pass", by=f.user_of(f.county_bureau("330203")))
    ningbo = f.user_of(f.city_bureau("330200"))
    application_transition(nb, name="city_recommend", by=ningbo)
    application_transition(nb, name="send_to_province", by=ningbo, via=workflow_pass("send_to_province"))
    f.after_publicity(world.clock, f.publicity_round([hz, park, nb]))
    publication = publication_publish(
        batch=world.batch,
        by=world.users["province"],
        document_number="浙经信绿色〔2025〕120号",
        published_on=datetime.date(2025, 11, 20),
    )

    pdf = tmp_path / "notice.pdf"
    pdf.write_bytes(publication_notice_pdf(publication))
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    squeezed = "".join(text.split())
    for expected in [
        "杭州绿源精密机械有限公司",
        "杭州钱塘高新技术产业园区",
        "宁波海曙绿色纺织有限公司",
        *world.batch.joint_departments,
        "浙经信绿色〔2025〕120号",
        "2025年11月20日",
        "附件",
        "杭州市",
        "宁波市",
        world.batch.notice_number,
    ]:
        assert expected in squeezed, expected
    assert squeezed.index("杭州市") < squeezed.index("宁波市")
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    cjk = [line for line in fonts.splitlines() if "CJK" in line]
    assert cjk and all(" yes " in line for line in cjk), fonts


def test_notice_pdf_is_public_once_published(world, client):
    app = world.under_review(name="公布企业")
    f.after_publicity(world.clock, f.publicity_round([app]))
    publication = publication_publish(batch=world.batch, by=world.users["province"])
    response = client.get(reverse("public-notice-pdf", args=[publication.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    first = b"".join(response.streaming_content)
    assert first.startswith(b"%PDF-")
    # The notice as issued is kept: editing the batch afterwards does not rewrite it.
    publication.refresh_from_db()
    assert publication.notice_sha256 == hashlib.sha256(first).hexdigest()
    world.batch.joint_departments = ["别的部门"]
    world.batch.save()
    again = b"".join(client.get(reverse("public-notice-pdf", args=[publication.pk])).streaming_content)
    assert again == first


@pytest.mark.parametrize("who", ["city", "other_city", "county", "expert", "applicant_factory", "assessor"])
def test_province_publicity_pages_refuse_every_other_organisation(world, client, who):
    app = world.under_review(name="可能泄露的企业")
    f.after_publicity(world.clock, f.publicity_round([app]))
    other = world.under_review(name="待公示企业")
    f.expert_opinion(other, world.users["other_expert"])
    client.force_login(world.users[who])
    response = client.get(reverse("publicity-manage"))
    assert response.status_code == 404 and "可能泄露的企业" not in response.text
    assert client.post(reverse("publicity-publish"), {"batch": world.batch.year}).status_code == 404
    opened = client.post(
        reverse("publicity-open"),
        {"batch": world.batch.year, "application": [other.pk], "starts_on": timezone.localdate().isoformat()},
    )
    assert opened.status_code == 404
    app, other = _fresh(app, other)
    assert (app.state, other.state) == ("publicity", "province_review")
    assert not Publication.objects.exists()


def test_province_publishes_through_the_page(world, client):
    app = world.under_review(name="公布企业")
    f.after_publicity(world.clock, f.publicity_round([app]))
    client.force_login(world.users["province"])
    page = client.get(reverse("publicity-manage"))
    assert "公布企业" in page.text
    unconfirmed = client.post(
        reverse("publicity-publish"),
        {"batch": world.batch.year, "document_number": "浙经信绿色〔2025〕7号", "published_on": "2025-11-20"},
    )
    assert "确认联合发文公布" in unconfirmed.text and "公布企业" in unconfirmed.text
    assert 'name="document_number" value="浙经信绿色〔2025〕7号"' in unconfirmed.text
    assert not Publication.objects.exists()
    response = client.post(
        reverse("publicity-publish"),
        {
            "batch": world.batch.year,
            "document_number": "浙经信绿色〔2025〕7号",
            "published_on": "2025-11-20",
            "confirmed": "yes",
        },
    )
    publication = Publication.objects.get()
    assert response.url == reverse("public-published", args=[publication.pk])
    assert (publication.document_number, publication.published_on) == (
        "浙经信绿色〔2025〕7号",
        datetime.date(2025, 11, 20),
    )


@pytest.mark.parametrize("size", [5, 30])
def test_manage_page_query_count_is_constant(world, client, django_assert_max_num_queries, size):
    apps = [world.under_review() for _ in range(size)]
    f.after_publicity(world.clock, f.publicity_round(apps[size // 2 :]))
    f.publicity_round(apps[: size // 2])
    for a in apps[:2]:
        objection_file(
            application_pk=a.pk, name="张三", contact="1", facts="事实", ip_address=f"10.0.0.{a.pk % 250}"
        )
    client.force_login(world.users["province"])
    with django_assert_max_num_queries(11):
        response = client.get(reverse("publicity-manage"))
    assert response.status_code == 200


def test_province_pages_send_anonymous_visitors_to_sign_in(world):
    from django.test import Client

    client = Client()
    for url in [reverse("publicity-manage"), reverse("publicity-objection", args=[1])]:
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response.url
    for url in [reverse("publicity-open"), reverse("publicity-publish")]:
        response = client.post(url, {"batch": world.batch.year})
        assert response.status_code == 302 and "/accounts/login/" in response.url


@pytest.mark.parametrize("size", [2, 12])
def test_published_index_query_count_is_constant(world, client, django_assert_max_num_queries, size):
    from publicity.models import Publication

    app = world.under_review()
    f.after_publicity(world.clock, f.publicity_round([app]))
    first = publication_publish(batch=world.batch, by=world.users["province"])
    for i in range(size - 1):
        Publication.objects.create(
            batch=world.batch,
            published_on=first.published_on,
            published_by=world.users["province"],
            document_number=f"第{i}号",
        )
    # The public pages' change stamp and the publications with their counts; then, kept, the
    # stamp alone (publicity/public_cache.py).
    with django_assert_max_num_queries(2):
        response = client.get(reverse("public-published-index"))
    assert len(set(re.findall(r"/publicity/published/(\d+)/", response.text))) == size
    with django_assert_max_num_queries(1):
        again = client.get(reverse("public-published-index"))
    assert len(set(re.findall(r"/publicity/published/(\d+)/", again.text))) == size


def test_province_is_mailed_after_an_objection_commits_without_the_objectors_details(
    world, django_capture_on_commit_callbacks, mailoutbox
):
    app = world.under_review(name="被异议企业")
    f.publicity_round([app])
    with django_capture_on_commit_callbacks(execute=True):
        objection_file(application_pk=app.pk, name="张三", contact="138", facts="事实", ip_address="10.0.0.1")
    assert [m.to for m in mailoutbox] == [[world.users["province"].email]]
    assert "被异议企业" in mailoutbox[0].subject
    assert "张三" not in mailoutbox[0].body and "138" not in mailoutbox[0].body


def test_publish_transition_refuses_on_the_last_day_of_publicity(world, time_machine):
    """The period includes its last day: on that day the transition's own condition
    (publicity_period_over) refuses, not only the service's choice of units; the morning after, the
    transition passes."""
    app = world.under_review(name="最后一天企业")
    rnd = f.publicity_round([app])
    time_machine.move_to(f.morning_after(rnd.ends_on - datetime.timedelta(days=1)))  # the last day
    app.refresh_from_db()
    with pytest.raises(NotAllowedNow, match="公示期尚未结束"):
        application_transition(app, name="publish", by=world.users["province"], via=workflow_pass("publish"))
    app.refresh_from_db()
    assert app.state == "publicity"
    f.after_publicity(time_machine, rnd)
    app.refresh_from_db()
    application_transition(app, name="publish", by=world.users["province"], via=workflow_pass("publish"))
    assert app.state == "published"


def test_the_publicity_confirmation_reads_in_english(world, client, settings):
    """English second: the same page in English, with English punctuation."""
    app = world.under_review(name="甲企业")
    f.expert_opinion(app, world.users["expert"])
    client.force_login(world.users["province"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    today = timezone.localdate()
    html = client.post(
        reverse("publicity-open"),
        {"batch": world.batch.year, "application": [app.pk], "starts_on": today.isoformat()},
    ).text
    assert "Confirm publicity" in html and "The following 1 organisations will be put into publicity." in html
    assert "<li>甲企业 (杭州市 (330100))</li>" in html and "Provincial evaluation comment: None" in html
    assert "（" not in html.split('id="confirm-title"')[1].split("</section>")[0]
