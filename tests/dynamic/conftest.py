import datetime

import pytest

from applications.indicators import dynamic_keys, indicators_for
from dynamic.models import DynamicForm
from dynamic.services import campaign_open, form_document_upload, form_transition, form_update
from tests import factories as f


def provincial_entry(org, *, year=2023, tier="provincial", **fields):
    """Put the unit on the provincial list (as an earlier joint publication did)."""
    return f.city_list_entry(org, year=year, tier=tier, source=f"浙经信绿色〔{year}〕1号", **fields)


def complete_data(form, **overrides) -> dict:
    """Every field of the form filled in, nothing that raises a flag (values improve each year
    and beat the benchmark)."""
    indicators = {}
    for ind in indicators_for(form.kind, "dynamic"):
        years = [k for k in dynamic_keys(form.kind, form.batch) if k != "benchmark"]
        if ind.higher_is_better is False:
            values = {y: 30 - n for n, y in enumerate(years)}  # falling: better
            bench = 40
        else:
            values = {y: 60 + n for n, y in enumerate(years)}
            bench = 50
        if form.kind == "factory":
            values["benchmark"] = bench
        indicators[ind.code] = values
    data = {
        "address": "杭州市西湖区文三路1号",
        "scope": "精密机械零部件",
        "park_area": 12.5 if form.kind == "park" else None,
        "park_boundary": "东至某路，西至某河" if form.kind == "park" else "",
        "operating": "normal",
        "safety_accident": "none",
        "env_incident": "none",
        "tax_evasion": False,
        "dishonest": False,
        "inspection_problems": "",
        "rectification_unfinished": False,
        "indicators": indicators,
        "pledge": True,
    }
    data.update(overrides)
    return data


class World:
    """The 2025 batch with dynamic management open: a provincial factory in 西湖区 (杭州) and a
    provincial park in 杭州, each with an account; a provincial factory in 宁波 (the other region);
    a national-only factory in 杭州 under provincial management without an account; and every
    kind of bureau with a twin in another region."""

    def __init__(self):
        self.batch = f.batch()
        self.factory_org = f.enterprise("330106")
        self.park_org = f.park("330100")
        self.other_factory_org = f.enterprise("330203")
        self.factory_entry = provincial_entry(self.factory_org)
        self.park_entry = provincial_entry(self.park_org)
        self.other_entry = provincial_entry(self.other_factory_org)
        self.national_entry = f.city_list_entry(
            f.enterprise("330106", green=False),
            tier="national",
            year=2022,
            provincial_management=True,
            organisation=None,
            unit_name="国家级绿色工厂甲有限公司",
        )
        self.users = {
            "factory": f.user_of(self.factory_org),
            "park": f.user_of(self.park_org),
            "other_factory": f.user_of(self.other_factory_org),
            "county": f.user_of(f.county_bureau("330106")),
            "other_county": f.user_of(f.county_bureau("330108")),
            "city": f.user_of(f.city_bureau("330100")),
            "other_city": f.user_of(f.city_bureau("330200")),
            "province": f.user_of(f.province()),
        }
        campaign_open(batch=self.batch, by=self.users["province"])

    def form(self, which="factory") -> DynamicForm:
        entry = {
            "factory": self.factory_entry,
            "park": self.park_entry,
            "other": self.other_entry,
            "national": self.national_entry,
        }[which]
        return DynamicForm.objects.get(batch=self.batch, entry=entry)

    def unit_user(self, form):
        return {
            self.factory_org.pk: self.users["factory"],
            self.park_org.pk: self.users["park"],
            self.other_factory_org.pk: self.users["other_factory"],
        }[form.unit_id]

    def fill(self, form, **overrides):
        user = self.unit_user(form)
        form_update(form, by=user, data=complete_data(form, **overrides))
        form_document_upload(form=form, kind="signed_form", upload=f.pdf_upload("动态管理表.pdf"), by=user)
        return form

    def in_state(self, which, state, **overrides):
        form = self.form(which)
        if state == "draft":
            return form
        self.fill(form, **overrides)
        other = which == "other"
        county = (
            f.user_of(f.county_bureau(form.county_id)) if other and form.county_id else self.users["county"]
        )
        city = f.user_of(f.city_bureau(form.city_id)) if other else self.users["city"]
        steps = [("submit", self.unit_user(form), {})]
        if form.kind == "factory":
            steps.append(("county_pass", county, {}))
        if state == "returned":
            steps = [
                steps[0],
                ("return_for_revision", county if form.kind == "factory" else city, {"comment": "请补充"}),
            ]
        elif state == "county_review":
            steps = steps[:1]
        elif state in ("city_done", "decided"):
            steps.append(("city_conclude", city, {"opinion": "keep"}))
        if state == "decided":
            steps.append(("decide", self.users["province"], {"decision": "keep"}))
        for name, actor, kwargs in steps:
            form_transition(form, name=name, by=actor, **kwargs)
        assert form.state == state
        return form


@pytest.fixture
def world(db):
    return World()


def days(n):
    return datetime.timedelta(days=n)
