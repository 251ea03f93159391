"""What a destructive decision on an application does, in words (core.confirm): the reviewer's
decision panel, the queue's bulk return and the province's decision all say it the same way (and
dynamic management's decisions, dynamic/confirmations.py, through unit_decision_confirmation)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.confirm import Confirmation

RETURN_OUTCOME = gettext_lazy("申报单位将收到通知，修改后可重新提交。")

OUTCOMES = {
    "reject": gettext_lazy("不予通过后，本批次申报即告结束，不能恢复。"),
    "return_for_revision": RETURN_OUTCOME,
    "return_to_city": gettext_lazy("申报退回设区市重新审核，该市的推荐名额随之释放。"),
}


def decision_confirmation(application, option, comment: str = "", *, cancel_url: str) -> Confirmation:
    """`option`: applications.selectors.TransitionOption (its name and label)."""
    return unit_decision_confirmation(
        application.unit.name, option.label, OUTCOMES.get(option.name), comment, cancel_url=cancel_url
    )


def unit_decision_confirmation(
    unit: str, decision: str, outcome: str | None = None, comment: str = "", *, cancel_url: str
) -> Confirmation:
    """A destructive decision on one unit's file, in words: what is decided, what follows, and
    the reason given. Dynamic management (dynamic/confirmations.py) says its decisions this way
    too."""
    summary = [_("将对“%(unit)s”作出决定：%(decision)s。") % {"unit": unit, "decision": decision}]
    if outcome:
        summary.append(str(outcome))
    if comment:
        summary.append(_("原因：%(comment)s") % {"comment": comment})
    return Confirmation(
        title=_("确认%(decision)s") % {"decision": decision},
        summary=summary,
        action_label=_("确认%(decision)s") % {"decision": decision},
        cancel_url=cancel_url,
        danger=True,
    )
