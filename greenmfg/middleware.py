"""Request-level guards and response headers Django has no setting for."""

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render

from applications.uploads import size_message

# Room for the form's other fields and the multipart boundaries around the file.
FORM_OVERHEAD_BYTES = 256 * 1024


class PermissionsPolicyMiddleware:
    """Permissions-Policy on every response (settings.PERMISSIONS_POLICY)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


class UploadSizeLimitMiddleware:
    """Refuse a request whose declared body (Content-Length) is larger than the upload cap plus
    the form's overhead, before anything reads the body: 413 with the reason, at the cost of a
    header check instead of reading hundreds of MB to discard them. Bodies that lie about their
    length or come chunked are still capped while they stream (applications.uploads). In
    production nginx refuses them even earlier (client_max_body_size, deploy/nginx)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        if declared > settings.UPLOAD_MAX_BYTES + FORM_OVERHEAD_BYTES:
            message = size_message(settings.UPLOAD_MAX_BYTES)
            if request.path.startswith("/api/"):
                return JsonResponse(
                    {"detail": message, "file": [message]},
                    status=413,
                    json_dumps_params={"ensure_ascii": False},
                )
            return render(request, "upload_too_large.html", {"message": message}, status=413)
        return self.get_response(request)
