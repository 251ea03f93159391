"""The table of facts per state (applications/states.py): complete, and in agreement with the
transitions of the state machine."""

import dataclasses

from applications.models import Application
from applications.rules import is_responsible_reviewer
from applications.states import STATE_FACTS, ApplicationState, StateFacts, facts, states_where

S = ApplicationState


def _transitions():
    return list(Application._meta.get_field("state").get_all_transitions(Application))


def test_every_state_has_every_fact():
    assert set(STATE_FACTS) == set(ApplicationState)
    names = [f.name for f in dataclasses.fields(StateFacts)]
    for state, row in STATE_FACTS.items():
        assert isinstance(row, StateFacts)
        for name in names:
            value = getattr(row, name)
            if name != "holder":  # None is a fact for the holder: no bureau holds it
                assert value is not None, (state, name)
        assert str(row.applicant_label), state
        assert row.notify_on_entry, state


def test_the_table_is_frozen():
    try:
        STATE_FACTS[S.DRAFT].applicant_may_edit = False
    except dataclasses.FrozenInstanceError:
        pass
    else:  # pragma: no cover
        raise AssertionError("StateFacts must be frozen")


def test_the_applicant_submits_from_exactly_the_editable_states():
    submit = [t for t in _transitions() if t.name == "submit"]
    assert {t.source for t in submit} == set(states_where(applicant_may_edit=True))


def test_the_applicant_withdraws_from_exactly_the_withdrawable_states():
    withdraw = [t for t in _transitions() if t.name == "withdraw"]
    assert {t.source for t in withdraw} == set(states_where(applicant_may_withdraw=True))


def test_every_held_state_can_be_rejected_by_its_holder_and_closed_states_lead_nowhere():
    rejectable = {t.source for t in _transitions() if t.name == "reject"}
    assert rejectable == {s for s in S if facts(s).holder is not None}
    sources = {t.source for t in _transitions()}
    for state in (S.PUBLISHED, S.REJECTED, S.WITHDRAWN):
        assert state not in sources
        assert facts(state).holder is None and not facts(state).applicant_may_edit


def test_states_entered_by_a_bureaus_transition_are_held_by_that_bureau():
    # Where a transition hands the application to a bureau, the table names that bureau.
    handed = {"county_review": "county_bureau", "city_review": "city_bureau", "province_review": "province"}
    targets = set()
    for t in _transitions():
        targets |= set(getattr(t.target, "allowed_states", None) or [t.target])
    for state, role in handed.items():
        assert state in targets
        assert facts(state).holder.name == role
        # Whoever holds it is told when it arrives.
        assert facts(state).holder in facts(state).notify_on_entry


def test_quota_counts_from_recommendation_and_cap_from_submission():
    recommend = next(t for t in _transitions() if t.name == "city_recommend")
    assert facts(recommend.target).counts_for_quota and not facts(recommend.source).counts_for_quota
    for t in _transitions():
        if t.name == "submit":
            assert not facts(t.source).counts_for_assessor_cap or t.source == S.RETURNED
    assert not facts(S.DRAFT).counts_for_assessor_cap and not facts(S.WITHDRAWN).counts_for_assessor_cap
    assert not facts(S.WITHDRAWN).counts_for_quota


def test_only_submitted_states_are_seen_by_reviewers():
    assert states_where(seen_by_reviewers=False) == (S.DRAFT,)


def test_responsible_reviewer_reads_the_holder():
    class App:
        state = S.DRAFT

    assert is_responsible_reviewer(App(), object()) is False


def test_every_transition_name_carries_one_label():
    """A refused action is named by its label (application_transition takes the first of the
    name's transitions): each name must read the same whichever state it leaves."""
    labels = {}
    for t in Application._meta.get_field("state").get_all_transitions(Application):
        labels.setdefault(t.name, set()).add(str(t.custom.get("label", t.name)))
    assert {name: found for name, found in labels.items() if len(found) > 1} == {}
