"""One way to hand a file to the browser: every download of the portal goes through `download`."""

from django.http import FileResponse, HttpResponse
from django.utils.http import content_disposition_header

PDF = "application/pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def download(content, *, filename: str, content_type: str, inline: bool = False) -> HttpResponse:
    """`content` (bytes, or an open file, streamed) as a response named `filename`.

    The name goes through Django's content_disposition_header, so Chinese names arrive intact
    (RFC 6266 filename*=utf-8''…); `inline` opens PDFs in the browser instead of saving them.
    nosniff keeps a browser from guessing another type than the one declared."""
    if hasattr(content, "read"):
        response = FileResponse(content, content_type=content_type)
    else:
        response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(as_attachment=not inline, filename=filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response
