"""Count upward imports and cycles between the project's apps, cycles between the modules of one
app, and imports inside functions (every import counts, including those inside functions).
Usage: python scripts/import_layers.py [-v]

The layers are the ones declared for import-linter in pyproject.toml ([tool.importlinter]);
an import from an app into an app of a higher layer is "upward"; a cycle is a strongly
connected set of two or more apps in the app-level graph. Inside an app, a cycle is a strongly
connected set of two or more of its top-level modules (or subpackages), as import-linter's
acyclic_siblings contract sees them. A function-level import is any import not at a module's
top level (apps.py's ready() and similar included; migrations and tests are not counted).
"""

import ast
import pathlib
import sys
from collections import defaultdict

ROOT = pathlib.Path(__file__).resolve().parent.parent
# Bottom first; apps in one list are independent siblings (an import between them counts too).
LAYERS = [
    ["core"],
    ["reference"],
    ["accounts"],
    ["quotas"],
    ["lists"],
    ["applications"],
    ["reviews", "experts"],
    ["publicity"],
    ["exports"],
    ["dashboard"],
    ["greenmfg"],
]
RANK = {app: i for i, layer in enumerate(LAYERS) for app in layer}


def imports(path: pathlib.Path, app: str):
    """(line, imported module's dotted name, inside a function?) for every import of the file."""
    tree = ast.parse(path.read_text(), str(path))
    package = ".".join(path.relative_to(ROOT).with_suffix("").parts)
    if path.name != "__init__.py":
        package = package.rpartition(".")[0]
    nested = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            nested.update(id(n) for n in ast.walk(node) if n is not node)
    for node in ast.walk(tree):
        inner = id(node) in nested
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name, inner
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                module = f"{base}.{node.module}" if node.module else base
                if not node.module:  # from . import a, b: each name may be a module
                    for alias in node.names:
                        yield node.lineno, f"{base}.{alias.name}", inner
                    continue
            else:
                module = node.module
            yield node.lineno, module, inner


def sccs_of(graph, nodes):
    """Strongly connected groups of two or more nodes (Tarjan)."""
    index, low, stack, on, found, counter = {}, {}, [], set(), [], [0]

    def strong(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in graph[v]:
            if w not in index:
                strong(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                found.append(sorted(comp))

    for v in sorted(nodes):
        if v not in index:
            strong(v)
    return found


def main(verbose: bool) -> None:
    graph = defaultdict(set)
    inside = defaultdict(lambda: defaultdict(set))  # app -> module -> modules of the app it imports
    upward, function_level = [], []
    for app in RANK:
        for path in sorted((ROOT / app).rglob("*.py")) if (ROOT / app).is_dir() else []:
            if "migrations" in path.parts:
                continue
            rel = path.relative_to(ROOT)
            sibling = rel.parts[1].removesuffix(".py") if len(rel.parts) > 1 else None
            for line, module, inner in imports(path, app):
                target = module.split(".")[0]
                if inner:
                    function_level.append(f"{rel}:{line} {module}")
                if target in RANK and target != app:
                    graph[app].add(target)
                    if RANK[target] >= RANK[app]:
                        upward.append(f"{rel}:{line} {app} -> {target}")
                elif target == app and sibling and sibling != "__init__":
                    parts = module.split(".")
                    if len(parts) > 1 and parts[1] != sibling:
                        inside[app][sibling].add(parts[1])
    sccs = sccs_of(graph, RANK)
    pairs = sorted({tuple(sorted((a, b))) for a in graph for b in graph[a] if a in graph[b]})
    intra = {}
    for app, modules in inside.items():
        nodes = set(modules) | {m for targets in modules.values() for m in targets}
        if found := sccs_of(defaultdict(set, modules), nodes):
            intra[app] = found
    print(f"upward or sibling imports: {len(upward)}")
    print(f"app cycles (strongly connected groups): {len(sccs)} {sccs}")
    print(f"two-app cycles: {len(pairs)} {pairs}")
    print(
        f"intra-app cycles (strongly connected groups of one app's modules): "
        f"{sum(len(v) for v in intra.values())} {intra}"
    )
    print(f"function-level imports: {len(function_level)}")
    if verbose:
        print("\n".join(upward))
        print("\n".join(function_level))


if __name__ == "__main__":
    main("-v" in sys.argv)
