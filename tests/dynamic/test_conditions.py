"""Each condition of the dynamic-management form on its own (dynamic/conditions.py), one test per
rule: the transitions' tests show a condition is wired in; these show where its edge lies (found
by `make mutate`: each one killed a mutant no other test noticed)."""

import copy
from decimal import Decimal

import pytest
from django.utils import timezone

from dynamic import conditions as c

pytestmark = pytest.mark.django_db


@pytest.fixture
def factory(world):
    return world.fill(world.form("factory"))


def filled(form, **fields):
    """The filled-in form with some fields changed in memory (nothing saved)."""
    form = copy.copy(form)
    for name, value in fields.items():
        setattr(form, name, value)
    return form


def test_identity_needs_name_address_and_scope(factory):
    assert c.identity_complete(filled(factory))
    for blank in ("unit_name", "address", "scope"):
        assert not c.identity_complete(filled(factory, **{blank: ""})), blank


def test_a_factory_needs_no_park_area_or_boundary_but_a_park_needs_both(world, factory):
    park = world.fill(world.form("park"))
    assert c.identity_complete(filled(factory, park_area=None, park_boundary=""))
    assert c.identity_complete(filled(park, park_area=Decimal("12.5"), park_boundary="东至某路"))
    assert not c.identity_complete(filled(park, park_area=None))
    assert not c.identity_complete(filled(park, park_boundary=""))


def test_compliance_needs_every_answer_and_no_counts_as_an_answer(factory):
    assert c.compliance_answered(
        filled(factory, tax_evasion=False, dishonest=False, rectification_unfinished=False)
    )
    for unanswered in ("operating", "safety_accident", "env_incident"):
        assert not c.compliance_answered(filled(factory, **{unanswered: ""})), unanswered
    for unanswered in ("tax_evasion", "dishonest", "rectification_unfinished"):
        assert not c.compliance_answered(filled(factory, **{unanswered: None})), unanswered


def test_the_pledge_is_needed(factory):
    assert c.pledged(filled(factory))
    assert not c.pledged(filled(factory, pledged_at=None))


def test_a_removal_opinion_needs_a_reason_or_an_explanation(factory):
    assert not c.removal_has_reasons(filled(factory, opinion="remove", opinion_reasons=[], opinion_text="  "))
    assert c.removal_has_reasons(
        filled(factory, opinion="remove", opinion_reasons=["dishonest"], opinion_text="")
    )
    assert c.removal_has_reasons(
        filled(factory, opinion="remove", opinion_reasons=[], opinion_text="长期停产")
    )
    assert c.removal_has_reasons(filled(factory, opinion="keep", opinion_reasons=[], opinion_text=""))


def test_a_change_opinion_needs_a_declared_change(factory):
    assert not c.change_has_declared_change(filled(factory, opinion="change"))
    assert c.change_has_declared_change(filled(factory, opinion="keep"))


def test_only_a_removal_may_be_proposed_at_any_time(factory):
    assert c.opinion_is_removal(filled(factory, opinion="remove"))
    assert not c.opinion_is_removal(filled(factory, opinion="change"))


@pytest.mark.parametrize("cause", ["major_accident", "major_environmental", "overdue"])
def test_removal_at_any_time_needs_a_major_accident_or_incident_or_an_overdue_form(factory, cause):
    assert c.removal_cause_present(filled(factory, opinion_reasons=[cause]))
    assert not c.removal_cause_present(filled(factory, opinion_reasons=["dishonest", "indicator_worse"]))


def test_a_published_decision_cannot_be_returned(factory):
    assert c.not_yet_published(filled(factory, published_at=None))
    assert not c.not_yet_published(filled(factory, published_at=timezone.now()))


def test_the_province_must_choose_a_decision_and_give_a_reason_for_removal(factory):
    assert not c.decision_given(filled(factory, decision=""))
    assert c.decision_given(filled(factory, decision="keep"))
    assert not c.removal_decision_has_reason(filled(factory, decision="remove", decision_reason="  "))
    assert c.removal_decision_has_reason(filled(factory, decision="remove", decision_reason="发生重大事故"))
    assert c.removal_decision_has_reason(filled(factory, decision="keep", decision_reason=""))
    assert not c.change_decision_has_change(filled(factory, decision="change"))
    assert c.change_decision_has_change(filled(factory, decision="keep"))


def test_the_city_must_choose_an_opinion(factory):
    assert not c.opinion_given(filled(factory, opinion=""))
    assert c.opinion_given(filled(factory, opinion="keep"))
