"""The rule of publicity that the application's publish transition carries (added to
applications.conditions.before_publication in PublicityConfig.ready)."""

from django.utils.translation import gettext_lazy as _

from applications.conditions import rule

from .selectors import has_standing_objection


@rule(_("该单位有未处理或已成立的异议，不能公布。"))
def no_standing_objection(application) -> bool:
    """通知 二(四): publication only "经公示无异议". An objection stands while it is unhandled or
    once upheld; objections of earlier publicity rounds of the same unit do not count."""
    return not has_standing_objection(application)
