"""Reads for dynamic management. Every page, download and API answer starts from
`DynamicForm.objects.visible_to(user)`, so a form of another region is not found (404)."""

from dataclasses import dataclass, field

from django.db.models import Count, Prefetch
from django.http import Http404
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy

from applications.conditions import unmet
from lists.models import Tier

from .flags import FLAG_LABELS, form_flags, is_overdue
from .models import DynamicForm, FormDocument
from .services import transitions_from
from .states import EDITABLE, FORM_STATE_FACTS, FormKind, FormState, Opinion

FILTERS = ("year", "state", "city", "kind", "opinion", "county")


def with_related(qs):
    """What a list of forms shows, in a constant number of queries."""
    return qs.select_related("batch", "city", "county", "entry").prefetch_related(
        "batch__extensions",
        "changes",
        Prefetch("documents", queryset=FormDocument.objects.order_by("kind", "-version")),
    )


def form_for(user, pk, *, queryset=None) -> DynamicForm:
    qs = queryset if queryset is not None else DynamicForm.objects.all()
    try:
        return with_related(qs.visible_to(user)).get(pk=pk)
    except (DynamicForm.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def forms_filtered(qs, params):
    """Filter by year, state, city, county, kind and opinion; unknown values match nothing, a bad
    year is ignored. The flag filter is applied to the page's rows (flags are computed)."""
    year = str(params.get("year") or "").strip()
    if year.isdigit():
        qs = qs.filter(batch__year=int(year))
    for name in ("state", "kind", "opinion"):
        if params.get(name):
            qs = qs.filter(**{name: params[name]})
    if params.get("city"):
        qs = qs.filter(city_id=params["city"])
    if params.get("county"):
        qs = qs.filter(county_id=params["county"])
    return qs


def with_flag(forms, flag: str):
    if not flag:
        return list(forms)
    return [f for f in forms if flag in {x.code for x in form_flags(f)}]


def latest_documents(form) -> dict[str, FormDocument]:
    latest = {}
    for doc in form.documents.all():
        latest.setdefault(doc.kind, doc)
    return latest


@dataclass
class TransitionOption:
    name: str
    label: str
    reason_required: bool
    opinion: bool
    decision: bool
    allowed: bool
    reasons: list[str] = field(default_factory=list)


def transition_options(form, user) -> list[TransitionOption]:
    options = []
    for t in transitions_from(form.state):
        if not t.has_perm(form, user):
            continue
        # Opinion and decision conditions read what the reviewer is about to choose: they are
        # shown as the form's checks when the reviewer sends the choice, not beforehand.
        reasons = [] if t.custom.get("opinion") or t.custom.get("decision") else unmet(form, t)
        options.append(
            TransitionOption(
                name=t.name,
                label=str(t.custom.get("label", t.name)),
                reason_required=bool(t.custom.get("reason_required")),
                opinion=bool(t.custom.get("opinion")),
                decision=bool(t.custom.get("decision")),
                allowed=not reasons,
                reasons=reasons,
            )
        )
    return options


def unit_label(form) -> str:
    return str(FORM_STATE_FACTS[form.state].unit_label)


def overdue_forms(user, batch):
    """Forms of the user's region not filed by the deadline (逾期未报): for county and city."""
    qs = with_related(DynamicForm.objects.visible_to(user).filter(batch=batch, state__in=EDITABLE))
    return [f for f in qs if is_overdue(f)]


@dataclass
class OpinionRow:
    """One unit of the city's opinions. Labels stay lazy, so the letter renders them in Chinese
    whatever language the user who downloads it reads."""

    form: DynamicForm
    opinion: object
    reasons: list

    @property
    def list_and_year(self):
        entry = self.form.entry
        return format_lazy("{}（{}）", Tier(entry.tier).label, entry.year)


def city_opinion_rows(batch, city_id) -> dict:
    """The city's 动态管理审核意见, one table per tier and kind ("省级 · 绿色低碳工厂" …): each
    unit with its list and year, the city's opinion and its reasons. A form not filed by the
    deadline reads 逾期未报; one not yet reviewed reads 未出具意见."""
    forms = with_related(DynamicForm.objects.filter(batch=batch, city_id=city_id)).order_by(
        "entry__tier", "kind", "unit_name", "pk"
    )
    tables: dict = {}
    for form in forms:
        if form.opinion:
            opinion = Opinion(form.opinion).label
        elif is_overdue(form):
            opinion = gettext_lazy("逾期未报")
        else:
            opinion = gettext_lazy("未出具意见")
        reasons = [FLAG_LABELS[r] for r in form.opinion_reasons if r in FLAG_LABELS]
        if form.opinion_text:
            reasons.append(form.opinion_text)
        if form.opinion == Opinion.CHANGE:
            reasons.extend(str(c) for c in form.changes.all())
        title = format_lazy("{} · {}", Tier(form.entry.tier).label, FormKind(form.kind).label)
        tables.setdefault((form.entry.tier, form.kind), (title, []))[1].append(
            OpinionRow(form, opinion, reasons)
        )
    return dict(tables.values())


def state_counts(qs) -> list[tuple[str, str, int]]:
    """(state, its label, how many) for every state, in the machine's order. One query."""
    counts = dict(qs.order_by().values_list("state").annotate(n=Count("pk")))
    return [(s.value, s.label, counts.get(s.value, 0)) for s in FormState]
