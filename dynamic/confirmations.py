"""What a destructive dynamic-management decision does, in words (core.confirm), said the way an
application's decisions are (applications.confirmations.unit_decision_confirmation): the
county's and city's 退回修改, the city's 建议撤销 (its own action, or its opinion 建议撤销), the
province's 退回设区市 and its decision 撤销. Passing a form on, an opinion to keep or change and
the province's 保留/确认变更 are not confirmed (as passing is not on the reviewer's panel).
Opening the year's campaign is confirmed too (campaign_confirmation): it creates a form for every
managed unit, which no one can take back."""

from django.utils import formats
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from applications.confirmations import unit_decision_confirmation
from core.confirm import Confirmation

from .states import Decision, Opinion

_REMOVAL = _("市级意见为建议撤销，随本市报送材料报省经信厅决定；出具后本市不能再修改意见。")

# transition name → what follows it
OUTCOMES = {
    "return_for_revision": _("动态管理表退回单位，单位将收到通知，修改后可重新提交。"),
    "propose_removal": _REMOVAL,
    "return_to_city": _("动态管理表退回设区市重新审核，市级意见须重新出具。"),
}
# (transition name, the chosen value) → what follows it: a choice inside a form of choices
CHOICE_OUTCOMES = {
    ("city_conclude", Opinion.REMOVE): (Opinion.REMOVE.label, _REMOVAL),
    ("decide", Decision.REMOVE): (
        Decision.REMOVE.label,
        _("撤销在本年度联合公布时生效：该单位移出省级绿色制造名单，并列入动态管理调整名单。"),
    ),
}


def form_confirmation(
    form, name: str, label: str, *, choice: str = "", comment: str = "", cancel_url: str
) -> Confirmation | None:
    """The confirmation for transition `name` (its `label`) with the chosen opinion or decision
    `choice`; None when the decision is not a destructive one."""
    if (name, choice) in CHOICE_OUTCOMES:
        label, outcome = CHOICE_OUTCOMES[(name, choice)]
    elif name in OUTCOMES:
        outcome = OUTCOMES[name]
    else:
        return None
    return unit_decision_confirmation(form.unit_name, str(label), outcome, comment, cancel_url=cancel_url)


def choice_confirmations(form, name: str, *, cancel_url: str) -> dict[str, Confirmation]:
    """For a form of choices (the city's opinion, the province's decision): the choices that are
    confirmed, each with its confirmation (the dialog's summary, without the reason yet)."""
    return {
        choice: form_confirmation(form, name, "", choice=choice, cancel_url=cancel_url)
        for (transition, choice) in CHOICE_OUTCOMES
        if transition == name
    }


def campaign_confirmation(batch, preview, *, cancel_url: str) -> Confirmation:
    """Opening (or updating) `batch`'s dynamic management, in words: the year, how many forms it
    creates and in which cities (`preview`: selectors.CampaignPreview), and what follows."""
    summary = [
        gettext("将开启%(year)d年度动态管理，为%(n)d家单位生成动态管理表。")
        % {"year": batch.year, "n": preview.new}
    ]
    if preview.existing:
        summary.append(
            gettext("本年度已生成%(n)d份动态管理表，本次只为此后列入名单的单位补充生成。")
            % {"n": preview.existing}
        )
    summary.append(
        gettext(
            "生成后，各单位登录即可填写本单位的动态管理表，随设区市报送截止日期（%(date)s）一并报送；"
            "动态管理表生成后不能撤销。"
        )
        % {"date": formats.date_format(batch.city_submission_deadline, "DATE_FORMAT")}
    )
    return Confirmation(
        title=gettext("确认开启%(year)d年度动态管理") % {"year": batch.year},
        summary=summary,
        items=[gettext("%(city)s：%(n)d家") % {"city": city, "n": n} for city, n in preview.new_by_city],
        action_label=gettext("确认开启"),
        cancel_url=cancel_url,
    )
