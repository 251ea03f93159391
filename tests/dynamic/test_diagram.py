"""The README's diagram of the dynamic-management form is generated from the code."""

from applications.diagram import MACHINES, readme_block, readme_path, state_diagram_mermaid
from dynamic.diagram import DYNAMIC_FORM
from dynamic.models import DynamicForm


def test_readme_dynamic_diagram_matches_the_code():
    assert DYNAMIC_FORM in MACHINES
    readme = readme_path().read_text(encoding="utf-8")
    assert readme_block(DYNAMIC_FORM) in readme, (
        "README diagram is stale: run `manage.py state_diagram --write`"
    )


def test_dynamic_diagram_has_an_edge_for_every_transition():
    diagram = state_diagram_mermaid(DYNAMIC_FORM)
    for t in DynamicForm._meta.get_field("state").get_all_transitions(DynamicForm):
        assert f": {t.name} " in diagram
    assert "draft --> county_review : submit 提交审核" in diagram
    assert "draft --> city_review : submit 提交审核" in diagram
    assert "decided --> [*]" in diagram
