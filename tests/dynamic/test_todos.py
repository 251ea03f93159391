"""The county's and the city's home list the dynamic-management forms waiting for them (issue 12:
"applications and forms to review"), counted here from the data, their region only."""

from dashboard.todos import todos_for
from dynamic.models import DynamicForm


def _forms(user, batch):
    return {t.label: t.count for t in todos_for(user, batch)}.get("待审核的动态管理表")


def test_county_and_city_see_the_forms_waiting_for_them(world):
    world.in_state("factory", "county_review")  # 西湖区: with the county
    world.in_state("park", "city_review")  # a park goes to its city directly
    world.in_state("other", "county_review")  # 宁波: another region
    assert DynamicForm.objects.filter(state="county_review", county_id="330106").count() == 1
    assert _forms(world.users["county"], world.batch) == 1
    assert _forms(world.users["other_county"], world.batch) == 0
    assert (
        _forms(world.users["city"], world.batch)
        == DynamicForm.objects.filter(state="city_review", city_id="330100").count()
        == 1
    )
    assert _forms(world.users["other_city"], world.batch) == 0
    assert _forms(world.users["province"], world.batch) is None  # the province decides by campaign
    assert _forms(world.users["factory"], world.batch) is None
