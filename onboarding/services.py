"""Registration and verification: one transaction each, a history row for every verification
step, mail (and inbox) after commit."""

from datetime import timedelta
from functools import partial

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import can_proceed

from accounts import roles
from accounts.models import (
    Assessor,
    AssessorGroup,
    Enterprise,
    Organisation,
    OrganisationKind,
    OrgRole,
    Park,
    User,
    Verification,
    VerificationLog,
)
from accounts.notify import notify
from accounts.people import AccountError, _mail_set_password, user_create
from applications.documents import check_pdf
from core.exceptions import DomainError

from .models import JoinRequest, RegistrationDocument, RegistrationDocumentKind

K = OrganisationKind
DOCUMENT_KIND = {
    K.ENTERPRISE: RegistrationDocumentKind.BUSINESS_LICENCE,
    K.PARK: RegistrationDocumentKind.ESTABLISHING_DOCUMENT,
    K.ASSESSOR: RegistrationDocumentKind.AFFILIATION_EVIDENCE,
}


def _pending(kind, data, **region) -> Organisation:
    return Organisation.objects.create(
        kind=kind,
        name=data["name"].strip(),
        verification=Verification.PENDING,
        registered_at=timezone.now(),
        **region,
    )


def _contacts(data) -> dict:
    return {"contact_name": data["contact_name"], "contact_phone": data["contact_phone"]}


def _create_enterprise(data) -> Organisation:
    county = data["county"]
    org = _pending(K.ENTERPRISE, data, county=county, city_id=county.city_id)
    Enterprise.objects.create(
        organisation=org,
        credit_code=data["credit_code"],
        industry_class=data["industry_class"],
        contact_email=data["email"],
        **_contacts(data),
    )
    return org


def _create_park(data) -> Organisation:
    org = _pending(K.PARK, data, city=data["city"])
    Park.objects.create(
        organisation=org,
        park_type=data["park_type"],
        level=data["level"],
        management_body=data["management_body"].strip(),
        contact_email=data["email"],
        **_contacts(data),
    )
    return org


def _create_assessor(data) -> Organisation:
    org = _pending(K.ASSESSOR, data)
    group = AssessorGroup.objects.filter(name=data["group_name"].strip()).first()
    if group is None:
        group = AssessorGroup.objects.create(
            name=data["group_name"].strip(),
            credit_code=data["group_credit_code"],
            affiliates=data.get("affiliates", "").strip(),
        )
    Assessor.objects.create(organisation=org, credit_code=data["credit_code"], group=group)
    return org


# The kinds of unit that register themselves, and how each is created.
CREATE = {K.ENTERPRISE: _create_enterprise, K.PARK: _create_park, K.ASSESSOR: _create_assessor}


def registration_submit(*, kind: str, data: dict, document) -> User:
    """A unit registers itself with its first user (its administrator). The user gets a mail to
    set a password; the verifying bureau is told a registration waits."""
    pages = check_pdf(document)
    try:
        with transaction.atomic():
            org = CREATE[kind](data)
            user = user_create(
                organisation=org,
                email=data["email"],
                full_name=data["full_name"],
                phone=data["mobile"],
                role=OrgRole.ADMIN,
            )
            RegistrationDocument.store(
                organisation=org, kind=DOCUMENT_KIND[kind], upload=document, pages=pages, by=user
            )
            transaction.on_commit(
                partial(
                    _mail_set_password,
                    user.pk,
                    _("平台账号注册成功：%(org)s") % {"org": org.name},
                    _(
                        "%(org)s已在平台注册，待主管经信局核验。核验前可设置密码、登录并完善单位信息，核验通过后方可提交申报。"
                    )
                    % {"org": org.name},
                )
            )
            transaction.on_commit(partial(_tell_verifiers, org.pk))
    except IntegrityError:
        # Two registrations with one credit code at the same moment: the second loses.
        raise AccountError(_("该统一社会信用代码已被注册。"), field="credit_code") from None
    return user


def verifier_users(org) -> list:
    """The people of the bureau that verifies `org`."""
    return list(User.objects.filter(roles.verifier_users(org), is_active=True))


def _tell_verifiers(org_pk: int) -> None:
    org = Organisation.objects.get(pk=org_pk)
    notify(
        subject=_("新的单位注册待核验：%(org)s") % {"org": org.name},
        body=_("%(org)s（%(kind)s）已在平台注册，请登录平台核验其注册信息和证明材料。")
        % {"org": org.name, "kind": org.get_kind_display()},
        users=verifier_users(org),
        url=reverse("verification-detail", args=[org.pk]),
    )


def _tell_unit(org_pk: int, subject: str, body: str) -> None:
    users = list(User.objects.filter(organisation_id=org_pk, is_active=True))
    notify(subject=subject, body=body, users=users, url=reverse("home"))


def _decide(org, *, by, name: str, comment: str):
    if not roles.is_verifier_of(org, by):
        raise AccountError(_("您不能核验该单位。"))
    with transaction.atomic():
        org = Organisation.objects.select_for_update().get(pk=org.pk)
        if not can_proceed(getattr(org, name)):
            raise AccountError(_("该注册已处理（%(state)s）。") % {"state": org.get_verification_display()})
        source = org.verification
        getattr(org, name)()
        org.verification_note = comment
        org.save(update_fields=["verification", "verification_note"])
        VerificationLog.objects.create(
            organisation=org,
            transition=name,
            source=source,
            target=org.verification,
            actor=by,
            actor_organisation=by.organisation.name,
            comment=comment,
        )
    return org


def organisation_verify(org, *, by, comment: str = "") -> Organisation:
    org = _decide(org, by=by, name="verify", comment=comment.strip())
    transaction.on_commit(
        partial(
            _tell_unit,
            org.pk,
            _("单位注册已通过核验：%(org)s") % {"org": org.name},
            _("%(bureau)s已核验通过%(org)s的注册信息，现在可以提交申报。")
            % {"bureau": by.organisation.name, "org": org.name}
            + (("\n" + _("核验意见：%(c)s") % {"c": org.verification_note}) if org.verification_note else ""),
        )
    )
    return org


def organisation_refuse_check(org, *, by, comment: str) -> str:
    """What organisation_refuse would refuse, refused now with the same reason and nothing
    changed, so the verifier confirms only a refusal that can happen (core.confirm). Returns the
    reason as it will be kept."""
    comment = comment.strip()
    if not comment:
        raise AccountError(_("请填写不予通过的理由，单位将看到该理由。"), field="comment")
    if not roles.is_verifier_of(org, by):
        raise AccountError(_("您不能核验该单位。"))
    if not can_proceed(org.refuse):
        raise AccountError(_("该注册已处理（%(state)s）。") % {"state": org.get_verification_display()})
    return comment


def organisation_refuse(org, *, by, comment: str) -> Organisation:
    comment = organisation_refuse_check(org, by=by, comment=comment)
    org = _decide(org, by=by, name="refuse", comment=comment)
    transaction.on_commit(
        partial(
            _tell_unit,
            org.pk,
            _("单位注册未通过核验：%(org)s") % {"org": org.name},
            _("%(bureau)s未通过%(org)s的注册核验。理由：%(reason)s\n请按理由修改单位信息后重新提交核验。")
            % {"bureau": by.organisation.name, "org": org.name, "reason": comment},
        )
    )
    return org


def organisation_resubmit(*, by) -> Organisation:
    """The unit's administrator asks again after a refusal (having corrected its information)."""
    org = by.organisation
    if not roles.is_org_admin(by) or org.verification != Verification.REFUSED:
        raise AccountError(_("只有未通过核验的单位的管理员可以重新提交核验。"))
    with transaction.atomic():
        org = Organisation.objects.select_for_update().get(pk=org.pk)
        source = org.verification
        org.resubmit()
        org.save(update_fields=["verification"])
        VerificationLog.objects.create(
            organisation=org,
            transition="resubmit",
            source=source,
            target=org.verification,
            actor=by,
            actor_organisation=org.name,
        )
    transaction.on_commit(partial(_tell_verifiers, org.pk))
    return org


class TooManyJoinRequests(DomainError):
    """The address or the unit has had its allowance of join-request mails."""

    status = 429

    def __init__(self, reason, *, field=None):
        super().__init__(reason)
        self.field = field


def join_request_count(*, code: str, ip_address: str) -> None:
    """Count this request against its address and its unit (by credit code, registered or not, so
    the answer tells nothing about who is registered) and refuse it past either limit. In the
    database, in its own transaction before anything is sent: every app server counts the same
    rows. Rows older than a day are dropped here; nothing else reads them."""
    now = timezone.now()
    hour, day = now - timedelta(hours=1), now - timedelta(days=1)
    with transaction.atomic():
        JoinRequest.objects.filter(at__lt=day).delete()
        by_address = JoinRequest.objects.filter(ip_address=ip_address, at__gte=hour).count()
        by_unit = JoinRequest.objects.filter(code=code, at__gte=day, sent=True).count()
        address_limit = settings.JOIN_REQUEST_LIMIT_PER_ADDRESS
        unit_limit = settings.JOIN_REQUEST_LIMIT_PER_UNIT
        sent = by_address < address_limit and by_unit < unit_limit
        JoinRequest.objects.create(code=code, ip_address=ip_address, at=now, sent=sent)
    if by_address >= address_limit:
        raise TooManyJoinRequests(
            _("同一网络地址1小时内最多提交%(limit)d次加入申请，请1小时后再试。") % {"limit": address_limit}
        )
    if by_unit >= unit_limit:
        raise TooManyJoinRequests(
            _("该单位今天已收到%(limit)d次加入申请，请明天再试，或直接联系该单位的平台管理员。")
            % {"limit": unit_limit},
            field="code",
        )


def join_request(
    *, code: str, full_name: str, email: str, mobile: str, ip_address: str, message: str = ""
) -> bool:
    """Someone whose unit is already registered asks that unit's administrators to invite them.
    Refused past the limits per address and per unit (`join_request_count`). Returns whether a
    unit was found; the answer shown is the same either way."""
    code = code.strip().upper()
    join_request_count(code=code, ip_address=ip_address)
    profile = (
        Enterprise.objects.filter(credit_code=code).first()
        or Assessor.objects.filter(credit_code=code).first()
    )
    if profile is None:
        return False
    admins = list(
        User.objects.filter(organisation_id=profile.organisation_id, org_role=OrgRole.ADMIN, is_active=True)
    )
    body = _(
        "%(name)s（电子邮箱 %(email)s，手机 %(mobile)s）申请以本单位人员身份使用平台。"
        "如确认是本单位人员，请登录平台在“本单位人员”页面邀请其加入。"
    ) % {"name": full_name, "email": email, "mobile": mobile}
    if message:
        body += "\n" + _("留言：%(m)s") % {"m": message}
    transaction.on_commit(
        partial(
            notify,
            subject=_("%(name)s申请加入本单位") % {"name": full_name},
            body=body,
            users=admins,
            url=reverse("members"),
        )
    )
    return True
