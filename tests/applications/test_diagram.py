"""The README's state diagram is generated from the code and must not drift from it."""

from applications.diagram import readme_block, readme_path, state_diagram_mermaid
from applications.models import Application


def test_readme_state_diagram_matches_the_code():
    readme = readme_path().read_text(encoding="utf-8")
    assert readme_block() in readme, "README diagram is stale: run `manage.py state_diagram --write`"


def test_diagram_has_an_edge_for_every_transition():
    diagram = state_diagram_mermaid()
    names = {t.name for t in Application._meta.get_field("state").get_all_transitions(Application)}
    for name in names:
        assert f": {name} " in diagram
    assert "draft --> county_review : submit 提交审核" in diagram
    assert "draft --> city_review : submit 提交审核" in diagram
