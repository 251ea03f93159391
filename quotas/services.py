"""Writes for batches: loading a batch from its data file."""

import datetime
import json
from decimal import Decimal
from pathlib import Path

from django.db import transaction

from .models import Batch, CityQuota

BATCH_FIELDS = [
    "title",
    "notice_number",
    "guideline_edition",
    "guideline_number",
    "implementing_rules",
    "implementing_rules_number",
    "accepting_applications",
    "assessor_required",
    "assessor_cap",
    "park_quota",
    "publicity_days",
    "objection_contact",
    "joint_departments",
]
DATE_FIELDS = ["notice_date", "city_submission_deadline", "city_list_deadline"]


@transaction.atomic
def batch_load(data: dict) -> Batch:
    """Create or update the batch of `data["year"]` and its Annex 1 quotas from a data file
    (fixtures/batch_<year>.json). The notice's numbers and dates live in that file, not in code."""
    defaults = {key: data[key] for key in BATCH_FIELDS if key in data}
    for key in DATE_FIELDS:
        if data.get(key):
            defaults[key] = datetime.date.fromisoformat(data[key])
    defaults["park_min_value_added_share"] = Decimal(str(data["park_min_value_added_share"]))
    batch, _ = Batch.objects.update_or_create(year=data["year"], defaults=defaults)
    for city_code, quota in data.get("factory_quotas", {}).items():
        CityQuota.objects.update_or_create(batch=batch, city_id=city_code, defaults={"factory_quota": quota})
    return batch


def batch_load_file(path: str | Path) -> Batch:
    with open(path, encoding="utf-8") as fh:
        return batch_load(json.load(fh))
