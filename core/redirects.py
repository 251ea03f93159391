"""Where a `next` or `back` parameter may send a user: only to this site (the host of the request,
over the scheme it came by). Anything else — another host, a scheme-relative `//evil`, a
`javascript:` URL — falls back to a page of ours."""

from django.utils.http import url_has_allowed_host_and_scheme


def safe_next(request, target: str | None, fallback: str) -> str:
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback
