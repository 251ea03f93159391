"""The notice's rules for sending a city's submission, as django-fsm conditions with the reason a
user reads when one fails (same shape as applications/conditions.py)."""

from django.utils import formats
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from applications.conditions import Contributed, rule
from applications.quota import quota_for
from applications.states import ApplicationKind

from .states import SubmissionDocumentKind
from .units import submission_applications, submission_counts


@rule(_("没有可报送的申报：请先在审核队列中推荐园区或工厂。"))
def has_recommended_units(submission) -> bool:
    return bool(submission_applications(submission))


def _quota_message(submission):
    return _t("%(city)s本批次工厂推荐名额为%(quota)s个，本次报送%(count)d个，超出名额。") % {
        "city": submission.city.name,
        "quota": quota_for(submission.batch, submission.city_id, ApplicationKind.FACTORY) or 0,
        "count": submission_counts(submission)["factories"],
    }


@rule(_quota_message)
def factories_within_quota(submission) -> bool:
    """通知 三 and Annex 1: at most the city's factory quota reaches the province."""
    quota = quota_for(submission.batch, submission.city_id, ApplicationKind.FACTORY) or 0
    return submission_counts(submission)["factories"] <= quota


def _deadline_message(submission):
    deadline = submission.batch.submission_deadline_for(submission.city_id)
    return _t("%(city)s向省经信厅报送的截止日期%(date)s已过，如需报送请联系省经信厅延期。") % {
        "city": submission.city.name,
        "date": formats.date_format(deadline, "DATE_FORMAT"),
    }


@rule(_deadline_message)
def before_city_deadline(submission) -> bool:
    """通知 三: nothing reaches the province after the city's deadline unless it was extended."""
    return submission.batch.is_before_city_deadline(submission.city_id)


@rule(_("请上传盖章后的推荐函扫描件（PDF）。"))
def has_letter_scan(submission) -> bool:
    return submission.has_document(SubmissionDocumentKind.LETTER_SCAN)


@rule(_("请上传盖章后的推荐名单汇总表扫描件（PDF）。"))
def has_table_scan(submission) -> bool:
    return submission.has_document(SubmissionDocumentKind.TABLE_SCAN)


# 通知 三: the city's 动态管理审核意见 go with the letter and Annex 2. The dynamic-management app
# (beside reviews, not below it) contributes its rules here at start-up: no form still in county
# or city review, and the sealed scan of the opinions where the city has managed units.
dynamic_management_ready = Contributed("city_submission_send_dynamic_management")
