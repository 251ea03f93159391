"""Fuzzing the API from its own OpenAPI schema (schemathesis): every operation of /api/schema/,
called with generated valid and invalid input as a province user and as an applicant, never
answers 5xx, and every response it documents matches the documented schema.

Bounded: per operation and role, schemathesis' coverage cases (each parameter missing, of the
wrong type, at its extremes; methods the path does not allow) and EXAMPLES generated cases,
derandomised (the same cases on every run, so a failure reproduces), no example database. With
24 operations this adds about 1.5–2 minutes of two cores to `make test` (92 s of CPU for 18
operations, measured on a loaded machine; PostgreSQL's share comes on top).

The requests go through Django's WSGI handler in the test's thread and transaction, like Django's
test client (which, as here, keeps the handler from closing the test's connection)."""

import json

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from rest_framework.test import APIClient
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from accounts.tokens import token_for
from dynamic.models import DynamicForm
from dynamic.services import campaign_open
from reviews.models import CitySubmission
from tests.applications.conftest import World
from tests.dynamic.conftest import provincial_entry

EXAMPLES = 12


def served_schema() -> dict:
    """What /api/schema/ serves (it needs a signed-in client, so the tests can't fetch it while
    collecting): drf-spectacular's generator, as the view calls it."""
    return SchemaGenerator().get_schema(request=None, public=True)


schema = schemathesis.openapi.from_dict(served_schema())
schema.app = get_wsgi_application()  # requests go through Django's WSGI handler
schema.config.generation.update(max_examples=EXAMPLES)

# Objects that exist, by the path their operations start with; filled by the fixture before each
# operation's cases are drawn. Half of the generated path parameters name one of them, so the
# fuzzing reaches past the 404.
KNOWN: dict[str, list] = {}


@schema.hook
def flatmap_path_parameters(context, path_parameters):
    path = context.operation.path if context.operation else ""
    real = next((ids for prefix, ids in KNOWN.items() if path.startswith(prefix)), None)
    if not path_parameters or not real:
        return st.just(path_parameters)
    return st.one_of(
        st.just(path_parameters),
        st.sampled_from(real).map(lambda value: dict.fromkeys(path_parameters, value)),
    )


@pytest.fixture
def wsgi_in_test_transaction():
    """Django's test client does the same: a request may not close the test's connection."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def world(db, time_machine, settings, wsgi_in_test_transaction):
    # The fuzzer is one client sending hundreds of requests: throttled answers (429) would hide
    # the operations from it.
    settings.API_THROTTLE_RATES = {"anon": "100000/minute", "user": "100000/minute"}
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"token": "100000/minute"},
    }
    w = World(clock=time_machine)
    apps = [w.in_state("factory", "recommended"), w.application("park")]
    provincial_entry(w.park_org)
    campaign_open(batch=w.batch, by=w.users["province"])
    KNOWN.clear()
    KNOWN.update(
        {
            "/api/v1/applications/": [a.pk for a in apps],
            "/api/v1/dynamic/forms/": list(DynamicForm.objects.values_list("pk", flat=True)),
            "/api/v1/reviews/submissions/": list(CitySubmission.objects.values_list("pk", flat=True)),
            "/api/v1/batches/": [w.batch.year],
        }
    )
    return w


@pytest.mark.parametrize("role", ["province", "applicant_factory"])
@schema.parametrize()
@hypothesis_settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_the_api_answers_every_generated_request_without_a_server_error(case, role, world):
    # Token: the fuzzer may call the logout operation, which revokes it; get it for each case.
    token = token_for(world.users[role])
    case.call_and_validate(
        headers={"Authorization": f"Token {token.key}"},
        checks=[not_a_server_error, response_schema_conformance],
    )


def test_the_fuzzed_schema_is_the_one_the_api_serves(world):
    client = APIClient()
    client.force_authenticate(world.users["applicant_factory"])
    served = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert served.status_code == 200
    assert json.loads(served.content) == json.loads(json.dumps(served_schema()))
