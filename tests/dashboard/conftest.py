"""A varied batch for the dashboard: factories and parks of three cities in every state, three
assessors of two legal entities, three industry divisions — built through the real services."""

import datetime

import pytest
from django.utils import timezone

from applications.services import application_transition
from tests import factories as f
from tests.helpers import workflow_pass


class Dataset:
    def __init__(self):
        self.batch = f.batch(quotas={code: 6 for code in ["330100", "330200", "330300"]}, assessor_cap=4)
        self.province = f.user_of(f.province())
        group_a = f.assessor()
        self.a1, self.a2 = group_a, f.assessor(group_a.assessor.group)
        self.b1 = f.assessor()
        self.group_a, self.group_b = self.a1.assessor.group, self.b1.assessor.group
        self.apps = {}
        hz, nb = "330106", "330203"
        plan = [
            # key, kind, county/city, industry, assessor, steps
            (1, "factory", hz, "3311", self.a1, "published"),
            (2, "factory", hz, "2611", self.a2, "publicity"),
            (3, "factory", hz, "3311", None, "province_review"),
            (4, "factory", hz, "1311", self.b1, "recommended"),
            (5, "factory", "330108", "3311", self.a1, "city_review"),
            (6, "factory", hz, "2611", None, "county_review"),
            (7, "factory", hz, "3311", self.a1, "draft"),
            (8, "factory", hz, "1311", None, "rejected_by_city"),
            (9, "factory", hz, "3311", self.a2, "withdrawn"),
            (10, "factory", hz, "2611", self.b1, "returned"),
            (11, "factory", hz, "3311", None, "rejected_by_province"),
            (12, "factory", nb, "3311", self.b1, "province_review"),
            (13, "factory", nb, "2611", None, "recommended"),
            (14, "park", "330100", "", None, "province_review"),
            (15, "park", "330200", "", None, "recommended"),
            (16, "park", "330300", "", None, "city_review"),
        ]
        for key, kind, region, industry, assessor_org, target in plan:
            unit = f.enterprise(region, industry=industry) if kind == "factory" else f.park(region)
            app = f.application(unit, self.batch, assessor_org=assessor_org)
            self.walk(app, target)
            self.apps[key] = app

    def actor(self, app, name):
        if name in ("submit", "withdraw"):
            return app.unit.users.first()
        if name == "county_pass" or (name in ("return", "reject_county")):
            return f._first_user(f.county_bureau(app.county_id))
        if name in ("city_recommend", "send_to_province", "reject_city"):
            return f._first_user(f.city_bureau(app.city_id))
        return self.province

    def walk(self, app, target):
        to_province = ["submit", "county_pass", "city_recommend", "send_to_province"]
        steps = {
            "draft": [],
            "county_review": ["submit"],
            "city_review": ["submit", "county_pass"],
            "recommended": ["submit", "county_pass", "city_recommend"],
            "province_review": to_province,
            "publicity": [*to_province, "start_publicity"],
            "published": [*to_province, "start_publicity", "publish"],
            "rejected_by_city": ["submit", "county_pass", "city_recommend", "reject_city"],
            "rejected_by_province": [*to_province, "reject_province"],
            "withdrawn": ["submit", "county_pass", "withdraw"],
            "returned": ["submit", "return"],
        }[target]
        today = timezone.localdate()
        for step in steps:
            if step == "county_pass" and app.kind == "park":
                continue
            name = {
                "reject_city": "reject",
                "reject_province": "reject",
                "return": "return_for_revision",
            }.get(step, step)
            kwargs = {}
            if name == "start_publicity":
                kwargs = {
                    "starts_on": today - datetime.timedelta(days=20),
                    "ends_on": today - datetime.timedelta(days=6),
                }
            comment = "理由" if name in ("reject", "return_for_revision") else ""
            actor = self.actor(app, step) if step not in ("reject_province",) else self.province
            application_transition(
                app, name=name, by=actor, comment=comment, via=workflow_pass(name), **kwargs
            )


@pytest.fixture
def dataset(db):
    return Dataset()
