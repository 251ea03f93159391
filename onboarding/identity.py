"""Identity is verified data: a verified unit's name, credit code and region change only by a
request that its verifying bureau approves — or the province, while one of its applications is
past the county or once published (dynamic management's 信息变更)."""

from functools import partial

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from django_fsm import can_proceed

from accounts import roles
from accounts.models import Enterprise, Organisation, User
from accounts.notify import notify
from accounts.people import AccountError
from applications.models import Application
from applications.states import ApplicationState as S

from .models import IdentityChange, IdentityChangeLog, IdentityChangeState

# Past the county: the city or the province holds it, or it is published.
PAST_COUNTY = (S.CITY_REVIEW, S.RECOMMENDED, S.PROVINCE_REVIEW, S.PUBLICITY, S.PUBLISHED)


def _past_county(org_ref):
    return Exists(Application.objects.filter(unit=org_ref, state__in=PAST_COUNTY))


def province_decides(org) -> bool:
    return (
        roles.verified_by_province(org)
        or Application.objects.filter(unit=org, state__in=PAST_COUNTY).exists()
    )


def can_decide(change, user) -> bool:
    org = change.organisation
    if province_decides(org):
        return roles.is_province(user)
    return roles.is_verifier_of(org, user)


def changes_to_decide(user):
    """Pending identity changes `user` decides (constant queries)."""
    qs = IdentityChange.objects.filter(state=IdentityChangeState.PENDING).annotate(
        past_county=_past_county(OuterRef("organisation"))
    )
    if roles.is_province(user):
        return qs.filter(Q(past_county=True) | roles.verified_by_province_q("organisation__"))
    q = roles.verifiable_q(user)
    if q is None:
        return qs.none()
    verifiable = Organisation.objects.filter(q).values("pk")
    return qs.filter(past_county=False, organisation__in=verifiable)


def change_for(user, pk) -> IdentityChange:
    try:
        return (
            changes_to_decide(user)
            .select_related("organisation", "county", "city", "requested_by")
            .get(pk=pk)
        )
    except (IdentityChange.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


@transaction.atomic
def identity_change_request(
    *, by, name: str, reason: str, credit_code="", county=None, city=None
) -> IdentityChange:
    org = by.organisation
    if not roles.is_assessor_admin_or_applicant_admin(by):
        raise AccountError(_("只有本单位管理员可以申请变更单位信息。"))
    if org.identity_changes.filter(state=IdentityChangeState.PENDING).exists():
        raise AccountError(_("已有一项变更申请在审核中，请等待审核结果。"))
    profile = getattr(org, "enterprise", None) or getattr(org, "assessor", None)
    change = IdentityChange.objects.create(
        organisation=org,
        name=name.strip(),
        credit_code=credit_code.strip().upper(),
        county=county,
        city=city,
        old_name=org.name,
        old_credit_code=profile.credit_code if profile is not None else "",
        reason=reason.strip(),
        requested_by=by,
    )
    transaction.on_commit(partial(_tell_deciders, change.pk))
    return change


def _deciders(change) -> list:
    org = change.organisation
    if province_decides(org):
        return list(User.objects.filter(roles.province_users(), is_active=True))
    return list(User.objects.filter(roles.verifier_users(org), is_active=True))


def _tell_deciders(change_pk: int) -> None:
    change = IdentityChange.objects.select_related("organisation").get(pk=change_pk)
    notify(
        subject=_("单位信息变更待审核：%(org)s") % {"org": change.old_name},
        body=_("%(org)s申请将单位信息变更为“%(name)s”。原因：%(reason)s")
        % {"org": change.old_name, "name": change.name, "reason": change.reason},
        users=_deciders(change),
        url=reverse("identity-change-detail", args=[change.pk]),
    )


def identity_change_refuse_check(change, *, by, comment: str) -> str:
    """What identity_change_decide would refuse of a 不同意, refused now with the same reason and
    nothing changed, so the decider confirms only a refusal that can happen (core.confirm).
    Returns the reason as it will be kept."""
    comment = comment.strip()
    if not comment:
        raise AccountError(_("请填写不同意的理由，单位将看到该理由。"), field="comment")
    if not can_decide(change, by):
        raise AccountError(_("该变更申请应由省经信厅审核。"))
    if not can_proceed(change.refuse):
        raise AccountError(_("该变更申请已处理。"))
    return comment


def identity_change_decide(change, *, by, approve: bool, comment: str = "") -> IdentityChange:
    comment = comment.strip()
    if not approve:
        comment = identity_change_refuse_check(change, by=by, comment=comment)
    with transaction.atomic():
        change = IdentityChange.objects.select_for_update().select_related("organisation").get(pk=change.pk)
        if not can_decide(change, by):
            raise AccountError(_("该变更申请应由省经信厅审核。"))
        name = "approve" if approve else "refuse"
        if not can_proceed(getattr(change, name)):
            raise AccountError(_("该变更申请已处理。"))
        source = change.state
        getattr(change, name)()
        change.decision_note = comment
        change.save(update_fields=["state", "decision_note"])
        IdentityChangeLog.objects.create(
            change=change,
            transition=name,
            source=source,
            target=change.state,
            actor=by,
            actor_organisation=by.organisation.name,
            comment=comment,
        )
        if approve:
            _apply(change)
    org = change.organisation
    subject = (_("单位信息变更已同意：%(org)s") if approve else _("单位信息变更未同意：%(org)s")) % {
        "org": org.name
    }
    body = _("%(bureau)s已审核您单位的信息变更申请（%(old)s → %(new)s）。") % {
        "bureau": by.organisation.name,
        "old": change.old_name,
        "new": change.name,
    } + (("\n" + _("意见：%(c)s") % {"c": comment}) if comment else "")
    transaction.on_commit(
        partial(
            notify,
            subject=subject,
            body=body,
            users=list(User.objects.filter(organisation=org, is_active=True)),
            url=reverse("profile"),
        )
    )
    return change


def _apply(change) -> None:
    org = Organisation.objects.select_for_update().get(pk=change.organisation_id)
    org.name = change.name
    if change.county_id:
        org.county_id = change.county_id
        org.city_id = change.county.city_id
    elif change.city_id:
        org.city_id = change.city_id
    org.save()
    if change.credit_code:
        Enterprise.objects.filter(pk=org.pk).update(credit_code=change.credit_code)
        org_assessor = getattr(org, "assessor", None)
        if org_assessor is not None:  # an assessor's own code
            type(org_assessor).objects.filter(pk=org.pk).update(credit_code=change.credit_code)
    # Drafts follow the unit's region; anything submitted keeps the region its reviewers saw.
    Application.objects.filter(unit=org, state=S.DRAFT).update(city_id=org.city_id, county_id=org.county_id)
