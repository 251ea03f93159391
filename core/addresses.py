"""The address an anonymous post is counted by (objections, join requests)."""

from django.conf import settings


def client_address(request) -> str:
    """REMOTE_ADDR unless the deployment sits behind a proxy it names in settings
    (TRUSTED_PROXY_HEADER, e.g. HTTP_X_REAL_IP; OBJECTION_TRUSTED_PROXY_HEADER is its older name).
    Only a header the deployment's own proxy sets may be trusted: a client can send any header."""
    header = getattr(settings, "TRUSTED_PROXY_HEADER", "") or getattr(
        settings, "OBJECTION_TRUSTED_PROXY_HEADER", ""
    )
    if header and request.META.get(header):
        return request.META[header].split(",")[0].strip()
    return request.META.get("REMOTE_ADDR") or "0.0.0.0"
