"""The one PDF check for every upload (documents, sealed scans, objection evidence, dynamic-
management evidence): the file starts with `%PDF-`, and a child process parses it within a
wall-time and memory budget (settings.PDF_CHECK_SECONDS, settings.PDF_CHECK_MEMORY_MB).

A request thread never parses an uploaded PDF itself: a crafted file (padded object streams, a
page tree thousands deep, a stream inflating to gigabytes) can only cost the child its budget,
after which the child is killed and the upload refused with a reason. Encrypted files and files
with JavaScript, launch actions or embedded files are refused by name: the province has to open
them on its own machines.
"""

import multiprocessing
import os
import tempfile

from django.conf import settings
from django.utils.translation import gettext as _

from core.exceptions import InvalidInput

from . import pdf_probe

PDF_MAGIC = b"%PDF-"
CHUNK = 1024 * 1024


def _reasons() -> dict[str, str]:
    unreadable = _("文件无法解析为有效的PDF。")
    return {
        pdf_probe.UNREADABLE: unreadable,
        pdf_probe.TOO_DEEP: unreadable,
        pdf_probe.NO_PAGES: _("文件无法解析为有效的PDF：没有页面。"),
        pdf_probe.ENCRYPTED: _("文件已加密（含空密码加密），请上传未加密的PDF。"),
        pdf_probe.JAVASCRIPT: _("文件含有JavaScript脚本，出于安全原因不予接收，请另存为不含脚本的PDF。"),
        pdf_probe.LAUNCH: _("文件含有启动外部程序的动作，出于安全原因不予接收。"),
        pdf_probe.EMBEDDED: _("文件含有嵌入的附件，出于安全原因不予接收，请将附件单独上传。"),
    }


def refuse(name: str, code: str):
    raise InvalidInput(
        _("“%(name)s”：%(reason)s") % {"name": name, "reason": _reasons().get(code, _reasons()["unreadable"])}
    )


def pdf_page_count(upload) -> int:
    """Check an upload as a PDF within the budget; return its page count or raise InvalidInput."""
    name = getattr(upload, "name", "") or "PDF"
    upload.seek(0)
    head = upload.read(len(PDF_MAGIC))
    upload.seek(0)
    if head != PDF_MAGIC:
        raise InvalidInput(
            _("只能上传 PDF 文件，“%(name)s”不是 PDF（文件须以%%PDF-开头）。") % {"name": name}
        )
    path = getattr(upload, "temporary_file_path", None)
    if path is not None:
        return _probe(path(), name)
    # An upload held in memory (small files, tests): the child reads a private temporary copy.
    with tempfile.NamedTemporaryFile(suffix=".pdf", dir=settings.FILE_UPLOAD_TEMP_DIR or None) as copy:
        upload.seek(0)
        while data := upload.read(CHUNK):
            copy.write(data)
        copy.flush()
        upload.seek(0)
        return _probe(copy.name, name)


_context = None


def _forkserver():
    """One clean, single-threaded process with pypdf loaded, started on first use; every check
    forks its child from it (a fork of a threaded web worker would not be safe)."""
    global _context
    if _context is None:
        context = multiprocessing.get_context("forkserver")
        # "__main__" first: the server imports the main module once, so children need not.
        context.set_forkserver_preload(["__main__", "applications.pdf_probe"])
        _context = context
    return _context


def _probe(path: str, name: str) -> int:
    seconds = settings.PDF_CHECK_SECONDS
    megabytes = settings.PDF_CHECK_MEMORY_MB
    context = _forkserver()
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(
        target=pdf_probe.child, args=(os.fspath(path), seconds, megabytes, sender), daemon=True
    )
    child.start()
    sender.close()
    result = {}
    try:
        # Wall time: past the budget the child is killed, however busy or stuck it is.
        if not receiver.poll(seconds):
            raise InvalidInput(
                _("“%(name)s”：文件无法解析为有效的PDF（解析超过%(seconds)d秒的时限）。")
                % {"name": name, "seconds": seconds}
            )
        try:
            result = receiver.recv()
        except (EOFError, OSError):  # the child died: out of memory or CPU time, or crashed
            result = {}
    finally:
        receiver.close()
        if child.is_alive():
            child.kill()
        child.join()
    if isinstance(result, dict) and isinstance(result.get("pages"), int):
        return result["pages"]
    refuse(name, result.get("refused", pdf_probe.UNREADABLE) if isinstance(result, dict) else "")
