"""One way to hand a file to the browser: every download of the portal goes through `download`
(bytes or an open file) or `stored_download` (a file in storage).

With `settings.DOWNLOADS_X_ACCEL_REDIRECT` unset (development, tests) a stored file is streamed
by Django. Set it to the internal location nginx maps onto MEDIA_ROOT (deploy/nginx/greenmfg.conf:
`location /protected-media/ { internal; alias …; }`) and the app answers with an empty response
carrying `X-Accel-Redirect`: nginx sends the bytes and the app server's worker is free at once.
The location is `internal`, so nobody reaches a file without passing a view's gate first.
"""

from urllib.parse import quote

from django.conf import settings
from django.core.files.storage import default_storage
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


def stored_download(
    name: str, *, filename: str, content_type: str, inline: bool = False, stream: bool = True
) -> HttpResponse:
    """The stored file `name` (a storage name) as a response named `filename`: through nginx's
    X-Accel-Redirect when configured, else streamed (`stream`) or, for small generated
    documents, read in one piece."""
    prefix = getattr(settings, "DOWNLOADS_X_ACCEL_REDIRECT", "")
    if prefix:
        response = download(b"", filename=filename, content_type=content_type, inline=inline)
        response["X-Accel-Redirect"] = prefix.rstrip("/") + "/" + quote(name)
        return response
    if stream:
        return download(
            default_storage.open(name, "rb"), filename=filename, content_type=content_type, inline=inline
        )
    with default_storage.open(name, "rb") as fh:
        return download(fh.read(), filename=filename, content_type=content_type, inline=inline)
