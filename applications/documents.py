"""Uploading documents: PDF only, checked by content, size-capped, hashed while streamed, stored
under a generated name, never overwritten."""

from django.conf import settings
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from core.exceptions import Forbidden, InvalidInput

from . import rules
from .models import Document, DocumentKind
from .pdf_check import pdf_page_count


def check_pdf(upload) -> int:
    """Refuse anything that is not a readable, harmless PDF within the size cap and the parsing
    budget (applications/pdf_check.py); return its page count."""
    limit = settings.UPLOAD_MAX_BYTES
    if upload.size > limit:
        raise InvalidInput(
            _("文件大小为%(size)s，超过上限%(limit)s，请压缩后重新上传。")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)}
        )
    return pdf_page_count(upload)


def document_upload(*, application, kind: str, upload, by) -> Document:
    if not rules.can_upload(application, by):
        if application.is_editable:
            raise Forbidden(_("您没有权限为该申报上传材料。"))
        raise InvalidInput(_("申报已提交，不能再上传材料。"))
    if kind not in DocumentKind.values:
        raise InvalidInput(_("请选择材料类型。"))
    pages = check_pdf(upload)
    with transaction.atomic():
        # Lock the application row so two uploads of one kind get distinct version numbers.
        type(application).objects.select_for_update().filter(pk=application.pk).values_list("pk").first()
        document = Document.store(application=application, kind=kind, upload=upload, pages=pages, by=by)
    return document
