"""Mail after a state change (sent only once the transaction has committed)."""

from django.conf import settings
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from accounts.models import OrganisationKind as K
from accounts.models import User
from accounts.notify import notify

from .states import ApplicationState as S

NEXT_REVIEWER = {
    S.COUNTY_REVIEW: lambda a: Q(organisation__kind=K.COUNTY_BUREAU, organisation__county_id=a.county_id),
    S.CITY_REVIEW: lambda a: Q(organisation__kind=K.CITY_BUREAU, organisation__city_id=a.city_id),
    S.PROVINCE_REVIEW: lambda a: Q(organisation__kind=K.PROVINCE),
}


def recipient_users(application) -> list:
    """The applicant's people, and the people of the bureau that now holds the application."""
    who = Q(organisation_id=application.unit_id)
    if application.state in NEXT_REVIEWER:
        who |= NEXT_REVIEWER[application.state](application)
    return list(User.objects.filter(who, is_active=True))


def contact_emails(application) -> list[str]:
    unit = application.unit
    profile = getattr(unit, "enterprise", None) if unit.kind == K.ENTERPRISE else getattr(unit, "park", None)
    return [profile.contact_email] if profile is not None and profile.contact_email else []


def recipients(application) -> list[str]:
    """Every address the state change is mailed to."""
    emails = {u.email for u in recipient_users(application) if u.email} | set(contact_emails(application))
    return sorted(emails)


def state_changed(log_pk: int) -> None:
    from .models import TransitionLog

    log = TransitionLog.objects.select_related("application__unit", "application__batch").get(pk=log_pk)
    application = log.application
    with translation.override(settings.LANGUAGE_CODE):
        context = {"log": log, "application": application}
        subject = render_to_string("applications/mail/state_changed_subject.txt", context).strip()
        body = render_to_string("applications/mail/state_changed.txt", context)
    notify(
        subject=subject,
        body=body,
        users=recipient_users(application),
        emails=contact_emails(application),
        url=reverse("application-detail", args=[application.pk]),
    )
