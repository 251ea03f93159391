"""Who may change a batch: the province alone (通知 三: the province sets the quotas and the
deadlines and decides extensions)."""

from accounts.models import OrganisationKind


def is_province_user(user) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and user.organisation_id
        and user.organisation.kind == OrganisationKind.PROVINCE
    )
