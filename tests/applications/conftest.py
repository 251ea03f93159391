import datetime

import pytest
from django.utils import timezone

from applications.services import application_transition
from tests import factories as f
from tests.helpers import workflow_pass


class World:
    """One batch, one factory in 西湖区 (杭州), one park in 杭州, an assessor, and every kind of
    bureau — with a twin in another region for each, to prove refusals."""

    def __init__(self):
        self.batch = f.batch()
        self.factory_org = f.enterprise("330106")
        self.park_org = f.park("330100")
        self.other_factory_org = f.enterprise("330108")
        self.assessor_org = f.assessor()
        self.users = {
            "applicant_factory": f.user_of(self.factory_org),
            "applicant_park": f.user_of(self.park_org),
            "other_applicant": f.user_of(self.other_factory_org),
            "assessor": f.user_of(self.assessor_org),
            "county": f.user_of(f.county_bureau("330106")),
            "other_county": f.user_of(f.county_bureau("330108")),
            "city": f.user_of(f.city_bureau("330100")),
            "other_city": f.user_of(f.city_bureau("330200")),
            "province": f.user_of(f.province()),
        }

    def application(self, kind="factory", *, unit=None, **kwargs):
        unit = unit or (self.factory_org if kind == "factory" else self.park_org)
        return f.application(unit, self.batch, **kwargs)

    def in_state(self, kind, state, *, publicity_over=False, unit=None):
        """An application of `kind` brought to `state` through the services. Publicity is dated
        in the past when `publicity_over` (and always on the way to published)."""
        app = self.application(kind, unit=unit)
        u = self.users
        applicant = app.unit.users.first()
        steps = {
            "draft": [],
            "county_review": [("submit", applicant)],
            "city_review": [("submit", applicant), ("county_pass", u["county"])],
            "recommended": [
                ("submit", applicant),
                ("county_pass", u["county"]),
                ("city_recommend", u["city"]),
            ],
        }
        steps["province_review"] = [*steps["recommended"], ("send_to_province", u["city"])]
        steps["publicity"] = [*steps["province_review"], ("start_publicity", u["province"])]
        steps["published"] = [*steps["publicity"], ("publish", u["province"])]
        steps["returned"] = [*steps["county_review"], ("return_for_revision", u["county"])]
        steps["rejected"] = [*steps["county_review"], ("reject", u["county"])]
        steps["withdrawn"] = [("withdraw", applicant)]
        for name, actor in steps[state]:
            if kind == "park" and name == "county_pass":
                continue
            kwargs = {}
            if name == "start_publicity" and (publicity_over or state == "published"):
                today = timezone.localdate()
                kwargs = {
                    "starts_on": today - datetime.timedelta(days=20),
                    "ends_on": today - datetime.timedelta(days=6),
                }
            comment = "理由" if name in ("return_for_revision", "reject") else ""
            application_transition(
                app, name=name, by=actor, comment=comment, via=workflow_pass(name), **kwargs
            )
        assert app.state == state
        return app


@pytest.fixture
def world(db):
    return World()
