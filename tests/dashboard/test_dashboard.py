"""The province's dashboard: every figure equals a count made independently here, every figure
links to a list of exactly those applications, and nobody else can open either page."""

import html
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from applications.models import Application
from applications.selectors import cap_usage_by_group
from tests import factories as f

PASSED = {"province_review", "publicity", "published"}
CAP_COUNTED = {
    "returned",
    "county_review",
    "city_review",
    "recommended",
    "province_review",
    "publicity",
    "published",
    "rejected",
}


def get(client, user, url):
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response


def test_city_figures_equal_counts_made_by_hand(dataset, client):
    ctx = get(client, dataset.province, reverse("dashboard")).context
    figures = {
        c.city.name: (c.quota, c.recommended, c.passed, c.parks_recommended, c.parks_passed)
        for c in ctx["cities"]
    }
    # 杭州: recommended 1,2,3,4,8 (rejected after recommendation keeps its slot),11; passed 1,2,3.
    assert figures["杭州市"] == (6, 6, 3, 1, 1)
    assert figures["宁波市"] == (6, 2, 1, 1, 0)
    assert figures["温州市"] == (6, 0, 0, 0, 0)  # its park is still in city review
    assert figures["舟山市"] == (None, 0, 0, 0, 0)
    assert [c.city.name for c in ctx["cities"]][:3] == ["杭州市", "宁波市", "温州市"]
    assert len(ctx["cities"]) == 11


def test_state_division_and_assessor_figures_equal_counts_made_by_hand(dataset, client):
    ctx = get(client, dataset.province, reverse("dashboard")).context
    states = {s: n for s, _label, n, _url in ctx["states"]}
    assert states == {
        "published": 1,
        "publicity": 1,
        "province_review": 3,
        "recommended": 3,
        "city_review": 2,
        "county_review": 1,
        "rejected": 2,
        "withdrawn": 1,
        "returned": 1,
    }  # the draft is nobody's business but its unit's
    assert ctx["states_total"] == 15
    divisions = {code: (name, n) for code, name, n, _url in ctx["divisions"]}
    assert divisions == {
        "13": ("农副食品加工业", 2),
        "26": ("化学原料和化学制品制造业", 4),
        "33": ("金属制品业", 6),
    }
    groups = {g.group.pk: (g.applications, g.cap_used, g.cap) for g in ctx["groups"]}
    assert groups == {dataset.group_a.pk: (4, 3, 4), dataset.group_b.pk: (3, 3, 4)}
    assert {pk: used for pk, (_n, used, _cap) in groups.items()} == cap_usage_by_group(dataset.batch)


def figure_links(page: str) -> list[tuple[str, int]]:
    """(list URL, the number shown) for every link to the application list on the page."""
    links = []
    for href, inner in re.findall(
        r'<a href="([^"]*/dashboard/applications/[^"]*)"[^>]*>(.*?)</a>', page, re.S
    ):
        numbers = re.findall(r"\d+", re.sub(r"<title>.*?</title>", "", inner, flags=re.S))
        if numbers:
            links.append((html.unescape(href), int(numbers[-1])))
    return links


def expected(apps, query) -> set[int]:
    """The applications a link's filters describe, decided here in Python from the notice's
    definitions, not by the code under test."""
    q = {k: v[0] for k, v in parse_qs(query).items()}
    out = set()
    for app in apps:
        group = app.assessor.group_id if app.assessor_id else None
        checks = [
            app.state != "draft",
            "city" not in q or app.city_id == q["city"],
            "state" not in q or app.state == q["state"],
            "kind" not in q or app.kind == q["kind"],
            "division" not in q or app.industry_class[:2] == q["division"],
            "assessor_group" not in q or str(group) == q["assessor_group"],
            q.get("stage") != "recommended"
            or (app.city_recommended_at is not None and app.state != "withdrawn"),
            q.get("stage") != "passed" or app.state in PASSED,
            q.get("stage") != "cap" or app.state in CAP_COUNTED,
        ]
        if all(checks):
            out.add(app.pk)
    return out


def test_every_figure_links_to_a_list_of_exactly_those_applications(dataset, client):
    page = get(client, dataset.province, reverse("dashboard")).content.decode()
    links = figure_links(page)
    assert len(links) > 40  # 33 bars and table cells for the cities, states, divisions, groups
    apps = list(Application.objects.select_related("assessor"))
    for url, shown in links:
        listed = get(client, dataset.province, url).context["page"]
        pks = {a.pk for a in listed.object_list}
        want = expected(apps, urlsplit(url).query)
        assert pks == want, url
        assert listed.paginator.count == shown == len(want), url


def test_the_chart_is_server_rendered_svg_with_a_link_per_bar(dataset, client):
    page = get(client, dataset.province, reverse("dashboard")).content.decode()
    svg = page[page.index("<svg") : page.index("</svg>")]
    assert svg.count("<rect") == 33  # 11 cities × quota, recommended, passed
    assert svg.count('<a href="') == 33
    assert "<script" not in page.lower() or "http" not in page.lower().split("<script")[1][:200]


@pytest.mark.parametrize("who", ["city", "enterprise", "anonymous"])
def test_dashboard_and_list_are_refused_to_anyone_but_the_province(dataset, client, who):
    users = {
        "city": lambda: f.user_of(f.city_bureau("330100")),
        "enterprise": lambda: dataset.apps[1].unit.users.first(),
    }
    if who != "anonymous":
        client.force_login(users[who]())
    for url in [
        reverse("dashboard"),
        reverse("dashboard-applications"),
        reverse("dashboard-applications") + "?city=330100",
    ]:
        response = client.get(url)
        assert response.status_code == (302 if who == "anonymous" else 404)
        assert dataset.apps[1].unit.name not in response.content.decode()


def test_a_bad_filter_gets_a_message_and_lists_nothing(dataset, client):
    response = get(
        client, dataset.province, reverse("dashboard-applications") + "?state=nonsense&city=110000"
    )
    assert list(response.context["page"].object_list) == []
    assert response.context["form"].errors == {
        "state": ["筛选条件“nonsense”无效。"],
        "city": ["筛选条件“110000”无效。"],
    }


def test_an_unknown_batch_is_404(dataset, client):
    client.force_login(dataset.province)
    assert client.get(reverse("dashboard") + "?batch=1999").status_code == 404
    assert client.get(reverse("dashboard-applications") + "?batch=abc").status_code == 404


def many(batch, n):
    for _ in range(n):
        f.advance(f.application(f.enterprise("330106"), batch), "county_review")


@pytest.mark.parametrize(("url_name", "most"), [("dashboard-applications", 12), ("dashboard", 14)])
def test_pages_run_a_constant_number_of_queries(db, client, django_assert_max_num_queries, url_name, most):
    batch = f.batch()
    officer = f.user_of(f.province())
    client.force_login(officer)
    group = f.assessor()
    for size in (5, 60):
        many(batch, size - Application.objects.count())
        f.advance(f.application(f.enterprise("330108"), batch, assessor_org=group), "county_review")
        with django_assert_max_num_queries(most):
            response = client.get(reverse(url_name))
        assert response.status_code == 200
    assert Application.objects.count() == 61
