"""The API never answers 500 to a client's mistake: pagination has a ceiling, format suffixes are
404, the application list honours (and documents) its filters, history is paginated, and
anonymous and signed-in clients are throttled at the rates in settings."""

import pytest
import yaml
from django.core.cache import cache
from rest_framework.test import APIClient

from applications.models import Application
from tests import factories as f
from tests.applications.conftest import World


@pytest.fixture
def world(db, time_machine):
    return World(clock=time_machine)


def client_for(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.mark.parametrize("limit", ["9223372036854775808", "99999999999999999999999", "1000000"])
def test_a_huge_limit_is_clamped_to_max_limit(world, settings, limit):
    settings.API_MAX_LIMIT = 2
    for _ in range(3):
        world.in_state("factory", "county_review", unit=f.enterprise("330106"))
    response = client_for(world.users["province"]).get(f"/api/v1/applications/?limit={limit}")
    assert response.status_code == 200
    assert len(response.json()["results"]) <= 2


@pytest.mark.parametrize("query", ["limit=-1", "limit=abc", "offset=9223372036854775808", "offset=-5"])
def test_odd_pagination_parameters_are_never_a_500(world, query):
    world.in_state("factory", "county_review")
    response = client_for(world.users["county"]).get(f"/api/v1/applications/?{query}")
    assert response.status_code in (200, 400)


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/api/v1/applications/{pk}/history.json"),
        ("post", "/api/v1/applications/{pk}/transition.json"),
        ("get", "/api/v1/batches/2025/quotas.json"),
        ("post", "/api/v1/reviews/submissions/1/send.json"),
        ("get", "/api/v1/applications.json"),
        ("get", "/api/v1/applications/{pk}.json"),
    ],
)
def test_format_suffix_routes_are_404(world, method, path):
    app = world.in_state("factory", "county_review")
    response = getattr(client_for(world.users["county"]), method)(path.format(pk=app.pk))
    assert response.status_code == 404


def test_the_application_list_honours_state_and_kind(world):
    factory = world.in_state("factory", "city_review")
    park = world.in_state("park", "city_review")
    earlier = world.in_state("factory", "recommended", unit=f.enterprise("330106"))
    client = client_for(world.users["city"])

    def ids(query):
        response = client.get(f"/api/v1/applications/?{query}")
        assert response.status_code == 200
        return sorted(a["id"] for a in response.json()["results"])

    assert ids("") == sorted([factory.pk, park.pk, earlier.pk])
    assert ids("state=city_review") == sorted([factory.pk, park.pk])
    assert ids("kind=park") == [park.pk]
    assert ids("state=city_review&kind=factory") == [factory.pk]
    assert ids("state=recommended") == [earlier.pk]
    bad = client.get("/api/v1/applications/?state=nonsense")
    assert bad.status_code == 400 and "state" in bad.json()


def test_the_schema_documents_the_list_filters(world):
    schema = yaml.safe_load(client_for(world.users["province"]).get("/api/schema/").content)
    parameters = {p["name"]: p for p in schema["paths"]["/api/v1/applications/"]["get"]["parameters"]}
    assert {"state", "kind", "limit", "offset"} <= set(parameters)
    assert "city_review" in parameters["state"]["schema"]["enum"]
    history = schema["paths"]["/api/v1/applications/{id}/history/"]["get"]
    assert {"limit", "offset"} <= {p["name"] for p in history["parameters"]}
    assert "Paginated" in history["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]


def test_history_is_paginated(world):
    app = world.in_state("factory", "city_review")
    body = client_for(world.users["city"]).get(f"/api/v1/applications/{app.pk}/history/?limit=1").json()
    assert body["count"] == 2 and len(body["results"]) == 1 and body["next"]
    assert body["results"][0]["transition"] == "submit"


def test_anonymous_and_signed_in_clients_are_throttled(world, settings):
    cache.clear()
    settings.API_THROTTLE_RATES = {"anon": "2/minute", "user": "3/minute"}
    anonymous = APIClient()  # the token endpoint is the one an anonymous client reaches: guessing passwords
    guesses = [
        anonymous.post("/api/v1/auth/token/", {"username": "x", "password": "guess"}).status_code
        for _ in range(3)
    ]
    assert guesses == [400, 400, 429]
    signed_in = client_for(world.users["county"])
    codes = [signed_in.get("/api/v1/batches/").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    cache.clear()


def _walk(client, url):
    """Follow `next` links from `url`: the ids of every page, the bodies."""
    ids, bodies = [], []
    while url:
        response = client.get(url)
        assert response.status_code == 200, response.content
        body = response.json()
        bodies.append(body)
        ids += [a["id"] for a in body["results"]]
        url = body["next"]
    return ids, bodies


def test_the_application_list_pages_on_by_cursor_newest_first(world):
    apps = [world.in_state("factory", "county_review", unit=f.enterprise("330106")) for _ in range(5)]
    # Two created in the same instant, on either side of a page boundary (pages of two, newest
    # first: 4 3 | 2 1 | 0): the cursor breaks the tie by id.
    twins = apps[2:4]
    Application.objects.filter(pk__in=[a.pk for a in twins]).update(created_at=twins[0].created_at)
    client = client_for(world.users["province"])
    everything = [a["id"] for a in client.get("/api/v1/applications/?limit=100").json()["results"]]
    ids, bodies = _walk(client, "/api/v1/applications/?limit=2")
    assert ids == everything and len(ids) == len(set(ids)) >= 5
    assert bodies[0]["count"] == len(everything) and "cursor=" in bodies[0]["next"]
    assert all(b["count"] is None and b["previous"] is None for b in bodies[1:])
    # Filters carry on through the cursor links.
    park = world.in_state("park", "city_review")
    parks, _ = _walk(client, "/api/v1/applications/?limit=1&kind=park")
    assert parks == [park.pk]


def test_a_cursor_page_runs_the_same_queries_at_any_depth(world, django_assert_max_num_queries):
    for _ in range(6):
        world.in_state("factory", "county_review", unit=f.enterprise("330106"))
    client = client_for(world.users["province"])
    _ids, bodies = _walk(client, "/api/v1/applications/?limit=1")
    late = bodies[-2]["next"]
    with django_assert_max_num_queries(4):
        assert client.get(late).status_code == 200


@pytest.mark.parametrize("cursor", ["abc", "!!!", "MjAyNS0wMS0wMXwx", "bm9ufHN0YW1w"])
def test_a_cursor_that_cannot_be_read_is_a_400_with_the_reason(world, cursor):
    world.in_state("factory", "county_review")
    response = client_for(world.users["province"]).get(f"/api/v1/applications/?cursor={cursor}")
    assert response.status_code == 400
    assert "分页游标无效" in response.json()["cursor"][0]
