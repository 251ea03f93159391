"""Dynamic management's destructive decisions are confirmed before they happen (core.confirm,
wording in dynamic/confirmations.py): the county's and city's 退回修改, the city's 建议撤销 (its own
action and its opinion 建议撤销), the province's 退回设区市 and its decision 撤销. The first post
only answers the confirmation page (nothing changes, the same fields re-posted with
confirmed=yes); the confirmed post acts. What would be refused anyway is refused at once, and
what is not destructive is not confirmed."""

import pytest
from django.urls import reverse

from dynamic.models import DynamicForm, FormLog
from tests import factories as f
from tests.dynamic.conftest import provincial_entry

OPINIONS = reverse("dynamic-opinions")


def fresh(form):
    return DynamicForm.objects.get(pk=form.pk)


# (which form, its state, who, the post, the state after, words the confirmation shows)
CASES = {
    "county returns": (
        "factory",
        "county_review",
        "county",
        {"name": "return_for_revision", "comment": "能耗数据缺失"},
        "returned",
        "确认退回修改",
    ),
    "city returns": (
        "park",
        "city_review",
        "city",
        {"name": "return_for_revision", "comment": "园区边界不清"},
        "returned",
        "确认退回修改",
    ),
    "city proposes removal": (
        "factory",
        "draft",
        "city",
        {
            "name": "propose_removal",
            "opinion": "remove",
            "reasons": ["major_accident"],
            "comment": "重大事故",
        },
        "city_done",
        "确认建议撤销",
    ),
    "city's opinion 建议撤销": (
        "factory",
        "city_review",
        "city",
        {"name": "city_conclude", "opinion": "remove", "reasons": ["major_accident"], "comment": "重大事故"},
        "city_done",
        "确认建议撤销",
    ),
    "province returns to the city": (
        "factory",
        "city_done",
        "province",
        {"name": "return_to_city", "comment": "请补充现场评估", "next": f"{OPINIONS}?decided=no"},
        "city_review",
        "确认退回设区市",
    ),
    "province removes": (
        "factory",
        "city_done",
        "province",
        {
            "name": "decide",
            "decision": "remove",
            "comment": "重大安全事故，撤销",
            "next": f"{OPINIONS}?city=330100",
        },
        "decided",
        "确认撤销",
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_the_first_post_only_asks_and_the_confirmed_post_acts(world, client, case):
    which, state, who, data, after, words = CASES[case]
    overrides = {"safety_accident": "major"} if data.get("opinion") == "remove" else {}
    form = world.in_state(which, state, **overrides)
    if state == "draft" and overrides:  # a draft is not filled by in_state
        world.fill(form, **overrides)
    logs = FormLog.objects.filter(form=form).count()
    client.force_login(world.users[who])
    url = reverse("dynamic-transition", args=[form.pk])

    first = client.post(url, data)
    html = first.content.decode()
    assert first.status_code == 200, first.get("Location")
    assert words in html and form.unit_name in html and f"原因：{data['comment']}" in html
    assert f'<input type="hidden" name="name" value="{data["name"]}">' in html
    assert '<input type="hidden" name="confirmed" value="yes">' in html
    assert fresh(form).state == state and FormLog.objects.filter(form=form).count() == logs
    assert fresh(form).opinion == form.opinion and fresh(form).decision == form.decision
    # "Cancel" leads back where the decision was taken.
    back = f"{data['next']}#form-{form.pk}" if "next" in data else reverse("dynamic-form", args=[form.pk])
    assert f'href="{back}"' in html

    done = client.post(url, {**data, "confirmed": "yes"})
    assert done.status_code == 302
    assert fresh(form).state == after
    assert fresh(form).history.last().comment == data["comment"]


def test_a_refused_decision_is_refused_at_once_without_a_confirmation(world, client):
    form = world.in_state("factory", "city_done")
    client.force_login(world.users["province"])
    resp = client.post(
        reverse("dynamic-transition", args=[form.pk]),
        {"name": "decide", "decision": "remove", "comment": ""},
        follow=True,
    )
    assert resp.redirect_chain and "撤销须填写理由。" in resp.content.decode()
    assert "confirm-page" not in resp.content.decode()
    # 建议撤销 without a cause that allows it at any time: the rule's reason, no confirmation.
    draft = world.form("park")
    client.force_login(world.users["city"])
    resp = client.post(
        reverse("dynamic-transition", args=[draft.pk]),
        {"name": "propose_removal", "opinion": "remove", "reasons": ["dishonest"], "comment": "失信"},
        follow=True,
    )
    assert resp.redirect_chain and "confirm-page" not in resp.content.decode()
    assert fresh(draft).state == "draft" and fresh(draft).opinion == ""


@pytest.mark.parametrize(
    ("who", "state", "data"),
    [
        ("province", "city_done", {"name": "decide", "decision": "keep"}),
        ("city", "city_review", {"name": "city_conclude", "opinion": "keep"}),
        ("county", "county_review", {"name": "county_pass"}),
    ],
)
def test_what_is_not_destructive_happens_at_once(world, client, who, state, data):
    form = world.in_state("factory", state)
    client.force_login(world.users[who])
    resp = client.post(reverse("dynamic-transition", args=[form.pk]), data)
    assert resp.status_code == 302 and fresh(form).state != state


def test_the_pages_carry_the_dialogs_summaries(world, client):
    """With JavaScript the dialog shows the summary the page holds: on the form's page for the
    city's 退回修改 and its opinion 建议撤销 (only that choice), on the opinions page for 撤销 and
    退回设区市."""
    form = world.in_state("factory", "city_review")
    client.force_login(world.users["city"])
    html = client.get(reverse("dynamic-form", args=[form.pk])).content.decode()
    conclude = html.split('data-testid="transition-city_conclude"')[1].split("</form>")[0]
    assert f'<option value="remove" data-confirm-choice="confirm-{form.pk}-city_conclude-remove">' in conclude
    assert f'id="confirm-{form.pk}-city_conclude-remove"' in conclude
    assert conclude.count("data-confirm-choice") == 1
    back = html.split('data-testid="transition-return_for_revision"')[1].split("</form>")[0]
    assert 'class="confirm-summary"' in back and 'data-confirm-title="确认退回修改"' in back

    decided = world.in_state("park", "city_done")
    client.force_login(world.users["province"])
    html = client.get(OPINIONS).content.decode()
    row = html.split(f'id="form-{decided.pk}"')[1].split("</tr>")[0]
    assert row.count("data-confirm-choice") == 1 and 'data-confirm-title="确认撤销"' in row
    assert 'data-confirm-title="确认退回设区市"' in row


def test_opening_the_campaign_is_confirmed_with_the_year_and_the_units_by_city(world, client):
    """Opening a year's dynamic management creates a form for every managed unit, for good: the
    first post answers a page naming the year and how many forms, city by city, and creates
    nothing; the confirmed post creates them."""
    batch = f.batch(2026)
    client.force_login(world.users["province"])
    url = reverse("dynamic-open")
    first = client.post(url, {"year": 2026})
    html = first.content.decode()
    assert first.status_code == 200 and "确认开启2026年度动态管理" in html
    assert "将开启2026年度动态管理，为4家单位生成动态管理表。" in html
    assert "本年度已生成" not in html
    assert "<li>杭州市：3家</li>" in html and "<li>宁波市：1家</li>" in html
    assert html.index("杭州市：3家") < html.index("宁波市：1家")  # the cities' order
    assert '<input type="hidden" name="year" value="2026">' in html
    assert '<input type="hidden" name="confirmed" value="yes">' in html
    assert f'href="{reverse("dynamic-forms")}?year=2026"' in html
    assert not DynamicForm.objects.filter(batch=batch).exists()

    done = client.post(url, {"year": 2026, "confirmed": "yes"}, follow=True)
    assert "2026年度动态管理已开启，新生成4份动态管理表。" in done.content.decode()
    assert DynamicForm.objects.filter(batch=batch).count() == 4


def test_updating_the_campaign_names_only_the_units_listed_since(world, client):
    provincial_entry(f.enterprise("330203", name="宁波新列入企业有限公司"))
    client.force_login(world.users["province"])
    url = reverse("dynamic-open")
    html = client.post(url, {"year": world.batch.year}).content.decode()
    assert "为1家单位生成动态管理表。" in html and "本年度已生成4份动态管理表" in html
    assert "<li>宁波市：1家</li>" in html and "杭州市" not in html.split("confirm-items")[1]
    assert DynamicForm.objects.filter(batch=world.batch).count() == 4
    client.post(url, {"year": world.batch.year, "confirmed": "yes"})
    assert DynamicForm.objects.filter(batch=world.batch).count() == 5
    # Nothing left to create: no confirmation, the count said at once; the list page has no dialog.
    done = client.post(url, {"year": world.batch.year}, follow=True)
    assert done.redirect_chain and "新生成0份动态管理表" in done.content.decode()
    assert 'data-confirm-title="确认开启' not in done.content.decode()


def test_the_list_page_carries_the_campaign_dialogs_summary(world, client):
    provincial_entry(f.enterprise("330106"))
    client.force_login(world.users["province"])
    html = client.get(reverse("dynamic-forms")).content.decode()
    step = html.split('data-testid="open-campaign"')[1].split("</form>")[0]
    assert 'class="confirm-summary"' in step and 'data-confirm-title="确认开启2025年度动态管理"' in step
    assert "<li>杭州市：1家</li>" in step
    client.force_login(world.users["city"])
    assert "confirm-summary" not in client.get(reverse("dynamic-forms")).content.decode()
