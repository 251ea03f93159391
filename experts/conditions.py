"""The rule of expert review that the application's start_publicity transition carries
(added to applications.conditions.before_publicity in ExpertsConfig.ready)."""

from django.utils.translation import gettext_lazy as _

from applications.conditions import rule

from .models import ExpertAssignment


@rule(_("尚有指派的专家未提交评审意见，不能列入公示。"))
def every_assigned_expert_has_given_an_opinion(application) -> bool:
    """通知 二(四): the province publishes only after the experts it invited have given their
    opinions; an ended assignment no longer waits for one."""
    return not ExpertAssignment.objects.filter(
        application=application, ended_at__isnull=True, opinion__isnull=True
    ).exists()
