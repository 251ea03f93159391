import pytest

from tests import factories as f
from tests.applications.conftest import World


class ProvinceWorld(World):
    """The applications World, plus two experts, roomy quotas and a helper for units the
    province is evaluating."""

    def __init__(self, clock=None):
        super().__init__(clock)
        # Lists of dozens of factories in one city need more than the default quota of 2.
        self.batch.quotas.update(factory_quota=200)
        self.users["expert"] = f.expert("王专家")
        self.users["other_expert"] = f.expert("李专家")

    def under_review(self, kind="factory", *, name=None):
        """A new unit (西湖区 factory or 杭州 park) brought to provincial review."""
        unit = f.enterprise("330106", name=name) if kind == "factory" else f.park("330100", name=name)
        return self.in_state(kind, "province_review", unit=unit)


@pytest.fixture
def world(db, time_machine):
    return ProvinceWorld(clock=time_machine)
