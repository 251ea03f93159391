"""The notice's rules as django-fsm transition conditions.

Each condition is a predicate on the application, named after the rule it enforces, with the
reason (in Chinese, translatable) a user is shown when it fails. The numbers come from the batch.
"""

from django.core.exceptions import ImproperlyConfigured
from django.utils import formats
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .states import ApplicationKind


def rule(message):
    """Attach the reason shown when the condition fails: a string, or a function of the
    application for reasons that quote the batch's numbers."""

    def decorate(fn):
        fn.message = message
        return fn

    return decorate


def reason(condition, application) -> str:
    message = condition.message
    return str(message(application) if callable(message) else message)


def unmet(application, fsm_transition) -> list[str]:
    """The reasons of every condition of `fsm_transition` that the application does not meet."""
    return [reason(c, application) for c in _each(fsm_transition.conditions) if not c(application)]


def _each(conditions):
    for c in conditions:
        if isinstance(c, Contributed):
            yield from c.conditions
        else:
            yield c


class Contributed:
    """A place in a transition's conditions for rules an app above applications owns.

    applications may not import the apps above it (docs/decisions/0008-layers-and-roles.md), yet
    some of the notice's rules for its transitions are about their records: publication needs
    publicity without a standing objection (publicity), publicity needs every assigned expert's
    opinion (experts). Those apps add their conditions here when Django starts (AppConfig.ready),
    so the transition itself carries them and no caller can skip them. Until one is added the
    transition is refused with an error, never silently allowed."""

    def __init__(self, name: str):
        self.name = name
        self.conditions: list = []
        self.__name__ = f"contributed_{name}"

    def add(self, condition) -> None:
        if condition not in self.conditions:
            self.conditions.append(condition)

    def __call__(self, application) -> bool:
        if not self.conditions:
            raise ImproperlyConfigured(f"No condition contributed to {self.name}: is its app installed?")
        return all(c(application) for c in self.conditions)


# The rules of other apps that the publicity transitions carry (通知 二(四)).
before_publicity = Contributed("start_publicity")  # experts: every assigned expert has given an opinion
before_publication = Contributed("publish")  # publicity: no standing objection


@rule(_("本批次已停止接受申报。"))
def batch_accepts_applications(application) -> bool:
    return application.batch.accepting_applications


@rule(_("请上传自评价报告（PDF）。"))
def has_self_evaluation_report(application) -> bool:
    from .models import DocumentKind

    return application.has_document(DocumentKind.SELF_EVALUATION_REPORT)


@rule(_("已委托第三方评价机构，请上传其签署的承诺书（PDF）。"))
def has_commitment_letter_if_assessor(application) -> bool:
    from .models import DocumentKind

    return application.assessor_id is None or application.has_document(DocumentKind.COMMITMENT_LETTER)


@rule(_("本批次须委托第三方评价机构开展自评价，请选择评价机构。"))
def assessor_named_if_required(application) -> bool:
    return application.assessor_id is not None or not application.batch.assessor_required


def _indicators_message(application):
    from .indicators import missing

    return gettext("请填写主要指标：%(list)s。") % {"list": "、".join(missing(application))}


@rule(_indicators_message)
def indicators_complete(application) -> bool:
    """通知 二(一): the self-evaluation gives the key indicators, and reviewers compare them with
    their benchmarks (导则, 通知 一(二)); a unit learns what is missing before the county sees a
    blank form."""
    from .indicators import missing

    return not missing(application)


def _cap_message(application):
    from .selectors import assessor_group_usage

    group = application.assessor.group
    return gettext(
        "%(group)s（含关联单位）本批次评价项目已达上限%(cap)d项（已有%(used)d项），请选择其他评价机构。"
    ) % {
        "group": group.name,
        "cap": application.batch.assessor_cap,
        "used": assessor_group_usage(application.batch, group, exclude=application),
    }


@rule(_cap_message)
def assessor_cap_not_reached(application) -> bool:
    """通知 二(一): one legal entity with its affiliates carries at most the batch's cap of
    evaluations. This application may join only if the others already counted are fewer."""
    from .selectors import assessor_group_usage

    if application.assessor_id is None:
        return True
    group = application.assessor.group
    return (
        assessor_group_usage(application.batch, group, exclude=application) < application.batch.assessor_cap
    )


def _eligibility_message(application):
    return "；".join(application.eligibility_problems()) + "。"


@rule(_eligibility_message)
def unit_is_eligible(application) -> bool:
    """通知 一(一)、一(二): factories must be city-level green factories; parks must meet the four
    park conditions."""
    return not application.eligibility_problems()


def _quota_message(application):
    from .selectors import quota_for, quota_used

    quota = quota_for(application.batch, application.city_id, application.kind)
    used = quota_used(application.batch, application.city_id, application.kind, exclude=application)
    if quota is None:
        return gettext("本批次未给%(city)s分配推荐名额。") % {"city": application.city.name}
    what = gettext("工厂") if application.kind == ApplicationKind.FACTORY else gettext("园区")
    return gettext("%(city)s本批次%(what)s推荐名额为%(quota)d个，已推荐%(used)d个，名额已满。") % {
        "city": application.city.name,
        "what": what,
        "quota": quota,
        "used": used,
    }


@rule(_quota_message)
def within_city_quota(application) -> bool:
    """通知 三 and Annex 1: a city recommends at most its quota in the batch. Parks are limited only
    where the batch sets a park quota."""
    from .selectors import quota_for, quota_used

    quota = quota_for(application.batch, application.city_id, application.kind)
    if quota is None:
        # No park quota set means parks are not limited; a factory without a quota row is.
        return application.kind == ApplicationKind.PARK
    return quota_used(application.batch, application.city_id, application.kind, exclude=application) < quota


def _deadline_message(application):
    deadline = application.batch.submission_deadline_for(application.city_id)
    return gettext("%(city)s向省经信厅报送的截止日期%(date)s已过，如需报送请联系省经信厅延期。") % {
        "city": application.city.name,
        "date": formats.date_format(deadline, "DATE_FORMAT"),
    }


@rule(_deadline_message)
def before_city_deadline(application) -> bool:
    """通知 三: cities send by the batch's deadline unless the province extended theirs."""
    return application.batch.is_before_city_deadline(application.city_id)


@rule(_("公示期尚未结束。"))
def publicity_period_over(application) -> bool:
    from django.utils import timezone

    return application.publicity_ends_on is not None and timezone.localdate() > application.publicity_ends_on
