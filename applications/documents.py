"""Uploading documents: PDF only, checked by content, size-capped, hashed while streamed, stored
under a generated name, never overwritten."""

import hashlib
import uuid

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from pypdf import PdfReader
from pypdf.errors import PdfReadError

from core.exceptions import Forbidden, InvalidInput

from . import rules
from .models import Document, DocumentKind

PDF_MAGIC = b"%PDF-"
CHUNK = 1024 * 1024


class HashingFile(File):
    """Wraps an upload so that whatever the storage backend reads also feeds SHA-256 and the
    byte count: one pass over the data, in chunks."""

    def __init__(self, file):
        super().__init__(file, name=getattr(file, "name", None))
        self.digest = hashlib.sha256()
        self.bytes_read = 0

    def read(self, size=-1):
        data = self.file.read(size)
        self.digest.update(data)
        self.bytes_read += len(data)
        return data

    def chunks(self, chunk_size=None):
        self.seek(0)
        while data := self.read(chunk_size or CHUNK):
            yield data

    @property
    def size(self):
        return self.file.size


def check_pdf(upload) -> int:
    """Refuse anything that is not a readable PDF; return its page count."""
    limit = settings.UPLOAD_MAX_BYTES
    if upload.size > limit:
        raise InvalidInput(
            _("文件大小为%(size)s，超过上限%(limit)s，请压缩后重新上传。")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)}
        )
    upload.seek(0)
    head = upload.read(1024)
    upload.seek(0)
    if PDF_MAGIC not in head:
        raise InvalidInput(_("只能上传 PDF 文件，“%(name)s”不是 PDF。") % {"name": upload.name})
    try:
        pages = len(PdfReader(upload).pages)
    except (PdfReadError, ValueError, KeyError, TypeError, OSError):
        raise InvalidInput(
            _("“%(name)s”无法作为 PDF 打开，文件可能已损坏。") % {"name": upload.name}
        ) from None
    finally:
        upload.seek(0)
    if pages < 1:
        raise InvalidInput(_("“%(name)s”没有页面。") % {"name": upload.name})
    return pages


def new_stored_name() -> str:
    """A generated file name: the uploader's name is kept only as data, never as a path."""
    return f"{uuid.uuid4().hex}.pdf"


def save_pdf(field_file, stored_name: str, upload) -> str:
    """Store a checked PDF upload in `field_file` under `stored_name`; return its SHA-256.

    Streamed by uploads.CappedHashingUploadHandler, the upload was hashed on arrival and the
    storage moves its temporary file into place instead of copying it; otherwise it is hashed
    while the storage reads it. Either way the data passes once, in chunks."""
    streamed = hasattr(upload, "sha256") and hasattr(upload, "temporary_file_path")
    content = upload if streamed else HashingFile(upload)
    field_file.save(stored_name, content, save=False)
    return upload.sha256 if streamed else content.digest.hexdigest()


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
