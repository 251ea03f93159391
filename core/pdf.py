"""The one place HTML becomes PDF. WeasyPrint fetches nothing on its own: its URL fetcher serves
the project's own static files (stylesheets, images) and refuses every other address — no
network, no file:// path, no data the template did not get from us."""

import mimetypes
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from weasyprint import CSS, HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

# Templates name static files as {% static '…' %}; resolved against this base they become
# addresses the fetcher recognises. The host is reserved (.invalid): nothing is ever fetched.
BASE_URL = "https://greenmfg.invalid/"


class StaticOnlyFetcher(URLFetcher):
    def __init__(self):
        super().__init__(allowed_protocols={"https"}, allow_redirects=False)

    def fetch(self, url, headers=None):
        parts = urlsplit(url)
        prefix = "/" + settings.STATIC_URL.lstrip("/")
        if f"{parts.scheme}://{parts.netloc}/" != BASE_URL or not parts.path.startswith(prefix):
            raise ValueError(f"Only the portal's static files may be fetched, not {url!r}")
        relative = unquote(parts.path[len(prefix) :])
        found = finders.find(relative) if ".." not in relative.split("/") else None
        if not found:
            raise ValueError(f"No such static file: {relative!r}")
        with open(found, "rb") as fh:
            body = fh.read()
        content_type = mimetypes.guess_type(found)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body, {"Content-Type": content_type})


def html_to_pdf(html: str, *, stylesheets: tuple[str, ...] = ()) -> bytes:
    """Render `html`; `stylesheets` are static paths (e.g. "css/print.css")."""
    fetcher = StaticOnlyFetcher()
    sheets = [CSS(filename=finders.find(path), url_fetcher=fetcher) for path in stylesheets]
    return HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher).write_pdf(stylesheets=sheets)
