"""What a destructive decision on an application does, in words (core.confirm): the reviewer's
decision panel, the queue's bulk return and the province's decision all say it the same way (and
dynamic management's decisions, dynamic/confirmations.py, through unit_decision_confirmation).
Opening publicity is said here too: the board that opens it (experts) and the view that acts
(publicity) share these words."""

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.confirm import Confirmation, ConfirmValue

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


def publicity_round_confirmation(
    units=None, *, starts_on, ends_on, comment: str = "", cancel_url: str
) -> Confirmation:
    """通知 二(四): the ticked units go to publicity over one period, public at once and with no
    way back but an objection that stands. `units`: the applications concerned, listed with their
    city; None on the board's page, whose dialog lists the ticked rows itself."""
    if units is None:
        count = _("勾选的单位将列入公示。")
    else:
        count = _("以下%(n)d家单位将列入公示。") % {"n": len(units)}
    return Confirmation(
        title=_("确认列入公示"),
        summary=[
            count,
            _(
                "公示期内名单在公示页面向社会公开，各单位将收到通知，任何单位和个人可提出异议。"
                "列入公示后不能撤回，只有异议成立的单位才会撤出公示。"
            ),
        ],
        values=[
            ConfirmValue(_("公示开始日期："), "starts_on", formats.date_format(starts_on, "DATE_FORMAT")),
            ConfirmValue(
                _("公示结束日期："),
                "ends_on",
                formats.date_format(ends_on, "DATE_FORMAT"),
                empty=_("按规定的公示天数计算"),
            ),
            ConfirmValue(_("省级评估意见："), "comment", comment.strip(), empty=_("无")),
        ],
        items=[_("%(unit)s（%(city)s）") % {"unit": a.unit.name, "city": a.city} for a in units or []],
        action_label=_("确认列入公示"),
        cancel_url=cancel_url,
    )
