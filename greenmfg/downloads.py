"""Serving a stored file once the caller has passed the visibility gate.

With `settings.DOWNLOADS_X_ACCEL_REDIRECT` unset (development, tests) Django streams the file
from storage. Set it to the internal location nginx maps onto MEDIA_ROOT (deploy/nginx/greenmfg.conf:
`location /protected-media/ { internal; alias …; }`) and the app answers with an empty response
carrying `X-Accel-Redirect`: nginx sends the bytes, the app server's worker is free at once. The
location is `internal`, so nobody reaches a file without passing through a view first.
"""

from urllib.parse import quote

from django.conf import settings
from django.core.files.storage import default_storage
from django.http import FileResponse, HttpResponse
from django.utils.http import content_disposition_header


def stored_file_response(
    name: str, *, content_type: str, filename: str, inline: bool = False, stream: bool = True, storage=None
):
    """The response for the stored file `name` (a storage name), offered as `filename`. Small
    generated documents pass `stream=False` and are answered in one piece."""
    storage = storage or default_storage
    prefix = getattr(settings, "DOWNLOADS_X_ACCEL_REDIRECT", "")
    if prefix:
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = prefix.rstrip("/") + "/" + quote(name)
    elif stream:
        response = FileResponse(storage.open(name, "rb"), content_type=content_type)
    else:
        with storage.open(name, "rb") as fh:
            response = HttpResponse(fh.read(), content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(as_attachment=not inline, filename=filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response
