"""The city submission's states and the kinds of its sealed scans: below the models, so the
conditions (which the models import) can name them."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SubmissionState(models.TextChoices):
    DRAFT = "draft", _("待报送")
    SENT = "sent", _("已报送")


class SubmissionDocumentKind(models.TextChoices):
    LETTER_SCAN = "letter_scan", _("推荐函（盖章扫描件）")
    TABLE_SCAN = "table_scan", _("推荐名单汇总表（盖章扫描件）")
    DYNAMIC_OPINIONS_SCAN = "opinions_scan", _("动态管理审核意见（盖章扫描件）")
