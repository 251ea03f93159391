"""Expert review: who sees what, assignments, opinions (通知 二(四))."""

from decimal import Decimal

import pytest
from django.urls import reverse

from applications.models import Application
from applications.services import application_transition
from core.exceptions import DomainError, Forbidden, InvalidInput, NotAllowedNow
from experts.models import ExpertAssignment, ExpertOpinion
from experts.services import expert_assign, expert_opinion_record, expert_unassign
from tests import factories as f


def visible(user):
    return set(Application.objects.visible_to(user).values_list("pk", flat=True))


def test_expert_sees_only_applications_assigned_to_them(world):
    mine = world.under_review(name="指派给我的企业")
    others = world.under_review(name="指派给别人的企业")
    unassigned = world.under_review(name="未指派的企业")
    ended = world.under_review(name="撤销指派的企业")
    expert, other = world.users["expert"], world.users["other_expert"]
    province = world.users["province"]
    expert_assign(application=mine, expert=expert, by=province)
    expert_assign(application=others, expert=other, by=province)
    expert_unassign(assignment=expert_assign(application=ended, expert=expert, by=province), by=province)
    world.in_state("factory", "city_review", unit=f.enterprise("330106"))

    assert visible(expert) == {mine.pk}
    assert visible(other) == {others.pk}
    assert unassigned.pk in visible(province)


def test_expert_loses_sight_once_the_province_has_decided(world):
    app = world.under_review()
    f.expert_opinion(app, world.users["expert"])
    assert visible(world.users["expert"]) == {app.pk}
    application_transition(app, name="return_to_city", by=world.users["province"], comment="请补充能耗数据")
    assert visible(world.users["expert"]) == set()


def test_expert_pages_answer_404_for_unassigned_applications(world, client):
    mine = world.under_review(name="指派给我的企业")
    not_mine = world.under_review(name="不该看到的企业")
    expert_assign(application=mine, expert=world.users["expert"], by=world.users["province"])
    expert_assign(application=not_mine, expert=world.users["other_expert"], by=world.users["province"])
    client.force_login(world.users["expert"])

    page = client.get(reverse("expert-tasks"))
    assert "指派给我的企业" in page.text and "不该看到的企业" not in page.text
    assert client.get(reverse("expert-opinion", args=[mine.pk])).status_code == 200
    assert client.get(reverse("expert-opinion", args=[not_mine.pk])).status_code == 404
    response = client.post(
        reverse("expert-opinion", args=[not_mine.pk]), {"passed": "yes", "comments": "想看看"}
    )
    assert response.status_code == 404
    assert not ExpertOpinion.objects.exists()
    # Documents go through the same gate.
    document = not_mine.documents.first()
    assert client.get(reverse("application-document", args=[not_mine.pk, document.pk])).status_code == 404
    mine_doc = mine.documents.first()
    assert client.get(reverse("application-document", args=[mine.pk, mine_doc.pk])).status_code == 200


def test_expert_records_one_opinion_and_may_revise_it_before_the_decision(world, client):
    app = world.under_review()
    expert_assign(application=app, expert=world.users["expert"], by=world.users["province"])
    client.force_login(world.users["expert"])
    url = reverse("expert-opinion", args=[app.pk])

    response = client.post(
        url, {"passed": "yes", "score": "86.5", "comments": "单位产品能耗优于行业先进值。"}
    )
    assert response.status_code == 302
    client.post(url, {"passed": "no", "score": "", "comments": "固废综合利用率数据缺少佐证。"})

    opinion = ExpertOpinion.objects.get()
    assert (opinion.passed, opinion.score, opinion.comments) == (False, None, "固废综合利用率数据缺少佐证。")
    assert opinion.assignment.expert == world.users["expert"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"passed": "", "comments": "意见"}, "请选择评审结论。"),
        ({"passed": "yes", "comments": "  "}, "请填写评审意见。"),
        ({"passed": "yes", "comments": "意见", "score": "101"}, "评分应为0到100之间的数字，最多一位小数。"),
        ({"passed": "yes", "comments": "意见", "score": "八十"}, "评分应为0到100之间的数字。"),
        ({"passed": "yes", "comments": "意见", "score": "80.25"}, "评分应为0到100之间的数字，最多一位小数。"),
    ],
)
def test_bad_opinion_gets_a_chinese_message_and_changes_nothing(world, client, data, message):
    app = world.under_review()
    expert_assign(application=app, expert=world.users["expert"], by=world.users["province"])
    client.force_login(world.users["expert"])
    response = client.post(reverse("expert-opinion", args=[app.pk]), data)
    assert response.status_code == 400
    assert message in response.text
    assert not ExpertOpinion.objects.exists()


def test_opinion_refused_once_the_province_has_decided(world):
    app = world.under_review()
    f.expert_opinion(app, world.users["expert"], passed=True)
    f.publicity_round([app])
    with pytest.raises(DomainError):
        expert_opinion_record(application=app, by=world.users["expert"], passed=False, comments="改主意")
    assert ExpertOpinion.objects.get().passed is True


def test_only_the_province_assigns_and_only_experts_are_assigned(world):
    app = world.under_review()
    for who in ("city", "county", "expert", "applicant_factory"):
        with pytest.raises(Forbidden):
            expert_assign(application=app, expert=world.users["expert"], by=world.users[who])
    with pytest.raises(InvalidInput, match="请选择评审专家"):
        expert_assign(application=app, expert=world.users["city"], by=world.users["province"])
    expert_assign(application=app, expert=world.users["expert"], by=world.users["province"])
    with pytest.raises(NotAllowedNow, match="已指派"):
        expert_assign(application=app, expert=world.users["expert"], by=world.users["province"])
    assert ExpertAssignment.objects.count() == 1


def test_assignment_refused_outside_provincial_review(world):
    app = world.in_state("factory", "city_review")
    with pytest.raises(NotAllowedNow, match="省级评估"):
        expert_assign(application=app, expert=world.users["expert"], by=world.users["province"])


def test_assignment_cannot_end_once_the_expert_has_answered(world):
    app = world.under_review()
    opinion = f.expert_opinion(app, world.users["expert"])
    with pytest.raises(NotAllowedNow, match="已提交评审意见"):
        expert_unassign(assignment=opinion.assignment, by=world.users["province"])


def test_score_is_optional_and_kept_to_one_decimal(world):
    app = world.under_review()
    f.expert_opinion(app, world.users["expert"], score="92.5")
    f.expert_opinion(app, world.users["other_expert"], score=None)
    assert sorted(ExpertOpinion.objects.values_list("score", flat=True), key=str) == [Decimal("92.5"), None]


def test_expert_page_shows_the_indicators_beside_their_benchmarks(world, client):
    app = world.under_review()
    expert_assign(application=app, expert=world.users["expert"], by=world.users["province"])
    client.force_login(world.users["expert"])
    html = client.get(reverse("expert-opinion", args=[app.pk])).content.decode()
    for text in ("主要指标", "单位产品综合能耗", "行业对标值", "<td>12.5</td><td>15</td>"):
        assert text in html, text
