"""What the header needs about the signed-in person: unread inbox messages and the people pages
their role opens (no query: the count is kept on the user row)."""

from . import roles


def people(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "inbox_unread": user.inbox_unread,
        "is_org_admin": roles.is_org_admin(user),
        "can_unlock_accounts": roles.can_open_lockouts_page(user),
        "can_create_bureau_admins": roles.bureaus_administered_q(user) is not None,
        "verifies_registrations": roles.is_verifier(user),
    }
