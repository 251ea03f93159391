"""Mail after a state change (sent only once the transaction has committed)."""

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import translation

from accounts import roles
from accounts.models import User

from .states import facts


def recipients(application) -> list[str]:
    """Who the state's facts name (states.STATE_FACTS notify_on_entry): the applicant's contacts,
    and the people of the bureau that now holds the application."""
    told = facts(application.state).notify_on_entry
    if not told:
        return []
    who = Q()
    for role in told:
        who |= role.users_for(application)
    emails = set(User.objects.filter(who, is_active=True).exclude(email="").values_list("email", flat=True))
    if roles.APPLICANT in told:
        unit = application.unit
        is_enterprise = roles.organisation_is_enterprise(unit)
        profile = getattr(unit, "enterprise", None) if is_enterprise else getattr(unit, "park", None)
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
