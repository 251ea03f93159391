from tests.experts.conftest import ProvinceWorld, world  # noqa: F401  (the same world)
