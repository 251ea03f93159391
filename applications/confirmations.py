"""What a destructive decision on an application does, in words (core.confirm): the reviewer's
decision panel, the queue's bulk return and the province's decision all say it the same way."""

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
    summary = [
        _("将对“%(unit)s”作出决定：%(decision)s。")
        % {"unit": application.unit.name, "decision": option.label}
    ]
    if option.name in OUTCOMES:
        summary.append(OUTCOMES[option.name])
    if comment:
        summary.append(_("原因：%(comment)s") % {"comment": comment})
    return Confirmation(
        title=_("确认%(decision)s") % {"decision": option.label},
        summary=summary,
        action_label=_("确认%(decision)s") % {"decision": option.label},
        cancel_url=cancel_url,
        danger=True,
    )
