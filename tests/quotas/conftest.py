import pytest

from tests import factories as f
from tests.applications.conftest import World


@pytest.fixture
def world(db, time_machine):
    return World(clock=time_machine)


@pytest.fixture
def officer(world):
    return world.users["province"]


def recommend_factories(batch, n, *, county="330106"):
    """n factories of `county` recommended by their city, through the services."""
    apps = []
    for _ in range(n):
        app = f.application(f.enterprise(county), batch)
        apps.append(f.advance(app, "recommended"))
    return apps
