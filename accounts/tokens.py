"""API tokens that expire, and the token endpoint that goes through django-axes.

A token older than settings.API_TOKEN_DAYS is refused and deleted; asking for a token again gives
a fresh one. Signing out (web or API) deletes the user's token.
"""

import datetime

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token


def token_expired(token: Token, now=None) -> bool:
    now = now or timezone.now()
    return token.created < now - datetime.timedelta(days=settings.API_TOKEN_DAYS)


def token_for(user) -> Token:
    """The user's valid token: an expired one is replaced."""
    token = Token.objects.filter(user=user).first()
    if token is not None and token_expired(token):
        token.delete()
        token = None
    return token or Token.objects.create(user=user)


def token_revoke(user) -> int:
    """Sign-out: the user's API token stops working at once."""
    return Token.objects.filter(user=user).delete()[0]


class ExpiringTokenAuthentication(TokenAuthentication):
    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)
        if token_expired(token):
            token.delete()
            raise exceptions.AuthenticationFailed(_("令牌已过期，请重新获取。"))
        return user, token
