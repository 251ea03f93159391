"""Mail after an objection is filed (sent only once the transaction has committed)."""

from django.conf import settings
from django.core.mail import send_mass_mail
from django.utils import translation
from django.utils.translation import gettext as _

from accounts import roles
from accounts.models import User


def objection_filed(objection_pk: int) -> None:
    """Tell the province's officers that an objection awaits them. The mail names the unit only;
    the objector's details stay on the province's page."""
    from .models import Objection

    objection = Objection.objects.select_related("entry__application__unit").get(pk=objection_pk)
    to = sorted(
        set(
            User.objects.filter(roles.province_users(), is_active=True)
            .exclude(email="")
            .values_list("email", flat=True)
        )
    )
    if not to:
        return
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("公示异议待处理：%(unit)s") % {"unit": objection.entry.application.unit.name}
        body = _("公示期间收到一件针对%(unit)s的异议，请登录平台处理。") % {
            "unit": objection.entry.application.unit.name
        }
    send_mass_mail([(subject, body, settings.DEFAULT_FROM_EMAIL, [addr]) for addr in to], fail_silently=True)
