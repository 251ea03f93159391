"""Every transition of the dynamic-management form: who may fire it (role and region), from which
states, and that each change is written to the append-only history in the same transaction."""

import pytest
from django.db import DatabaseError, connection

from core.exceptions import Forbidden, InvalidInput, NotAllowedNow
from dynamic.models import FormLog
from dynamic.services import form_transition
from dynamic.states import FormState

# (transition, the form's kind, the state it starts from, the allowed actor, the target, kwargs)
CASES = [
    ("submit", "factory", "draft", "factory", "county_review", {}),
    ("submit", "park", "draft", "park", "city_review", {}),
    ("submit", "factory", "returned", "factory", "county_review", {}),
    ("county_pass", "factory", "county_review", "county", "city_review", {}),
    ("return_for_revision", "factory", "county_review", "county", "returned", {"comment": "补充"}),
    ("return_for_revision", "factory", "city_review", "city", "returned", {"comment": "补充"}),
    ("return_for_revision", "park", "city_review", "city", "returned", {"comment": "补充"}),
    ("city_conclude", "factory", "city_review", "city", "city_done", {"opinion": "keep"}),
    ("city_conclude", "park", "city_review", "city", "city_done", {"opinion": "keep"}),
    (
        "propose_removal",
        "factory",
        "draft",
        "city",
        "city_done",
        {"opinion": "remove", "reasons": ["major_accident"], "comment": "企业发生重大生产安全事故"},
    ),
    ("return_to_city", "factory", "city_done", "province", "city_review", {"comment": "请补充现场评估"}),
    ("decide", "factory", "city_done", "province", "decided", {"decision": "keep"}),
]
ROLES = ["factory", "park", "other_factory", "county", "other_county", "city", "other_city", "province"]


def _form(world, kind, state):
    form = world.in_state("factory" if kind == "factory" else "park", state)
    if state == "draft":
        world.fill(form)
    return form


@pytest.mark.parametrize(("name", "kind", "source", "who", "target", "kwargs"), CASES)
def test_transition_allowed_for_its_role_and_written_to_history(
    world, name, kind, source, who, target, kwargs
):
    form = _form(world, kind, source)
    before = FormLog.objects.filter(form=form).count()
    form_transition(form, name=name, by=world.users[who], **kwargs)
    form.refresh_from_db()
    assert form.state == target
    log = FormLog.objects.filter(form=form).last()
    assert FormLog.objects.filter(form=form).count() == before + 1
    assert (log.transition, log.source, log.target, log.actor) == (name, source, target, world.users[who])
    assert log.comment == kwargs.get("comment", "")


@pytest.mark.parametrize(("name", "kind", "source", "who", "target", "kwargs"), CASES)
def test_transition_refused_for_every_other_role_and_region(world, name, kind, source, who, target, kwargs):
    form = _form(world, kind, source)
    for other in ROLES:
        if other == who:
            continue
        with pytest.raises(Forbidden):
            form_transition(form, name=name, by=world.users[other], **kwargs)
        form.refresh_from_db()
        assert form.state == source


def _wrong_sources():
    from dynamic.models import DynamicForm

    transitions = list(DynamicForm._meta.get_field("state").get_all_transitions(DynamicForm))
    for name, kind, _source, who, _target, kwargs in {c[0]: c for c in CASES}.values():
        sources = {t.source for t in transitions if t.name == name}
        for state in ("draft", "returned", "county_review", "city_review", "city_done", "decided"):
            if state not in sources and not (kind == "park" and state == "county_review"):
                yield pytest.param(name, kind, state, who, kwargs, id=f"{name}-from-{state}")


@pytest.mark.parametrize(("name", "kind", "state", "who", "kwargs"), list(_wrong_sources()))
def test_transition_refused_from_every_other_state(world, name, kind, state, who, kwargs):
    form = _form(world, kind, state)
    with pytest.raises((NotAllowedNow, Forbidden)):
        form_transition(form, name=name, by=world.users[who], **kwargs)
    form.refresh_from_db()
    assert form.state == state


def test_reason_required_for_returns_and_removal(world):
    form = world.in_state("factory", "county_review")
    with pytest.raises(InvalidInput, match="原因"):
        form_transition(form, name="return_for_revision", by=world.users["county"], comment="  ")
    draft = world.form("park")
    with pytest.raises(InvalidInput):
        form_transition(
            draft, name="propose_removal", by=world.users["city"], opinion="remove", reasons=["overdue"]
        )
    assert FormLog.objects.filter(form__in=[form, draft]).exclude(transition="submit").count() == 0


def test_propose_removal_needs_a_cause_that_allows_it_at_any_time(world):
    form = world.form("factory")
    with pytest.raises(NotAllowedNow, match="重大"):
        form_transition(
            form,
            name="propose_removal",
            by=world.users["city"],
            opinion="remove",
            reasons=["dishonest"],
            comment="失信",
        )
    form.refresh_from_db()
    assert form.state == FormState.DRAFT and form.opinion == ""


def test_submit_lists_what_is_missing(world):
    form = world.form("factory")
    with pytest.raises(NotAllowedNow) as exc:
        form_transition(form, name="submit", by=world.users["factory"])
    text = "；".join(exc.value.reasons)
    for expected in ("地址", "生产经营状况", "近三年主要指标", "签字盖章", "真实性承诺"):
        assert expected in text


def test_history_is_append_only_in_the_database(world):
    form = world.in_state("factory", "county_review")
    log = FormLog.objects.filter(form=form).last()
    with pytest.raises(TypeError):
        log.save()
    with pytest.raises(DatabaseError, match="append-only"), connection.cursor() as cursor:
        cursor.execute("UPDATE dynamic_formlog SET comment = 'x' WHERE id = %s", [log.pk])
