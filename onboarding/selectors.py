"""The verification queue: what a bureau verifies, scoped to its region (others are a 404)."""

from django.http import Http404

from accounts import roles
from accounts.models import Organisation, Verification


def registrations_for(user):
    """Registered units `user` verifies (any verification state); none for anyone else."""
    q = roles.verifiable_q(user)
    if q is None:
        return Organisation.objects.none()
    return Organisation.objects.filter(q, registered_at__isnull=False)


def pending_registrations(user):
    return registrations_for(user).filter(verification=Verification.PENDING)


def registration_for(user, pk) -> Organisation:
    """One registration, through the gate: out of region or not a verifier → 404."""
    try:
        return (
            registrations_for(user)
            .select_related("city", "county", "enterprise", "park", "assessor__group")
            .get(pk=pk)
        )
    except (Organisation.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def queue(user, state: str):
    qs = registrations_for(user).select_related("city", "county", "enterprise", "park", "assessor__group")
    if state in Verification.values:
        qs = qs.filter(verification=state)
    return qs.order_by("registered_at", "pk")


def document_for(user, pk, document_pk):
    """A registration document: the unit's own people, or its verifier."""
    org = None
    if user.is_authenticated and user.organisation_id == _int(pk):
        org = user.organisation
    else:
        org = registration_for(user, pk)
    document = org.registration_documents.filter(pk=_int(document_pk)).first()
    if document is None:
        raise Http404
    return document


def _int(v):
    try:
        return int(v)
    except (TypeError, ValueError):
        raise Http404 from None
