"""The dynamic-management form's states and the one table of what each state means.

Kept apart from models.py so that rules, flags and conditions can name states without importing
models. FORM_STATE_FACTS has the shape of applications/states.py's table (a second workflow gets
its own table of the same shape): who holds the form, whether the unit may edit it, whether the
bureaus see it in their queues, whether it keeps the city from sending its submission, who is
told on entry, and what the unit reads.
"""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.roles import APPLICANT, CITY_BUREAU, COUNTY_BUREAU, Role


class FormKind(models.TextChoices):
    FACTORY = "factory", _("绿色低碳工厂")
    PARK = "park", _("绿色低碳工业园区")


class FormState(models.TextChoices):
    DRAFT = "draft", _("填报中")
    RETURNED = "returned", _("退回修改")
    COUNTY_REVIEW = "county_review", _("县级审核")
    CITY_REVIEW = "city_review", _("市级审核")
    CITY_DONE = "city_done", _("市级已出具意见")
    DECIDED = "decided", _("省级已决定")


S = FormState


@dataclass(frozen=True)
class FormStateFacts:
    # The bureau working on the form (a roles.Role): it may pass it on or return it; None while
    # the unit holds it or once the city has given its opinion.
    holder: Role | None
    # The unit may change the form's data, upload and submit.
    unit_may_edit: bool
    # Still in review: the city may not send its submission while any of its forms is here
    # (通知 三: the opinions go with the letter and Annex 2).
    pending_review: bool
    # Told by mail when a form enters the state.
    notify_on_entry: tuple[Role, ...]
    # What the unit reads about where its form is.
    unit_label: str


_FILL = _("请填写动态管理表并在截止日期前提交。")
_RETURNED = _("动态管理表被退回，请按意见修改后重新提交。")
_WITH_COUNTY = _("已提交，等待县（市、区）经信局审核。")
_WITH_CITY = _("已提交，等待设区市经信局审核。")
_CITY_DONE = _("设区市经信局已出具动态管理审核意见。")
_DECIDED = _("省经信厅已作出动态管理决定。")

# fmt: off
T, F, R, A = True, False, FormStateFacts, APPLICANT
FORM_STATE_FACTS: dict[str, FormStateFacts] = {
    #                  holder         edit pending told on entry       unit reads
    S.DRAFT:         R(None,          T,   F,      (),                 _FILL),
    S.RETURNED:      R(None,          T,   F,      (A,),               _RETURNED),
    S.COUNTY_REVIEW: R(COUNTY_BUREAU, F,   T,      (COUNTY_BUREAU,),   _WITH_COUNTY),
    S.CITY_REVIEW:   R(CITY_BUREAU,   F,   T,      (CITY_BUREAU,),     _WITH_CITY),
    S.CITY_DONE:     R(None,          F,   F,      (A,),               _CITY_DONE),
    S.DECIDED:       R(None,          F,   F,      (A,),               _DECIDED),
}
# fmt: on


def states_where(**facts) -> tuple[str, ...]:
    return tuple(s for s, f in FORM_STATE_FACTS.items() if all(getattr(f, k) == v for k, v in facts.items()))


EDITABLE = states_where(unit_may_edit=True)
PENDING_REVIEW = states_where(pending_review=True)
# The city may still propose removal, before its own review has ended (通知 一(三): after a
# 重大 accident at any time of the year).
BEFORE_CITY_OPINION = (S.DRAFT, S.RETURNED, S.COUNTY_REVIEW, S.CITY_REVIEW)


class Opinion(models.TextChoices):
    KEEP = "keep", _("保留")
    CHANGE = "change", _("信息变更")
    REMOVE = "remove", _("建议撤销")


class Decision(models.TextChoices):
    KEEP = "keep", _("保留")
    CHANGE = "change", _("确认变更")
    REMOVE = "remove", _("撤销")


class Operating(models.TextChoices):
    NORMAL = "normal", _("正常生产经营")
    DEREGISTERED = "deregistered", _("已注销")
    STOPPED = "stopped", _("停产12个月及以上")
    ABNORMAL = "abnormal", _("列入经营异常名录")


class Accident(models.TextChoices):
    NONE = "none", _("无")
    GENERAL = "general", _("一般")
    LARGER = "larger", _("较大")
    MAJOR = "major", _("重大及以上")


class EnvIncident(models.TextChoices):
    NONE = "none", _("无")
    GENERAL = "general", _("一般")
    LARGER = "larger", _("较大")
    MAJOR = "major", _("重大")
    EXTRA = "extra", _("特别重大")


class ChangeField(models.TextChoices):
    NAME = "name", _("单位名称")
    CREDIT_CODE = "credit_code", _("统一社会信用代码")
    ADDRESS = "address", _("地址")
    SCOPE = "scope", _("主要产品或经营范围")
    BOUNDARY = "boundary", _("园区面积或边界")
