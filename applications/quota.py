"""The city's quota in a batch, as the notice's rules read it (conditions and pages alike)."""

from quotas.models import Batch, CityQuota

from .states import ApplicationKind


def quota_for(batch, city_id, kind) -> int | None:
    """The city's quota for this kind in the batch; None where the batch sets none."""
    if kind == ApplicationKind.PARK:
        # Read afresh, not from the (possibly stale) batch the caller holds: the province may
        # have just lowered it while this recommendation waited for the quota row lock.
        return Batch.objects.filter(pk=batch.pk).values_list("park_quota", flat=True).first()
    row = (
        CityQuota.objects.filter(batch=batch, city_id=city_id).values_list("factory_quota", flat=True).first()
    )
    return row
