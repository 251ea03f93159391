"""People in organisations: invitations, roles, deactivation, bureau administrators, unlocking.

Services take keyword-only arguments and the acting user as `by=`; they refuse with a Chinese
reason (AccountError) and send mail only after the transaction commits.
"""

from functools import partial

from axes.models import AccessAttempt
from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from . import roles
from .models import Organisation, OrgRole, User
from .notify import notify
from .tokens import token_revoke


class AccountError(Exception):
    """A rule about people refused the action; the message is the reason the user reads."""

    status = 409

    def __init__(self, message, *, field: str | None = None):
        super().__init__(message)
        self.field = field


def set_password_url(user) -> str:
    """An absolute link that lets `user` choose a password (valid PASSWORD_RESET_TIMEOUT)."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return settings.SITE_URL.rstrip("/") + reverse("password_set", args=[uid, token])


def _mail_set_password(user_pk: int, subject: str, intro: str) -> None:
    user = User.objects.select_related("organisation").get(pk=user_pk)
    body = "\n\n".join(
        [
            _("%(name)s，您好：") % {"name": user.display_name},
            intro,
            _("请在3天内打开以下链接设置登录密码（登录名为您的电子邮箱 %(email)s）：")
            % {"email": user.email},
            set_password_url(user),
            _("如非本人操作，请忽略本邮件。"),
        ]
    )
    notify(subject=subject, body=body, users=[user])


def login_name_for(email: str) -> str:
    return email.strip().lower()


def user_create(*, organisation, email: str, full_name: str, phone: str = "", role=OrgRole.MEMBER) -> User:
    """A person of `organisation` who signs in with their e-mail and sets a password from a mail."""
    username = login_name_for(email)
    if User.objects.filter(Q(username__iexact=username) | Q(email__iexact=username)).exists():
        raise AccountError(
            _("电子邮箱 %(email)s 已有账号，请直接登录或使用“忘记密码”。") % {"email": email}, field="email"
        )
    user = User(
        username=username,
        email=username,
        full_name=full_name.strip(),
        phone=phone.strip(),
        organisation=organisation,
        org_role=role,
    )
    user.set_unusable_password()
    user.save()
    return user


@transaction.atomic
def member_invite(*, by, email: str, full_name: str, role=OrgRole.MEMBER) -> User:
    if not roles.is_org_admin(by):
        raise AccountError(_("只有单位管理员可以邀请同事。"))
    org = by.organisation
    user = user_create(organisation=org, email=email, full_name=full_name, role=role)
    transaction.on_commit(
        partial(
            _mail_set_password,
            user.pk,
            _("邀请您加入%(org)s的平台账号") % {"org": org.name},
            _("%(who)s邀请您以%(role)s身份使用浙江省绿色低碳工业园区和工厂推荐平台，代表%(org)s办理业务。")
            % {"who": by.signature, "role": user.get_org_role_display(), "org": org.name},
        )
    )
    return user


def _member_of(by, user_pk) -> User:
    user = User.objects.filter(pk=user_pk, organisation_id=by.organisation_id).first()
    if user is None:
        raise User.DoesNotExist
    return user


def _other_active_admins(user) -> bool:
    return (
        User.objects.filter(organisation_id=user.organisation_id, org_role=OrgRole.ADMIN, is_active=True)
        .exclude(pk=user.pk)
        .exists()
    )


@transaction.atomic
def member_set_role(*, by, user_pk: int, role: str) -> User:
    if not roles.is_org_admin(by):
        raise AccountError(_("只有单位管理员可以调整同事的角色。"))
    if role not in OrgRole.values:
        raise AccountError(_("请选择角色。"))
    # Lock the organisation's people so two administrators cannot both step down at once.
    list(User.objects.select_for_update().filter(organisation_id=by.organisation_id).values_list("pk"))
    user = _member_of(by, user_pk)
    if role != OrgRole.ADMIN and user.org_role == OrgRole.ADMIN and not _other_active_admins(user):
        raise AccountError(_("每个单位至少要有一名管理员：请先指定另一名管理员。"))
    user.org_role = role
    user.save(update_fields=["org_role"])
    return user


@transaction.atomic
def member_set_active(*, by, user_pk: int, active: bool) -> User:
    if not roles.is_org_admin(by):
        raise AccountError(_("只有单位管理员可以停用或启用账号。"))
    list(User.objects.select_for_update().filter(organisation_id=by.organisation_id).values_list("pk"))
    user = _member_of(by, user_pk)
    if not active and user.org_role == OrgRole.ADMIN and not _other_active_admins(user):
        raise AccountError(_("每个单位至少要有一名管理员：最后一名管理员不能被停用。"))
    user.is_active = active
    user.save(update_fields=["is_active"])
    if not active:
        token_revoke(user)
    return user


@transaction.atomic
def bureau_admin_create(*, by, bureau: Organisation, email: str, full_name: str, phone: str = "") -> User:
    """The level above creates a bureau's administrator: the province for city bureaus (and
    itself), a city bureau's administrator for the county bureaus of its city."""
    q = roles.bureaus_administered_q(by)
    if q is None or not Organisation.objects.filter(q, pk=bureau.pk).exists():
        raise AccountError(_("您不能为该单位创建管理员。"))
    user = user_create(organisation=bureau, email=email, full_name=full_name, phone=phone, role=OrgRole.ADMIN)
    transaction.on_commit(
        partial(
            _mail_set_password,
            user.pk,
            _("%(org)s管理员账号已开通") % {"org": bureau.name},
            _("%(who)s为您开通了%(org)s的管理员账号。") % {"who": by.signature, "org": bureau.name},
        )
    )
    return user


# Lockouts (django-axes). -------------------------------------------------------------------


def locked_attempts(by):
    """The lockouts `by` may lift, newest first: the province all, a bureau administrator those
    of the people in its region."""
    attempts = AccessAttempt.objects.filter(failures_since_start__gte=settings.AXES_FAILURE_LIMIT)
    if roles.is_province(by):
        return attempts.order_by("-attempt_time")
    q = roles.region_q(by, prefix="organisation__") if roles.is_bureau_admin(by) else None
    if q is None:
        return attempts.none()
    usernames = User.objects.filter(q).values("username")
    return attempts.filter(username__in=usernames).order_by("-attempt_time")


def lockout_lift(*, by, attempt_pk: int) -> int:
    attempt = locked_attempts(by).filter(pk=attempt_pk).first()
    if attempt is None:
        raise AccessAttempt.DoesNotExist
    target = User.objects.filter(username=attempt.username).first()
    if not roles.can_unlock(by, target):
        raise AccountError(_("您不能解除该账号的锁定。"))
    return axes_reset(ip=attempt.ip_address, username=attempt.username)


def inbox_mark_read(*, by, message_pk: int | None = None) -> int:
    """Mark one message (or, without a pk, all) of `by`'s inbox as read."""
    messages = by.inbox.filter(read_at__isnull=True)
    if message_pk is not None:
        messages = messages.filter(pk=message_pk)
    with transaction.atomic():
        marked = messages.update(read_at=timezone.now())
        by.inbox_unread = by.inbox.filter(read_at__isnull=True).count()
        User.objects.filter(pk=by.pk).update(inbox_unread=by.inbox_unread)
    return marked
