"""The application's states and the groups the rest of the code asks about.

Kept apart from models.py so that rules and conditions can name states without importing models.
STATE_FACTS is the one table of what each state means; the groups below are read from it.
"""

from dataclasses import dataclass

from django.db import models
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.roles import APPLICANT, CITY_BUREAU, COUNTY_BUREAU, PROVINCE, Role


class ApplicationKind(models.TextChoices):
    FACTORY = "factory", _("绿色低碳工厂")
    PARK = "park", _("绿色低碳工业园区")


class DocumentKind(models.TextChoices):
    SELF_EVALUATION_REPORT = "self_evaluation_report", _("自评价报告")
    COMMITMENT_LETTER = "commitment_letter", _("第三方评价机构承诺书")
    OTHER = "other", _("其他材料")


class ApplicationState(models.TextChoices):
    DRAFT = "draft", _("自评价")
    RETURNED = "returned", _("退回修改")
    COUNTY_REVIEW = "county_review", _("县级审核")
    CITY_REVIEW = "city_review", _("市级审核")
    RECOMMENDED = "recommended", _("市级已推荐")
    PROVINCE_REVIEW = "province_review", _("省级评估")
    PUBLICITY = "publicity", _("公示中")
    PUBLISHED = "published", _("已公布")
    REJECTED = "rejected", _("未通过")
    WITHDRAWN = "withdrawn", _("已撤回")


S = ApplicationState


def _status(state):
    """The applicant's label for a state no bureau is working on: the state's own name."""
    return lazy(lambda: gettext("申报状态：%(state)s。") % {"state": state.label}, str)()


@dataclass(frozen=True)
class StateFacts:
    """What one state of a workflow means, in one row. Rules, review queues, notifications and
    the visibility gate read these facts instead of keeping lists of their own; a second workflow
    (dynamic management) gets its own table of the same shape."""

    # The bureau working on it (a roles.Role): it may return or reject; None while the applicant
    # holds it or once it is closed.
    holder: Role | None
    # The applicant may change its data, upload and submit (self-evaluation, or returned).
    applicant_may_edit: bool
    # The applicant may still withdraw: the province does not have it yet (通知 二(二)).
    applicant_may_withdraw: bool
    # Submitted at least once: the bureaus of its region and the province may see it.
    seen_by_reviewers: bool
    # A city's recommendation in this state takes one of its quota slots (通知 三, Annex 1).
    # Applications.counted_for_quota also needs the recommendation itself (city_recommended_at).
    counts_for_quota: bool
    # Counts against the assessor group's cap (通知 二(一); README "Assessor cap"): from first
    # submission on, whatever happens next, except withdrawal.
    counts_for_assessor_cap: bool
    # Told by mail when an application enters the state (roles.Role, any number).
    notify_on_entry: tuple[Role, ...]
    # What the applicant reads about where its application is.
    applicant_label: str


_WITH_COUNTY = _("已提交，等待县（市、区）经信局审核。")
_WITH_CITY = _("已提交，等待设区市经信局审核推荐。")

# fmt: off
T, F, R, A = True, False, StateFacts, APPLICANT
STATE_FACTS: dict[str, StateFacts] = {
    #                    holder        edit withdraw seen quota cap told on entry, applicant reads
    S.DRAFT:           R(None,          T,  T,       F,   F,    F,  (A,), _status(S.DRAFT)),
    S.RETURNED:        R(None,          T,  T,       T,   F,    T,  (A,), _status(S.RETURNED)),
    S.COUNTY_REVIEW:   R(COUNTY_BUREAU, F,  T,       T,   F,    T,  (A, COUNTY_BUREAU), _WITH_COUNTY),
    S.CITY_REVIEW:     R(CITY_BUREAU,   F,  T,       T,   F,    T,  (A, CITY_BUREAU), _WITH_CITY),
    S.RECOMMENDED:     R(CITY_BUREAU,   F,  T,       T,   T,    T,  (A,), _WITH_CITY),
    S.PROVINCE_REVIEW: R(PROVINCE,     F,  F,       T,   T,    T,  (A, PROVINCE), _status(S.PROVINCE_REVIEW)),
    S.PUBLICITY:       R(PROVINCE,      F,  F,       T,   T,    T,  (A,), _status(S.PUBLICITY)),
    S.PUBLISHED:       R(None,          F,  F,       T,   T,    T,  (A,), _status(S.PUBLISHED)),
    S.REJECTED:        R(None,          F,  F,       T,   T,    T,  (A,), _status(S.REJECTED)),
    S.WITHDRAWN:       R(None,          F,  F,       T,   F,    F,  (A,), _status(S.WITHDRAWN)),
}
del T, F, R, A
# fmt: on


def facts(state) -> StateFacts:
    return STATE_FACTS[state]


def states_where(**wanted) -> tuple:
    """The states whose facts have the given values, in the order of ApplicationState."""
    return tuple(
        s for s in ApplicationState if all(getattr(STATE_FACTS[s], k) == v for k, v in wanted.items())
    )


def states_held_by(role) -> tuple:
    return states_where(holder=role)


# The province's evaluation passed the unit: in publicity or published (通知 二(四)).
EVALUATION_PASSED = (S.PUBLICITY, S.PUBLISHED)
EDITABLE = states_where(applicant_may_edit=True)
BEFORE_PROVINCE = states_where(applicant_may_withdraw=True)
ASSESSOR_CAP_COUNTED = states_where(counts_for_assessor_cap=True)
QUOTA_COUNTED = states_where(counts_for_quota=True)


# A bureau's decisions (通知 二(二): each bureau passes, returns or rejects what it holds), by the
# tab of its queue that lists them: 已通过, 已退回, 未通过.
DECISIONS = {
    "passed": ("county_pass", "city_recommend", "send_to_province"),
    "returned": ("return_for_revision",),
    "rejected": ("reject",),
}
DECISION_KIND = {name: kind for kind, names in DECISIONS.items() for name in names}


# Transitions that belong to a workflow of their own and are fired only from there, never one
# application at a time from the generic page or API (custom={"workflow": …} on the transition):
# the city sends its recommendations with the letter and Annex 2 (通知 三), and the province
# runs publicity, objections and publication as one round (通知 二(四)).
WORKFLOWS = {
    "city_submission": _("报送省经信厅须在“向省报送”页面随推荐函和附件2整批进行。"),
    "publicity": _("公示、异议处理和公布须在公示管理页面进行。"),
}
