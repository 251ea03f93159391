"""The facts lists read instead of the history (docs/decisions/0011): when the application first
reached city review and when it entered its current state, kept by application_transition."""

from applications.models import Application, BureauDecision
from applications.services import application_transition


def _facts(app):
    return Application.objects.values_list("reached_city_at", "state_changed_at").get(pk=app.pk)


def _last_log(app):
    return app.history.order_by("-created_at", "-pk").first()


def test_each_transition_dates_the_state_and_the_first_arrival_at_the_city(world):
    app = world.in_state("factory", "county_review")
    reached, changed = _facts(app)
    assert reached is None and changed == _last_log(app).created_at

    application_transition(app, name="county_pass", by=world.users["county"])
    reached, changed = _facts(app)
    assert reached == changed == _last_log(app).created_at
    first_arrival = reached

    application_transition(app, name="return_for_revision", by=world.users["city"], comment="补充材料")
    application_transition(app, name="submit", by=world.users["applicant_factory"])
    application_transition(app, name="county_pass", by=world.users["county"])
    reached, changed = _facts(app)
    assert reached == first_arrival  # the first time counts: the city has seen it since then
    assert changed == _last_log(app).created_at > first_arrival


def test_a_park_reaches_the_city_on_submission(world):
    app = world.in_state("park", "city_review")
    reached, changed = _facts(app)
    assert reached == changed == _last_log(app).created_at


def _decisions(app) -> dict:
    return {(d.organisation_id, d.kind): d.decided_at for d in BureauDecision.objects.filter(application=app)}


def test_each_bureau_decision_is_kept_with_the_time_of_the_latest(world):
    """The queue's 已通过 / 已退回 / 未通过 tabs read BureauDecision: per organisation and kind, the
    latest decision of its people, kept by application_transition in the same transaction."""
    county, city = world.users["county"].organisation_id, world.users["city"].organisation_id
    app = world.in_state("factory", "county_review")
    assert _decisions(app) == {}  # the applicant's submission decides nothing

    application_transition(app, name="county_pass", by=world.users["county"])
    first_pass = _last_log(app).created_at
    assert _decisions(app) == {(county, "passed"): first_pass}

    application_transition(app, name="return_for_revision", by=world.users["city"], comment="补充材料")
    returned = _last_log(app).created_at
    application_transition(app, name="submit", by=world.users["applicant_factory"])
    application_transition(app, name="county_pass", by=world.users["county"])
    second_pass = _last_log(app).created_at
    assert second_pass > first_pass
    assert _decisions(app) == {(county, "passed"): second_pass, (city, "returned"): returned}
