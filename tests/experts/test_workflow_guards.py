"""Guards that cannot be typed: start_publicity itself waits for every assigned expert's opinion,
and workflow transitions fire only with their workflow module's private pass."""

import pytest

from applications.models import TransitionLog
from applications.services import WorkflowPass, application_transition, issue_workflow_pass
from core.exceptions import NotAllowedNow
from experts.conditions import every_assigned_expert_has_given_an_opinion
from experts.services import expert_assign, expert_unassign
from publicity.services import publicity_round_open
from tests import factories as f
from tests.helpers import workflow_pass


def test_start_publicity_waits_for_every_assigned_expert(world):
    app = world.under_review()
    f.expert_opinion(app, world.users["expert"])
    expert_assign(application=app, expert=world.users["other_expert"], by=world.users["province"])
    # Directly on the transition, with the workflow's own pass: the rule is the transition's.
    with pytest.raises(NotAllowedNow, match="尚有指派的专家未提交评审意见"):
        application_transition(
            app, name="start_publicity", by=world.users["province"], via=workflow_pass("start_publicity")
        )
    # And through the publicity round, which fires it.
    with pytest.raises(NotAllowedNow, match="尚有指派的专家未提交评审意见"):
        publicity_round_open(
            batch=world.batch,
            applications=[app],
            starts_on=f.timezone.localdate(),
            by=world.users["province"],
        )
    app.refresh_from_db()
    assert app.state == "province_review"
    from experts.services import expert_opinion_record

    expert_opinion_record(application=app, by=world.users["other_expert"], passed=True, comments="同意。")
    application_transition(
        app, name="start_publicity", by=world.users["province"], via=workflow_pass("start_publicity")
    )
    assert app.state == "publicity"


@pytest.mark.parametrize(
    ("name", "source", "who"),
    [("send_to_province", "recommended", "city"), ("publish", "publicity", "province")],
)
def test_workflow_transition_refuses_a_typed_or_forged_pass(world, name, source, who):
    app = world.in_state("factory", source, publicity_over=True)
    workflow = workflow_pass(name).workflow
    for via in (workflow, WorkflowPass(workflow)):
        with pytest.raises(NotAllowedNow):
            application_transition(app, name=name, by=world.users[who], via=via)
    app.refresh_from_db()
    assert app.state == source
    assert not TransitionLog.objects.filter(application=app, transition=name).exists()


def test_a_workflow_pass_is_issued_once():
    with pytest.raises(RuntimeError):
        issue_workflow_pass("publicity")
    with pytest.raises(RuntimeError):
        issue_workflow_pass("city_submission")


def test_an_ended_assignment_and_another_units_assignment_do_not_hold_up_publicity(world):
    """Publicity waits for the experts assigned to this unit and still assigned: an assignment
    the province ended, or one on another unit, waits for nothing here."""
    app, other = world.under_review(), world.under_review()
    f.expert_opinion(app, world.users["expert"])
    ended = expert_assign(application=app, expert=world.users["other_expert"], by=world.users["province"])
    expert_unassign(assignment=ended, by=world.users["province"])
    expert_assign(application=other, expert=world.users["other_expert"], by=world.users["province"])
    assert every_assigned_expert_has_given_an_opinion(app)
    assert not every_assigned_expert_has_given_an_opinion(other)
    application_transition(
        app, name="start_publicity", by=world.users["province"], via=workflow_pass("start_publicity")
    )
    assert app.state == "publicity"
