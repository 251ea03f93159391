"""The import contracts of pyproject.toml ([tool.importlinter]) hold, and they would catch an
import cycle inside an app even when one side of it hides in a function body."""

import importlib.util
import os
import pathlib
import subprocess
import sys
import tomllib

ROOT = pathlib.Path(__file__).resolve().parent.parent
LINT_IMPORTS = pathlib.Path(sys.executable).with_name("lint-imports")


def _contracts():
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]["contracts"]


def _lint_imports(cwd, *args):
    env = {**os.environ, "PYTHONPATH": str(cwd)}
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", *args], cwd=cwd, env=env, capture_output=True, text=True
    )


def test_the_project_keeps_its_import_contracts():
    result = _lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No import cycle between the modules of an app KEPT" in result.stdout


def test_a_cycle_hidden_in_a_function_breaks_the_intra_app_contract(tmp_path):
    """The shape issue 9 removed: models imports conditions at the top, conditions reaches back
    into models inside a function."""
    (contract,) = [c for c in _contracts() if c["type"] == "acyclic_siblings"]
    app = tmp_path / "someapp"
    app.mkdir()
    (app / "__init__.py").write_text("")
    (app / "models.py").write_text("from . import conditions\n")
    (app / "conditions.py").write_text("def rule():\n    from . import models\n\n    return models\n")
    (tmp_path / ".importlinter").write_text(
        "[importlinter]\nroot_packages =\n    someapp\n\n"
        f"[importlinter:contract:one]\nname = {contract['name']}\ntype = {contract['type']}\n"
        "ancestors =\n    someapp\n"
    )
    result = _lint_imports(tmp_path)  # reads .importlinter in the working directory
    assert result.returncode == 1, result.stdout
    assert "BROKEN" in result.stdout and ".models -> .conditions" in result.stdout

    (app / "conditions.py").write_text("def rule():\n    return None\n")
    assert _lint_imports(tmp_path).returncode == 0


def _import_layers():
    spec = importlib.util.spec_from_file_location("import_layers", ROOT / "scripts" / "import_layers.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_imports_inside_functions_are_only_the_justified_ones():
    """An import inside a function is allowed only in AppConfig.ready() (models load once the
    registry is ready); anywhere else it would be hiding a cycle the contracts must see."""
    layers = _import_layers()
    found = []
    for app in layers.RANK:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            for line, module, inner in layers.imports(path, app):
                if inner and path.name != "apps.py":
                    found.append(f"{path.relative_to(ROOT)}:{line} {module}")
    assert found == []
