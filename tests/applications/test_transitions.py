"""Every transition: the allowed path, every wrong role or region, every wrong source state."""

import pytest

from applications.models import TransitionLog
from applications.selectors import transition_options
from applications.services import application_transition
from applications.states import ApplicationState as S
from core.exceptions import DomainError, Forbidden, InvalidInput
from tests.helpers import workflow_pass

ALL_STATES = [s.value for s in S]
ACTORS = [
    "applicant",
    "other_applicant",
    "assessor",
    "county",
    "other_county",
    "city",
    "other_city",
    "province",
]

# (transition, kind, source state, who may fire it, target state)
ALLOWED = [
    ("submit", "factory", "draft", "applicant", "county_review"),
    ("submit", "factory", "returned", "applicant", "county_review"),
    ("submit", "park", "draft", "applicant", "city_review"),
    ("county_pass", "factory", "county_review", "county", "city_review"),
    ("city_recommend", "factory", "city_review", "city", "recommended"),
    ("city_recommend", "park", "city_review", "city", "recommended"),
    ("send_to_province", "factory", "recommended", "city", "province_review"),
    ("send_to_province", "park", "recommended", "city", "province_review"),
    ("return_for_revision", "factory", "county_review", "county", "returned"),
    ("return_for_revision", "factory", "city_review", "city", "returned"),
    ("return_for_revision", "park", "city_review", "city", "returned"),
    ("return_for_revision", "factory", "recommended", "city", "returned"),
    ("return_for_revision", "factory", "province_review", "province", "returned"),
    ("reject", "factory", "county_review", "county", "rejected"),
    ("reject", "factory", "city_review", "city", "rejected"),
    ("reject", "factory", "recommended", "city", "rejected"),
    ("reject", "factory", "province_review", "province", "rejected"),
    ("reject", "factory", "publicity", "province", "rejected"),
    ("withdraw", "factory", "draft", "applicant", "withdrawn"),
    ("withdraw", "factory", "returned", "applicant", "withdrawn"),
    ("withdraw", "factory", "county_review", "applicant", "withdrawn"),
    ("withdraw", "park", "city_review", "applicant", "withdrawn"),
    ("withdraw", "factory", "recommended", "applicant", "withdrawn"),
    ("start_publicity", "factory", "province_review", "province", "publicity"),
    ("uphold_objection", "factory", "publicity", "province", "province_review"),
    ("publish", "factory", "publicity", "province", "published"),
]
SOURCES = {}
for name, _kind, source, _who, _target in ALLOWED:
    SOURCES.setdefault(name, set()).add(source)


def actor(world, who, kind):
    if who == "applicant":
        return world.users["applicant_factory" if kind == "factory" else "applicant_park"]
    return world.users[who]


def case_id(case):
    return f"{case[0]}-{case[1]}-from-{case[2]}"


@pytest.mark.parametrize("case", ALLOWED, ids=case_id)
def test_transition_allowed_path(world, case):
    name, kind, source, who, target = case
    app = world.in_state(kind, source, publicity_over=(name == "publish"))
    before = TransitionLog.objects.count()
    application_transition(
        app, name=name, by=actor(world, who, kind), comment="意见", via=workflow_pass(name)
    )
    app.refresh_from_db()
    assert app.state == target
    log = TransitionLog.objects.latest("pk")
    assert TransitionLog.objects.count() == before + 1
    assert (log.transition, log.source, log.target, log.comment) == (name, source, target, "意见")
    assert log.actor == actor(world, who, kind)


@pytest.mark.parametrize("case", ALLOWED, ids=case_id)
def test_transition_refused_for_every_other_role_and_region(world, case):
    name, kind, source, who, _target = case
    app = world.in_state(kind, source, publicity_over=(name == "publish"))
    before = TransitionLog.objects.count()
    for other in ACTORS:
        if other == who:
            continue
        with pytest.raises(Forbidden):
            application_transition(
                app, name=name, by=actor(world, other, kind), comment="意见", via=workflow_pass(name)
            )
        app.refresh_from_db()
        assert app.state == source
    assert TransitionLog.objects.count() == before


@pytest.mark.parametrize(
    ("name", "state"),
    [(name, state) for name in SOURCES for state in ALL_STATES if state not in SOURCES[name]],
)
def test_transition_refused_from_every_wrong_state(world, name, state):
    app = world.in_state("factory", state)
    before = TransitionLog.objects.count()
    for who in ACTORS:
        with pytest.raises(DomainError):
            application_transition(
                app, name=name, by=actor(world, who, "factory"), comment="意见", via=workflow_pass(name)
            )
        app.refresh_from_db()
        assert app.state == state
    assert TransitionLog.objects.count() == before


@pytest.mark.parametrize("name", ["return_for_revision", "reject"])
def test_return_and_reject_need_a_reason(world, name):
    app = world.in_state("factory", "county_review")
    with pytest.raises(InvalidInput, match="请填写原因"):
        application_transition(app, name=name, by=world.users["county"], comment="   ")
    app.refresh_from_db()
    assert app.state == "county_review"


def test_unknown_transition_is_invalid_input(world):
    app = world.in_state("factory", "draft")
    with pytest.raises(InvalidInput):
        application_transition(app, name="approve_everything", by=world.users["province"])


def test_state_field_cannot_be_assigned_directly(world):
    app = world.in_state("factory", "draft")
    with pytest.raises(AttributeError):
        app.state = "published"


def test_returned_recommendation_gives_the_quota_slot_back(world):
    from applications.selectors import quota_used

    app = world.in_state("factory", "recommended")
    assert quota_used(world.batch, "330100", "factory") == 1
    application_transition(app, name="return_for_revision", by=world.users["city"], comment="补充材料")
    assert quota_used(world.batch, "330100", "factory") == 0


def test_rejection_after_recommendation_keeps_the_slot_used(world):
    from applications.selectors import quota_used

    app = world.in_state("factory", "province_review")
    application_transition(app, name="reject", by=world.users["province"], comment="不符合")
    assert quota_used(world.batch, "330100", "factory") == 1


WORKFLOW_TRANSITIONS = [
    ("send_to_province", "recommended", "city", "向省报送"),
    ("start_publicity", "province_review", "province", "公示管理"),
    ("uphold_objection", "publicity", "province", "公示管理"),
    ("publish", "publicity", "province", "公示管理"),
]


@pytest.mark.parametrize(("name", "source", "who", "page"), WORKFLOW_TRANSITIONS)
def test_workflow_transitions_fire_only_from_their_workflow(world, name, source, who, page):
    """The city sends with its letter and Annex 2, the province publicises and publishes as a
    round: one application at a time from the generic page or the API is refused."""
    from rest_framework.test import APIClient

    app = world.in_state("factory", source, publicity_over=True)
    user = world.users[who]
    with pytest.raises(DomainError, match=page):
        application_transition(app, name=name, by=user, comment="意见")
    assert name not in [o.name for o in transition_options(app, user)]
    api = APIClient()
    api.force_authenticate(user)
    resp = api.post(f"/api/v1/applications/{app.pk}/transition/", {"name": name, "comment": "意见"})
    assert resp.status_code == 409
    app.refresh_from_db()
    assert app.state == source
    assert not TransitionLog.objects.filter(application=app, transition=name).exists()
