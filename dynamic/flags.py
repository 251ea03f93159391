"""Facts in a form that may call for adjustment (通知 一(三)). Flags, not verdicts: the reviewer's
page shows them, the city may cite them as reasons, the bureau decides.

Each flag is computed from the form alone (and its batch, for the numbers); `form_flags` is the
only place that computes them."""

import datetime
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from applications.indicators import indicators_for, series_years

from .states import EDITABLE, Accident, ChangeField, EnvIncident, FormKind, Operating

# The flags, in the order a reviewer reads them; also the reasons a city may cite.
FLAG_LABELS = {
    "major_accident": _("发生重大及以上安全生产或质量事故"),
    "major_environmental": _("发生重大及以上突发环境事件"),
    "not_operating": _("未正常生产经营"),
    "dishonest": _("列入失信被执行人"),
    "indicator_worse": _("主要指标较上年或行业标杆变差"),
    "park_share": _("园区工业增加值占比未超过批次要求"),
    "unconfirmed_change": _("名称或经营范围变更待确认"),
    "overdue": _("逾期未报"),
}


@dataclass(frozen=True)
class Flag:
    code: str
    detail: str = ""

    @property
    def label(self) -> str:
        return str(FLAG_LABELS[self.code])

    def __str__(self):
        return f"{self.label}（{self.detail}）" if self.detail else self.label


def is_overdue(form, today: datetime.date | None = None) -> bool:
    """逾期未报: the city's deadline (with its extension) has passed and the form was not filed
    by then — still with the unit, or submitted late."""
    deadline = form.deadline
    today = today or timezone.localdate()
    if form.state in EDITABLE:
        return today > deadline
    return form.submitted_at is not None and timezone.localdate(form.submitted_at) > deadline


def _worse(ind, last, previous) -> bool:
    if ind.higher_is_better is None or last is None or previous is None:
        return False
    return last < previous if ind.higher_is_better else last > previous


def worse_indicators(form) -> list[str]:
    """Indicators whose last year is worse than the year before, or (factories) than the
    benchmark, each with what it was compared with."""
    years = series_years(form.batch)
    out = []
    for ind in indicators_for(form.kind, "dynamic"):
        values = (form.indicators or {}).get(ind.code) or {}
        last, previous = values.get(years[-1]), values.get(years[-2])
        if _worse(ind, last, previous):
            out.append(gettext("%(label)s较上年变差") % {"label": ind.label})
        elif form.kind == FormKind.FACTORY and _worse(ind, last, values.get("benchmark")):
            out.append(gettext("%(label)s劣于行业标杆") % {"label": ind.label})
    return out


def _park_share(form):
    years = series_years(form.batch)
    return ((form.indicators or {}).get("value_added_share") or {}).get(years[-1])


def form_flags(form, today: datetime.date | None = None) -> list[Flag]:
    flags = []
    if form.safety_accident == Accident.MAJOR:
        flags.append(Flag("major_accident"))
    if form.env_incident in (EnvIncident.MAJOR, EnvIncident.EXTRA):
        flags.append(Flag("major_environmental", form.get_env_incident_display()))
    if form.operating and form.operating != Operating.NORMAL:
        flags.append(Flag("not_operating", form.get_operating_display()))
    if form.dishonest:
        flags.append(Flag("dishonest"))
    worse = worse_indicators(form)
    if worse:
        flags.append(Flag("indicator_worse", "、".join(worse)))
    share = _park_share(form) if form.kind == FormKind.PARK else None
    threshold = form.batch.park_min_value_added_share
    if share is not None and share <= threshold:
        flags.append(
            Flag(
                "park_share",
                gettext("%(share)s%%，须超过%(threshold)s%%")
                % {"share": share, "threshold": f"{threshold:g}"},
            )
        )
    changed = {c.field for c in form.declared_changes()} & {ChangeField.NAME, ChangeField.SCOPE}
    if changed and form.published_at is None:
        flags.append(
            Flag("unconfirmed_change", "、".join(str(ChangeField(f).label) for f in sorted(changed)))
        )
    if is_overdue(form, today):
        flags.append(Flag("overdue"))
    return flags


def flag_codes(form, today: datetime.date | None = None) -> set[str]:
    return {f.code for f in form_flags(form, today)}
