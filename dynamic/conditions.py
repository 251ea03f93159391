"""The notice's rules for the dynamic-management form, as django-fsm conditions with the reason a
user reads when one fails (same shape as applications/conditions.py, whose `rule` they use)."""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from applications.conditions import rule
from applications.indicators import dynamic_rows

from .flags import flag_codes
from .states import PENDING_REVIEW

# Reasons the city may cite that allow a removal to be proposed at any time (the form need not
# have been reviewed): a 重大-or-worse accident or incident, and a form not filed by the deadline.
REMOVAL_ANYTIME_CAUSES = ("major_accident", "major_environmental", "overdue")


@rule(_("请填写单位名称、地址和主要产品或经营范围（园区另填面积和四至范围）。"))
def identity_complete(form) -> bool:
    if not (form.unit_name and form.address and form.scope):
        return False
    return form.kind == "factory" or (form.park_area is not None and bool(form.park_boundary))


@rule(
    _(
        "请如实填写本年度生产经营状况、安全生产和质量事故、突发环境事件、偷税漏税、失信被执行人和节能监察整改情况。"
    )
)
def compliance_answered(form) -> bool:
    return bool(form.operating and form.safety_accident and form.env_incident) and None not in (
        form.tax_evasion,
        form.dishonest,
        form.rectification_unfinished,
    )


def missing_indicators(form) -> list[str]:
    """The labels of the key indicators still missing from the form's three years."""
    return [
        str(r["indicator"].label)
        for r in dynamic_rows(form.kind, form.batch, form.indicators)
        if not r["complete"]
    ]


def _indicators_message(form):
    return gettext("请填写近三年主要指标：%(labels)s") % {"labels": "、".join(missing_indicators(form))}


@rule(_indicators_message)
def indicators_complete(form) -> bool:
    return not missing_indicators(form)


@rule(_("每项变更须上传证明材料（PDF），如更名后的营业执照。"))
def changes_have_evidence(form) -> bool:
    return all(change.evidence_id for change in form.declared_changes())


@rule(_("请上传签字盖章后的动态管理表扫描件（PDF）。"))
def has_signed_form(form) -> bool:
    return form.has_document("signed_form")


@rule(_("请确认材料真实性承诺。"))
def pledged(form) -> bool:
    return form.pledged_at is not None


@rule(_("请选择市级意见：保留、信息变更或建议撤销。"))
def opinion_given(form) -> bool:
    return bool(form.opinion)


@rule(_("建议撤销须选择理由或填写说明。"))
def removal_has_reasons(form) -> bool:
    return form.opinion != "remove" or bool(form.opinion_reasons or form.opinion_text.strip())


@rule(_("信息变更须以单位申报的名称、地址或经营范围变更为依据。"))
def change_has_declared_change(form) -> bool:
    return form.opinion != "change" or bool(form.declared_changes())


@rule(_("随时提出的撤销建议须为“建议撤销”意见。"))
def opinion_is_removal(form) -> bool:
    return form.opinion == "remove"


@rule(_("年度审核之外随时建议撤销，仅限发生重大及以上安全生产、质量事故或突发环境事件，或逾期未报。"))
def removal_cause_present(form) -> bool:
    return bool(set(REMOVAL_ANYTIME_CAUSES) & (set(form.opinion_reasons) | flag_codes(form)))


@rule(_("该单位的动态管理决定已随联合发文公布，不能再退回。"))
def not_yet_published(form) -> bool:
    return form.published_at is None


@rule(_("请选择省级决定：保留、确认变更或撤销。"))
def decision_given(form) -> bool:
    return bool(form.decision)


@rule(_("撤销须填写理由。"))
def removal_decision_has_reason(form) -> bool:
    return form.decision != "remove" or bool(form.decision_reason.strip())


@rule(_("确认变更须有单位申报的变更事项。"))
def change_decision_has_change(form) -> bool:
    return form.decision != "change" or bool(form.declared_changes())


# --- contributed to the city's submission (reviews.conditions.dynamic_management_ready) ------------
# The forms are reached through the batch (`batch.dynamic_forms`): the models import these rules,
# so the rules do not import the models.


def city_pending_forms(batch, city_id):
    """The city's forms still with the county or the city: they keep the city from sending."""
    return batch.dynamic_forms.filter(city_id=city_id, state__in=PENDING_REVIEW)


def city_has_managed_units(batch, city_id) -> bool:
    return batch.dynamic_forms.filter(city_id=city_id).exists()


def _pending_message(submission):

    names = list(city_pending_forms(submission.batch, submission.city_id).values_list("unit_name", flat=True))
    return gettext("本市仍有%(n)d份动态管理表在县级或市级审核中，审核完毕后方可报送：%(names)s") % {
        "n": len(names),
        "names": "、".join(names[:10]) + ("等" if len(names) > 10 else ""),
    }


@rule(_pending_message)
def no_dynamic_form_in_review(submission) -> bool:
    """通知 三: the opinions are sent complete; a form still with the county or the city keeps
    the city from sending."""

    return not city_pending_forms(submission.batch, submission.city_id).exists()


@rule(_("请上传盖章后的动态管理审核意见扫描件（PDF）。"))
def has_dynamic_opinions_scan(submission) -> bool:
    """A city with managed units sends its opinions, sealed; one without sends without them."""

    return not city_has_managed_units(submission.batch, submission.city_id) or submission.has_document(
        "opinions_scan"
    )
