"""Mail after a state change (sent only once the transaction has committed)."""

from django.conf import settings
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from accounts import roles
from accounts.models import User
from accounts.notify import notify

from .models import TransitionLog
from .states import facts


def recipient_users(application) -> list:
    """Who the state's facts name (states.STATE_FACTS notify_on_entry): the applicant's people,
    and the people of the bureau that now holds the application."""
    told = facts(application.state).notify_on_entry
    if not told:
        return []
    who = Q()
    for role in told:
        who |= role.users_for(application)
    return list(User.objects.filter(who, is_active=True))


def contact_emails(application) -> list[str]:
    """The applying unit's contact address from its profile, when the applicant is told."""
    if roles.APPLICANT not in facts(application.state).notify_on_entry:
        return []
    unit = application.unit
    is_enterprise = roles.organisation_is_enterprise(unit)
    profile = getattr(unit, "enterprise", None) if is_enterprise else getattr(unit, "park", None)
    return [profile.contact_email] if profile is not None and profile.contact_email else []


def recipients(application) -> list[str]:
    """Every address the state change is mailed to."""
    emails = {u.email for u in recipient_users(application) if u.email} | set(contact_emails(application))
    return sorted(emails)


def state_changed(log_pk: int) -> None:
    log = TransitionLog.objects.select_related("application__unit", "application__batch").get(pk=log_pk)
    application = log.application
    if not recipients(application):
        return
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
