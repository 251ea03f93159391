import pytest

from tests.applications.conftest import World


@pytest.fixture
def world(db, time_machine):
    return World(clock=time_machine)


@pytest.fixture
def client_of(client):
    """`client_of(user)`: the test client signed in as `user`."""

    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in
