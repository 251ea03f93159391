"""Role gates for whole pages. A user of the wrong kind gets 404, like an object outside their
region: the page is not there for them (never 403-with-a-hint)."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404

from accounts.models import OrganisationKind


def is_of_kind(user, kind) -> bool:
    return bool(
        getattr(user, "is_authenticated", False) and user.organisation_id and user.organisation.kind == kind
    )


class KindRequiredMixin(LoginRequiredMixin):
    """Signed-in users of `organisation_kind` only; everyone else signed in gets 404."""

    organisation_kind: str = ""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not is_of_kind(request.user, self.organisation_kind):
            raise Http404
        return super().dispatch(request, *args, **kwargs)


class ProvinceRequiredMixin(KindRequiredMixin):
    organisation_kind = OrganisationKind.PROVINCE


class ExpertRequiredMixin(KindRequiredMixin):
    organisation_kind = OrganisationKind.EXPERT
