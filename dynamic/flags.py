"""Facts in a form that may call for adjustment (通知 一(三)). Flags, not verdicts: the reviewer's
page shows them, the city may cite them as reasons, the bureau decides.

Each flag is computed from the form alone (and its batch, for the numbers); `form_flags` is the
only place that computes them for a form, and `with_flag` says the same facts as a database filter
(so a list filtered by a flag is paginated in the database, not by loading every form). The two
sit side by side here and a test holds them to the same answer (tests/dynamic/test_flags.py)."""

import datetime
from dataclasses import dataclass

from django.db.models import Exists, F, FloatField, Func, OuterRef, Q, Subquery
from django.db.models.functions import Cast, Coalesce, Greatest, TruncDate
from django.db.models.lookups import GreaterThan, LessThan, LessThanOrEqual
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from applications.indicators import indicators_for, series_years
from quotas.models import Batch, DeadlineExtension

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


# --- the same facts as database filters ---------------------------------------------------------


class IndicatorNumber(Func):
    """A value of the form's indicators (``code``, then a year or "benchmark") as a number; NULL
    where missing, and a comparison with NULL is false, as `_worse` says of a missing value. The
    path is written out: Django's key transforms read a key like "2024" as an array index on
    SQLite (`make run`)."""

    output_field = FloatField()

    def __init__(self, code: str, key: str):
        super().__init__(F("indicators"))
        self.code, self.key = code, key

    def as_sql(self, compiler, connection, **extra):  # PostgreSQL: jsonb
        column, params = compiler.compile(self.source_expressions[0])
        return f"(({column} #>> %s)::double precision)", [*params, f"{{{self.code},{self.key}}}"]

    def as_sqlite(self, compiler, connection, **extra):
        column, params = compiler.compile(self.source_expressions[0])
        return f"CAST(JSON_EXTRACT({column}, %s) AS REAL)", [*params, f'$."{self.code}"."{self.key}"']


def _number(path: str):
    code, key = path.split("__")
    return IndicatorNumber(code, key)


def _worse_q(kind: str, years: list[str]) -> Q:
    """indicator_worse for forms of `kind` whose batch asks for `years` (worse_indicators)."""
    q = Q(pk__in=[])
    compare = [years[-2], "benchmark"] if kind == FormKind.FACTORY else [years[-2]]
    for ind in indicators_for(kind, "dynamic"):
        if ind.higher_is_better is None:
            continue
        worse = LessThan if ind.higher_is_better else GreaterThan
        for other in compare:
            q |= Q(worse(_number(f"{ind.code}__{years[-1]}"), _number(f"{ind.code}__{other}")))
    return q


def _deadline():
    """The form's deadline in the database: the batch's, or the city's extension if later
    (Batch.submission_deadline_for)."""
    extension = DeadlineExtension.objects.filter(batch=OuterRef("batch"), city=OuterRef("city"))
    batch_deadline = F("batch__city_submission_deadline")
    return Greatest(Coalesce(Subquery(extension.values("deadline")[:1]), batch_deadline), batch_deadline)


def with_flag(qs, code: str, today: datetime.date | None = None):
    """The forms of `qs` that raise flag `code` (form_flags), filtered in the database. An unknown
    code matches nothing."""
    today = today or timezone.localdate()
    if code == "major_accident":
        return qs.filter(safety_accident=Accident.MAJOR)
    if code == "major_environmental":
        return qs.filter(env_incident__in=[EnvIncident.MAJOR, EnvIncident.EXTRA])
    if code == "not_operating":
        return qs.exclude(operating__in=["", Operating.NORMAL])
    if code == "dishonest":
        return qs.filter(dishonest=True)
    if code == "unconfirmed_change":
        changes = qs.model.changes.rel.related_model.objects.filter(
            form=OuterRef("pk"), field__in=[ChangeField.NAME, ChangeField.SCOPE]
        )
        return qs.filter(Exists(changes), published_at__isnull=True)
    if code == "overdue":
        filed_on = TruncDate("submitted_at", tzinfo=timezone.get_current_timezone())
        return qs.annotate(flag_deadline=_deadline(), flag_filed_on=filed_on).filter(
            Q(state__in=EDITABLE, flag_deadline__lt=today)
            | (~Q(state__in=EDITABLE) & Q(submitted_at__isnull=False, flag_filed_on__gt=F("flag_deadline")))
        )
    if code not in ("indicator_worse", "park_share"):
        return qs.none()
    # The indicators' years are the batch's: one condition per batch year among the forms.
    q = Q(pk__in=[])
    for year in qs.order_by().values_list("batch__year", flat=True).distinct():
        years = series_years(Batch(year=year))
        if code == "indicator_worse":
            for kind in FormKind.values:
                q |= Q(batch__year=year, kind=kind) & _worse_q(kind, years)
        else:
            share = _number(f"value_added_share__{years[-1]}")
            threshold = Cast(F("batch__park_min_value_added_share"), FloatField())
            q |= Q(Q(batch__year=year, kind=FormKind.PARK), LessThanOrEqual(share, threshold))
    return qs.filter(q)
