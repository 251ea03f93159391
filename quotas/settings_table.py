"""The notice's settings on a batch, one row each, with what the portal does with each.

Every setting is read from the batch's data file (fixtures/batch_<year>.json). The columns say the
rest: whether the province changes it on the batch page (each change written to BatchChange),
whether a new batch takes it over from the one before, whether the batch API shows it, and how a
data file writes it. A new setting of the notice is one field on `Batch` and one row here.

The rows keep the decisions made so far: the notice's own dates, titles and calendar (the publicity
period's length and its kind of days among them) belong to one year and are not carried over; the
standing rules, the contacts and the joint notice's departments and 版记 (抄送, 印发机关) are the
same from year to year until the province changes them, so a new batch starts from last year's —
above all the removal bar: a unit removed under a five-year bar must not be let back in because a
new batch began from the default of three."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Setting:
    edit: bool = False  # the province changes it on the batch page
    carry: bool = False  # a new batch copies it from the one before
    api: bool = False  # the batch API shows it
    read: str = "value"  # how a data file writes it: value, date, dates, contacts or decimal


SETTINGS: dict[str, Setting] = {
    "title": Setting(api=True),
    "notice_number": Setting(api=True),
    "notice_date": Setting(api=True, read="date"),
    "guideline_edition": Setting(carry=True, api=True),
    "guideline_number": Setting(carry=True),
    "implementing_rules": Setting(carry=True, api=True),
    "implementing_rules_number": Setting(carry=True),
    "accepting_applications": Setting(edit=True, api=True),
    "assessor_required": Setting(edit=True, carry=True, api=True),
    "assessor_cap": Setting(edit=True, carry=True, api=True),
    "park_quota": Setting(edit=True, carry=True, api=True),
    "park_min_value_added_share": Setting(carry=True, api=True, read="decimal"),
    "city_submission_deadline": Setting(edit=True, api=True, read="date"),
    "city_list_deadline": Setting(edit=True, api=True, read="date"),
    "publicity_days": Setting(edit=True, api=True),
    "publicity_day_kind": Setting(edit=True, api=True),
    "holidays": Setting(edit=True, api=True, read="dates"),
    "adjusted_workdays": Setting(edit=True, api=True, read="dates"),
    "objection_contact": Setting(edit=True, carry=True, api=True),
    "contacts": Setting(edit=True, carry=True, api=True, read="contacts"),
    "joint_departments": Setting(edit=True, carry=True, api=True),
    "copy_to": Setting(edit=True, carry=True),
    "printed_by": Setting(edit=True, carry=True),
    "removal_bar_years": Setting(edit=True, carry=True),
}


def names(**facts) -> tuple[str, ...]:
    """The settings with these facts, in the table's order: `names(edit=True)`."""
    return tuple(name for name, s in SETTINGS.items() if all(getattr(s, k) == v for k, v in facts.items()))


EDITABLE = names(edit=True)
CARRIED = names(carry=True)
