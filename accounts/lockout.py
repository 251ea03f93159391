"""What a locked-out person sees (django-axes' AXES_LOCKOUT_CALLABLE): the login page with the
reason in Chinese, or a JSON answer for the API; HTTP 429 either way."""

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


def lockout_message() -> str:
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return _(
        "密码连续输错%(limit)d次，该账号已在本地址被锁定%(minutes)d分钟。"
        "请稍后再试，或请本单位所属经信局的管理员（或省经信厅）解除锁定；忘记密码可通过“忘记密码”重设。"
    ) % {"limit": settings.AXES_FAILURE_LIMIT, "minutes": minutes}


def lockout_response(request, original_response=None, credentials=None):
    message = lockout_message()
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message}, status=429)
    return render(request, "registration/locked_out.html", {"message": message}, status=429)
