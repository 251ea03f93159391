"""One way to tell people something: a mail to each address and, for every user among the
recipients, the same message in the in-app inbox. Call it after commit (transaction.on_commit)."""

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db.models import F

from .models import InboxMessage, User


def notify(*, subject: str, body: str, users=(), emails=(), url: str = "") -> int:
    """Mail `subject`/`body` to the users (active, with an address) and to the extra addresses;
    every user also gets an inbox entry. Returns the number of mails sent."""
    users = [u for u in users if u.is_active]
    InboxMessage.objects.bulk_create(
        [InboxMessage(user=u, subject=subject[:200], body=body, url=url) for u in users]
    )
    User.objects.filter(pk__in=[u.pk for u in users]).update(inbox_unread=F("inbox_unread") + 1)
    addresses = sorted({u.email for u in users if u.email} | {e for e in emails if e})
    if not addresses:
        return 0
    return send_mass_mail(
        [(subject, body, settings.DEFAULT_FROM_EMAIL, [addr]) for addr in addresses], fail_silently=True
    )


def users_matching(q) -> list:
    return list(User.objects.filter(q, is_active=True).select_related("organisation"))
