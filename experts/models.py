"""Who reviews what, and what they said (通知 二(四) 组织专家评审)."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from applications.models import Application


class ExpertAssignment(models.Model):
    """The province asks one expert (a user of an EXPERT organisation) to review one application.

    While the assignment is active (not ended) and the application is in provincial review, the
    expert sees the application through the one gate (`Application.objects.visible_to`). The
    province may end an assignment before the expert has given an opinion."""

    application = models.ForeignKey(
        Application, models.PROTECT, related_name="expert_assignments", verbose_name=_("申报")
    )
    expert = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        related_name="expert_assignments",
        verbose_name=_("评审专家"),
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("指派人")
    )
    assigned_at = models.DateTimeField(_("指派时间"), default=timezone.now)
    ended_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("撤销人"),
    )

    class Meta:
        ordering = ["assigned_at", "pk"]
        verbose_name = _("专家指派")
        verbose_name_plural = _("专家指派")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "expert"],
                condition=Q(ended_at__isnull=True),
                name="one_active_assignment_per_expert_and_application",
            )
        ]

    def __str__(self):
        return f"{self.application_id} → {self.expert}"

    @property
    def is_active(self) -> bool:
        return self.ended_at is None


class ExpertOpinion(models.Model):
    """One expert's opinion on one application: pass or not, an optional score, comments.

    The score is optional: batches that score use it, the others leave it empty. The expert may
    revise the opinion while the application is still in provincial review."""

    assignment = models.OneToOneField(
        ExpertAssignment, models.PROTECT, related_name="opinion", verbose_name=_("专家指派")
    )
    passed = models.BooleanField(_("评审结论：通过"))
    score = models.DecimalField(
        _("评分"),
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    comments = models.TextField(_("评审意见"))
    recorded_at = models.DateTimeField(_("提交时间"), default=timezone.now)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    class Meta:
        ordering = ["recorded_at", "pk"]
        verbose_name = _("专家评审意见")
        verbose_name_plural = _("专家评审意见")
        constraints = [
            models.CheckConstraint(
                name="opinion_score_within_0_100",
                condition=Q(score__isnull=True) | Q(score__gte=0, score__lte=100),
            )
        ]

    def __str__(self):
        return f"{self.assignment} {'✓' if self.passed else '✗'}"
