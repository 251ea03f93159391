"""Registration documents: the business licence, a park's establishing document, an assessor's
evidence of its affiliates — PDFs checked and stored like an application's documents."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from applications.models import VersionedPdf


class RegistrationDocumentKind(models.TextChoices):
    BUSINESS_LICENCE = "business_licence", _("营业执照")
    ESTABLISHING_DOCUMENT = "establishing_document", _("园区设立批复文件")
    AFFILIATION_EVIDENCE = "affiliation_evidence", _("法人主体及关联单位证明材料")


def registration_document_path(instance, filename):
    return f"registrations/{instance.organisation_id}/{instance.stored_name}"


class RegistrationDocument(VersionedPdf):
    organisation = models.ForeignKey(
        Organisation, models.PROTECT, related_name="registration_documents", verbose_name=_("单位")
    )
    kind = models.CharField(_("材料类型"), max_length=30, choices=RegistrationDocumentKind.choices)
    file = models.FileField(_("文件"), upload_to=registration_document_path, max_length=200)

    class Meta:
        ordering = ["kind", "-version"]
        verbose_name = _("注册材料")
        verbose_name_plural = _("注册材料")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "kind", "version"], name="one_registration_document_version"
            )
        ]
