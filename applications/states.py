"""The application's states and the groups the rest of the code asks about.

Kept apart from models.py so that rules and conditions can name states without importing models.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ApplicationKind(models.TextChoices):
    FACTORY = "factory", _("绿色低碳工厂")
    PARK = "park", _("绿色低碳工业园区")


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

# The applicant may edit (self-evaluation, or returned for revision).
EDITABLE = (S.DRAFT, S.RETURNED)
# Waiting for a bureau or the province to act.
IN_REVIEW = (S.COUNTY_REVIEW, S.CITY_REVIEW, S.RECOMMENDED, S.PROVINCE_REVIEW, S.PUBLICITY)
# The applicant may still withdraw: the province does not have it yet (通知 二(二)).
BEFORE_PROVINCE = (S.DRAFT, S.RETURNED, S.COUNTY_REVIEW, S.CITY_REVIEW, S.RECOMMENDED)
# An assessor's evaluation counts against its group's cap from first submission on, whatever
# happens next, except withdrawal; drafts do not count. See README "Assessor cap".
ASSESSOR_CAP_COUNTED = (
    S.RETURNED,
    S.COUNTY_REVIEW,
    S.CITY_REVIEW,
    S.RECOMMENDED,
    S.PROVINCE_REVIEW,
    S.PUBLICITY,
    S.PUBLISHED,
    S.REJECTED,
)
TERMINAL = (S.PUBLISHED, S.REJECTED, S.WITHDRAWN)


# Transitions that belong to a workflow of their own and are fired only from there, never one
# application at a time from the generic page or API (custom={"workflow": …} on the transition):
# the city sends its recommendations with the letter and Annex 2 (通知 三), and the province
# runs publicity, objections and publication as one round (通知 二(四)).
WORKFLOWS = {
    "city_submission": _("报送省经信厅须在“向省报送”页面随推荐函和附件2整批进行。"),
    "publicity": _("公示、异议处理和公布须在公示管理页面进行。"),
}
