"""Storing a checked PDF: under a generated name, hashed while it is written, never overwritten.

Below the models (VersionedPdf.store uses it) and above nothing of the app; the check of the PDF
itself is documents.check_pdf."""

import hashlib
import uuid

from django.core.files import File

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
