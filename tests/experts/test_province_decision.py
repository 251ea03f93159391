"""The province reads the opinions side by side and decides: to publicity, back to the city, or
rejected — with a reason, through application_transition."""

import pytest
from django.urls import reverse
from django.utils import timezone

from applications.models import TransitionLog
from applications.selectors import quota_used
from applications.services import application_transition
from applications.states import ApplicationState as S
from core.exceptions import DomainError, Forbidden, InvalidInput
from experts.models import ExpertAssignment
from tests import factories as f
from tests.applications.test_transitions import ACTORS, ALL_STATES, actor


def test_return_to_city_goes_back_to_city_review_and_gives_the_slot_back(world):
    app = world.under_review()
    assert quota_used(world.batch, "330100", "factory") == 1
    application_transition(app, name="return_to_city", by=world.users["province"], comment="请补充能耗数据")
    app.refresh_from_db()
    assert app.state == S.CITY_REVIEW
    assert quota_used(world.batch, "330100", "factory") == 0
    log = TransitionLog.objects.latest("pk")
    assert (log.transition, log.source, log.target, log.comment) == (
        "return_to_city",
        "province_review",
        "city_review",
        "请补充能耗数据",
    )


def test_return_to_city_needs_a_reason(world):
    app = world.under_review()
    with pytest.raises(InvalidInput, match="请填写原因"):
        application_transition(app, name="return_to_city", by=world.users["province"], comment=" ")
    app.refresh_from_db()
    assert app.state == S.PROVINCE_REVIEW


def test_return_to_city_refused_for_every_other_role_and_region(world):
    app = world.under_review()
    for who in [*ACTORS, "expert"]:
        if who == "province":
            continue
        user = world.users[who] if who == "expert" else actor(world, who, "factory")
        with pytest.raises(Forbidden):
            application_transition(app, name="return_to_city", by=user, comment="理由")
    app.refresh_from_db()
    assert app.state == S.PROVINCE_REVIEW


@pytest.mark.parametrize("state", [s for s in ALL_STATES if s != "province_review"])
def test_return_to_city_refused_from_every_wrong_state(world, state):
    app = world.in_state("factory", state)
    with pytest.raises(DomainError):
        application_transition(app, name="return_to_city", by=world.users["province"], comment="理由")
    app.refresh_from_db()
    assert app.state == state


def test_board_shows_opinions_side_by_side(world, client):
    app = world.under_review(name="对比企业")
    f.expert_opinion(app, world.users["expert"], passed=True, score="90")
    f.expert_opinion(app, world.users["other_expert"], passed=False, score="70", comments="水耗偏高。")
    client.force_login(world.users["province"])

    board = client.get(reverse("expert-board"))
    # The average reads as a number, without a trailing ".0" (greenmfg formatting filters).
    assert "对比企业" in board.text and "1/2" in board.text and "<td>80</td>" in board.text
    decision = client.get(reverse("expert-decision", args=[app.pk]))
    assert decision.text.index("王专家") < decision.text.index("李专家")
    assert "水耗偏高。" in decision.text and "材料齐全，指标先进。" in decision.text


@pytest.mark.parametrize(("name", "target"), [("return_to_city", "city_review"), ("reject", "rejected")])
def test_province_decides_with_a_reason_on_the_decision_page(world, client, name, target):
    app = world.under_review()
    client.force_login(world.users["province"])
    url = reverse("expert-decide", args=[app.pk])

    # No reason: the page again (400), the Chinese message beside the field, nothing changed.
    missing = client.post(url, {"name": name, "comment": "  "})
    label = {"return_to_city": "退回设区市", "reject": "不予通过"}[name]
    message = f"请填写{label}的原因，申报单位将看到这段文字。"
    assert missing.status_code == 400 and missing.text.count(message) == 1
    field = missing.text.split('<div class="field has-error">')[1].split("</div>")[0]
    assert 'aria-describedby="comment-error"' in field
    assert f'<p class="field-error" id="comment-error">{message}</p>' in field
    app.refresh_from_db()
    assert app.state == "province_review"
    assert not TransitionLog.objects.filter(application=app, transition=name).exists()

    # Confirmed first (core.confirm): the page names the unit, the decision and the reason.
    asked = client.post(url, {"name": name, "comment": "专家评审未通过"})
    assert asked.status_code == 200 and 'name="confirmed" value="yes"' in asked.text
    assert app.unit.name in asked.text and "原因：专家评审未通过" in asked.text
    app.refresh_from_db()
    assert app.state == "province_review"

    response = client.post(url, {"name": name, "comment": "专家评审未通过", "confirmed": "yes"}, follow=True)
    app.refresh_from_db()
    assert app.state == target
    assert TransitionLog.objects.latest("pk").comment == "专家评审未通过"
    assert response.redirect_chain[-1][0] == reverse("expert-board")


def test_decide_view_accepts_only_its_decisions(world, client):
    app = world.under_review()
    client.force_login(world.users["province"])
    client.post(reverse("expert-decide", args=[app.pk]), {"name": "publish", "comment": "x"})
    app.refresh_from_db()
    assert app.state == "province_review"


def test_province_assigns_and_ends_assignments_through_the_page(world, client):
    app = world.under_review()
    client.force_login(world.users["province"])
    client.post(reverse("expert-assign", args=[app.pk]), {"expert": world.users["expert"].pk})
    client.post(reverse("expert-assign", args=[app.pk]), {"expert": world.users["city"].pk})
    assignment = ExpertAssignment.objects.get()
    assert assignment.expert == world.users["expert"]
    client.post(reverse("expert-unassign", args=[assignment.pk]))
    assignment.refresh_from_db()
    assert assignment.ended_at is not None


def _views(world):
    app = world.under_review(name="可能泄露的企业")
    assignment = ExpertAssignment.objects.create(
        application=app, expert=world.users["expert"], assigned_by=world.users["province"]
    )
    return app, assignment


@pytest.mark.parametrize(
    "who", ["city", "other_city", "county", "applicant_factory", "assessor", "other_expert"]
)
def test_province_pages_refuse_every_other_organisation(world, client, who):
    app, assignment = _views(world)
    client.force_login(world.users[who])
    gets = [reverse("expert-board"), reverse("expert-decision", args=[app.pk])]
    posts = [
        (reverse("expert-assign", args=[app.pk]), {"expert": world.users["other_expert"].pk}),
        (reverse("expert-unassign", args=[assignment.pk]), {}),
        (reverse("expert-decide", args=[app.pk]), {"name": "reject", "comment": "x"}),
    ]
    for url in gets:
        response = client.get(url)
        assert response.status_code == 404
        assert "可能泄露的企业" not in response.text
    for url, data in posts:
        assert client.post(url, data).status_code == 404
    app.refresh_from_db()
    assignment.refresh_from_db()
    assert app.state == "province_review" and assignment.ended_at is None
    assert ExpertAssignment.objects.count() == 1


@pytest.mark.parametrize("who", ["province", "city", "applicant_factory", "other_expert"])
def test_expert_pages_refuse_everyone_but_the_assigned_expert(world, client, who):
    app, _assignment = _views(world)
    client.force_login(world.users[who])
    url = reverse("expert-opinion", args=[app.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"passed": "yes", "comments": "x"}).status_code == 404
    tasks = client.get(reverse("expert-tasks"))
    assert tasks.status_code == 404 or "可能泄露的企业" not in tasks.text


def test_anonymous_is_sent_to_sign_in(world, client):
    app, _assignment = _views(world)
    for url in [reverse("expert-tasks"), reverse("expert-board"), reverse("expert-decision", args=[app.pk])]:
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response.url


@pytest.mark.parametrize("size", [4, 24])
def test_board_query_count_is_constant(world, client, django_assert_max_num_queries, size):
    for i in range(size):
        app = world.under_review("park" if i % 3 == 0 else "factory")
        ExpertAssignment.objects.create(
            application=app, expert=world.users["expert"], assigned_by=world.users["province"]
        )
    for assignment in ExpertAssignment.objects.all()[: size // 2]:
        from experts.models import ExpertOpinion

        ExpertOpinion.objects.create(assignment=assignment, passed=True, score=80, comments="好")
    client.force_login(world.users["province"])
    with django_assert_max_num_queries(6):
        response = client.get(reverse("expert-board"))
    assert response.text.count('name="application"') == size


@pytest.mark.parametrize("size", [4, 24])
def test_expert_task_list_query_count_is_constant(world, client, django_assert_max_num_queries, size):
    for _ in range(size):
        app = world.under_review()
        ExpertAssignment.objects.create(
            application=app, expert=world.users["expert"], assigned_by=world.users["province"]
        )
    client.force_login(world.users["expert"])
    with django_assert_max_num_queries(4):
        response = client.get(reverse("expert-tasks"))
    assert response.text.count("/experts/applications/") == size


def test_bad_input_on_province_pages_never_errors(world, client):
    app = world.under_review()
    client.force_login(world.users["province"])
    assert client.get(reverse("expert-board") + "?batch=abc").status_code == 200
    assert client.get(reverse("expert-board") + "?batch=1999").status_code == 404
    assert client.get(reverse("publicity-manage") + "?batch=abc").status_code == 200
    response = client.post(reverse("expert-assign", args=[app.pk]), {"expert": "abc"}, follow=True)
    assert "请选择评审专家。" in response.text
    response = client.post(
        reverse("publicity-open"), {"application": ["x", app.pk], "starts_on": "2025-13-01"}, follow=True
    )
    assert "请填写有效的公示开始日期。" in response.text
    today = timezone.localdate().isoformat()  # a round starts today or later
    response = client.post(reverse("publicity-open"), {"starts_on": today}, follow=True)
    assert "请勾选拟公示的单位。" in response.text
    app.refresh_from_db()
    assert app.state == "province_review"
