"""The API's sign-in and sign-out: a throttled token endpoint through django-axes, and revocation."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from .tokens import token_for, token_revoke


def actor_field() -> serializers.CharField:
    """Who acted, in a history the API returns: the person's name as the pages show it (their
    organisation is the history row's `actor_organisation`), never the login name — for people
    who registered, the login name is their e-mail address."""
    return serializers.CharField(
        source="actor.display_name",
        read_only=True,
        help_text=_("操作人姓名（与页面显示一致，不是登录名）；所属单位见 actor_organisation。"),
    )


class TokenObtainView(ObtainAuthToken):
    """POST username + password → token. Throttled per address (scope "token"), and the password
    check runs through django.contrib.auth.authenticate with the underlying HttpRequest, so the
    same django-axes lockout as the login form applies (5 failures per account and address)."""

    # DRF leaves its token view unthrottled; this one counts like the rest of the API as well.
    throttle_classes = [ScopedRateThrottle, *api_settings.DEFAULT_THROTTLE_CLASSES]
    throttle_scope = "token"

    def get_serializer_context(self):
        # django-axes flags a lockout on the request it is given; the middleware reads the flag
        # from Django's HttpRequest, not DRF's wrapper.
        return {**super().get_serializer_context(), "request": self.request._request}

    def post(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return Response({"token": token_for(serializer.validated_data["user"]).key})


class TokenRevokeView(APIView):
    """POST: delete the caller's token (signing out of the API)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={204: None})
    def post(self, request, *args, **kwargs):
        token_revoke(request.user)
        return Response(status=204)
