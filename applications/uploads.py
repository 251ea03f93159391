"""Streaming upload handler: the size cap is enforced and SHA-256 computed while the bytes arrive.

Installed in settings.FILE_UPLOAD_HANDLERS, so pages and the API alike write an upload to a
temporary file chunk by chunk (never the whole body in memory). Once the bytes pass
settings.UPLOAD_MAX_BYTES the temporary file is deleted, the rest of the request body is read and
discarded, and `request.upload_refused` carries the Chinese reason for the view to show beside the
file field. Nothing is stored.
"""

import hashlib

from django.conf import settings
from django.core.files.uploadhandler import StopUpload, TemporaryFileUploadHandler
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _


def size_message(limit: int) -> str:
    return _("文件超过大小上限%(limit)s，请压缩或拆分后重新上传。") % {"limit": filesizeformat(limit)}


class CappedHashingUploadHandler(TemporaryFileUploadHandler):
    """TemporaryFileUploadHandler that refuses past the cap and hashes as it writes."""

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        self.limit = settings.UPLOAD_MAX_BYTES
        return super().handle_raw_input(input_data, META, content_length, boundary, encoding)

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.digest = hashlib.sha256()
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        limit = getattr(self, "limit", settings.UPLOAD_MAX_BYTES)
        if self.received > limit:
            self.file.close()  # a NamedTemporaryFile: closing deletes it
            self.request.upload_refused = {self.field_name: size_message(limit)}
            # connection_reset=False: Django reads and discards the rest of the body, so the
            # browser gets the page with the message instead of a reset connection.
            raise StopUpload(connection_reset=False)
        self.digest.update(raw_data)
        self.file.write(raw_data)
        return None

    def file_complete(self, file_size):
        upload = super().file_complete(file_size)
        if upload is not None:
            upload.sha256 = self.digest.hexdigest()
        return upload


def refused(request) -> dict[str, str]:
    """{field name: reason} for uploads the handler refused in this request (after request.POST
    or request.FILES has been read)."""
    return getattr(request, "upload_refused", {})
