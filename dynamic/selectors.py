"""Reads for dynamic management. Every page, download and API answer starts from
`DynamicForm.objects.visible_to(user)`, so a form of another region is not found (404)."""

from dataclasses import dataclass, field

from django.db.models import Count, Prefetch
from django.http import Http404
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy

from applications.conditions import unmet
from lists.models import Tier
from reference.models import City

from .flags import FLAG_LABELS, form_flags, is_overdue, with_flag
from .models import DynamicForm, FormChange, FormDocument
from .services import campaign_pending, transitions_from
from .states import EDITABLE, FORM_STATE_FACTS, FormKind, FormState, Opinion

FILTERS = ("year", "state", "city", "kind", "opinion", "county", "flag")


def with_related(qs):
    """What a list of forms shows, in a constant number of queries."""
    return qs.select_related("batch", "city", "county", "entry", "assessor__organisation").prefetch_related(
        "batch__extensions",
        Prefetch("changes", queryset=FormChange.objects.select_related("evidence")),
        Prefetch("documents", queryset=FormDocument.objects.order_by("kind", "-version")),
    )


def form_for(user, pk, *, queryset=None) -> DynamicForm:
    qs = queryset if queryset is not None else DynamicForm.objects.all()
    try:
        return with_related(qs.visible_to(user)).get(pk=pk)
    except (DynamicForm.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def forms_filtered(qs, params):
    """Filter by year, state, city, county, kind, opinion and flag; unknown values match nothing,
    a bad year is ignored. The flag is filtered in the database (flags.with_flag)."""
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
    if params.get("flag"):
        qs = with_flag(qs, params["flag"])
    return qs


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


# The province's opinions page: the forms on which the city has given its opinion (通知 一(三)).
WITH_OPINION = (FormState.CITY_DONE, FormState.DECIDED)


def opinions_for(user, params):
    """Every city's opinions the user may see (the province: all), filtered by year, city, kind,
    opinion and flag, and by whether the province has decided (`decided`: "no" / "yes")."""
    qs = forms_filtered(DynamicForm.objects.visible_to(user).filter(state__in=WITH_OPINION), params)
    decided = params.get("decided")
    if decided in ("no", "yes"):
        qs = qs.filter(state=FormState.DECIDED if decided == "yes" else FormState.CITY_DONE)
    return with_related(qs).order_by("city__position", "kind", "unit_name", "pk")


@dataclass
class OpinionCard:
    """One unit on the province's page: the form, its flags, the city's reasons in words, the
    latest signed form and on-site evaluation record (from the prefetched documents)."""

    form: DynamicForm
    flags: list
    reasons: list
    signed_form: FormDocument | None
    evaluation: FormDocument | None

    @property
    def suggested_decision(self) -> str:
        return self.form.opinion  # keep / change / remove: the decisions mirror the opinions


def opinion_cards(forms) -> list[OpinionCard]:
    cards = []
    for form in forms:
        latest = latest_documents(form)
        cards.append(
            OpinionCard(
                form=form,
                flags=form_flags(form),
                reasons=[FLAG_LABELS[r] for r in form.opinion_reasons if r in FLAG_LABELS],
                signed_form=latest.get("signed_form"),
                evaluation=latest.get("evaluation"),
            )
        )
    return cards


def opinion_counts(qs) -> dict:
    """How many opinions of each kind await the province's decision, and how many are decided."""
    rows = qs.order_by().values_list("state", "opinion").annotate(n=Count("pk"))
    counts = {"pending": {}, "decided": 0}
    for state, opinion, n in rows:
        if state == FormState.DECIDED:
            counts["decided"] += n
        else:
            counts["pending"][opinion] = counts["pending"].get(opinion, 0) + n
    return {
        "pending": [(v, label, counts["pending"].get(v, 0)) for v, label in Opinion.choices],
        "pending_total": sum(counts["pending"].values()),
        "decided": counts["decided"],
    }


def state_counts(qs) -> list[tuple[str, str, int]]:
    """(state, its label, how many) for every state, in the machine's order. One query."""
    counts = dict(qs.order_by().values_list("state").annotate(n=Count("pk")))
    return [(s.value, s.label, counts.get(s.value, 0)) for s in FormState]


@dataclass
class CampaignPreview:
    """What opening (or updating) a batch's dynamic management would do: the forms it has, and
    the forms it would create, counted by city (in the cities' order)."""

    existing: int
    new_by_city: list[tuple[City, int]]

    @property
    def new(self) -> int:
        return sum(n for _city, n in self.new_by_city)


def campaign_preview(batch) -> CampaignPreview:
    counts = dict(campaign_pending(batch).order_by().values_list("city_id").annotate(n=Count("pk")))
    cities = City.objects.filter(code__in=counts).order_by("position")
    return CampaignPreview(
        existing=DynamicForm.objects.filter(batch=batch).count(),
        new_by_city=[(city, counts[city.code]) for city in cities],
    )
