"""Mail after a form's state change (sent only once the transaction has committed), to whom the
state's facts name (states.FORM_STATE_FACTS notify_on_entry)."""

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import translation

from accounts import roles
from accounts.models import User

from .states import FORM_STATE_FACTS


def recipients(form) -> list[str]:
    told = [
        r for r in FORM_STATE_FACTS[form.state].notify_on_entry if r is not roles.APPLICANT or form.unit_id
    ]
    if not told:
        return []
    who = Q()
    for role in told:
        who |= role.users_for(form)
    return sorted(
        set(User.objects.filter(who, is_active=True).exclude(email="").values_list("email", flat=True))
    )


def state_changed(log_pk: int) -> None:
    from .models import FormLog

    log = FormLog.objects.select_related("form__batch").get(pk=log_pk)
    to = recipients(log.form)
    if not to:
        return
    with translation.override(settings.LANGUAGE_CODE):
        context = {"log": log, "form": log.form}
        subject = render_to_string("dynamic/mail/state_changed_subject.txt", context).strip()
        body = render_to_string("dynamic/mail/state_changed.txt", context)
    send_mass_mail([(subject, body, settings.DEFAULT_FROM_EMAIL, [addr]) for addr in to], fail_silently=True)
