"""Mail after a state change (sent only once the transaction has committed)."""

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import translation

from accounts.models import OrganisationKind as K
from accounts.models import User

from .states import ApplicationState as S

NEXT_REVIEWER = {
    S.COUNTY_REVIEW: lambda a: Q(organisation__kind=K.COUNTY_BUREAU, organisation__county_id=a.county_id),
    S.CITY_REVIEW: lambda a: Q(organisation__kind=K.CITY_BUREAU, organisation__city_id=a.city_id),
    S.PROVINCE_REVIEW: lambda a: Q(organisation__kind=K.PROVINCE),
}


def recipients(application) -> list[str]:
    """The applicant's contacts, and the people of the bureau that now holds the application."""
    who = Q(organisation_id=application.unit_id)
    if application.state in NEXT_REVIEWER:
        who |= NEXT_REVIEWER[application.state](application)
    emails = set(User.objects.filter(who, is_active=True).exclude(email="").values_list("email", flat=True))
    unit = application.unit
    profile = getattr(unit, "enterprise", None) if unit.kind == K.ENTERPRISE else getattr(unit, "park", None)
    if profile is not None and profile.contact_email:
        emails.add(profile.contact_email)
    return sorted(emails)


def state_changed(log_pk: int) -> None:
    from .models import TransitionLog

    log = TransitionLog.objects.select_related("application__unit", "application__batch").get(pk=log_pk)
    to = recipients(log.application)
    if not to:
        return
    with translation.override(settings.LANGUAGE_CODE):
        context = {"log": log, "application": log.application}
        subject = render_to_string("applications/mail/state_changed_subject.txt", context).strip()
        body = render_to_string("applications/mail/state_changed.txt", context)
    send_mass_mail([(subject, body, settings.DEFAULT_FROM_EMAIL, [addr]) for addr in to], fail_silently=True)
