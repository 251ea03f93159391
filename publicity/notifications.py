"""Mail after an objection is filed (sent only once the transaction has committed)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import translation
from django.utils.translation import gettext as _

from accounts import roles
from accounts.models import User
from accounts.notify import notify

from .models import Objection


def objection_filed(objection_pk: int) -> None:
    """Tell the province's officers that an objection awaits them. The mail names the unit only;
    the objector's details stay on the province's page."""
    objection = Objection.objects.select_related("entry__application__unit").get(pk=objection_pk)
    users = list(User.objects.filter(roles.province_users(), is_active=True))
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("公示异议待处理：%(unit)s") % {"unit": objection.entry.application.unit.name}
        body = _("公示期间收到一件针对%(unit)s的异议，请登录平台处理。") % {
            "unit": objection.entry.application.unit.name
        }
    notify(subject=subject, body=body, users=users)


def objection_decided(objection_pk: int) -> None:
    """The objector learns the outcome when the contact they gave is an e-mail address (objectors
    have no account, so no inbox)."""

    objection = Objection.objects.select_related("entry__application__unit").get(pk=objection_pk)
    address = objection.contact.strip()
    try:
        validate_email(address)
    except ValidationError:
        return
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("您对%(unit)s的异议已处理") % {"unit": objection.entry.application.unit.name}
        body = _("%(name)s，您好：您对%(unit)s提出的异议已处理，结果：%(state)s。处理意见：%(reason)s") % {
            "name": objection.name,
            "unit": objection.entry.application.unit.name,
            "state": objection.get_state_display(),
            "reason": objection.decision_reason,
        }
    notify(subject=subject, body=body, emails=[address])
