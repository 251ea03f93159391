"""Count upward imports and cycles between the project's apps (every import, including those
inside functions). Usage: python scripts/import_layers.py [-v]

The layers are the ones declared for import-linter in pyproject.toml ([tool.importlinter]);
an import from an app into an app of a higher layer is "upward"; a cycle is a strongly
connected set of two or more apps in the app-level graph.
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


def imports(path: pathlib.Path):
    tree = ast.parse(path.read_text(), str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name.split(".")[0]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.lineno, node.module.split(".")[0]


def main(verbose: bool) -> None:
    graph = defaultdict(set)
    upward = []
    for app in RANK:
        for path in sorted((ROOT / app).rglob("*.py")) if (ROOT / app).is_dir() else []:
            if "migrations" in path.parts:
                continue
            for line, target in imports(path):
                if target in RANK and target != app:
                    graph[app].add(target)
                    if RANK[target] > RANK[app] or (RANK[target] == RANK[app]):
                        upward.append(f"{path.relative_to(ROOT)}:{line} {app} -> {target}")
    # cycles: strongly connected components (Tarjan) of size > 1
    index, low, stack, on, sccs, counter = {}, {}, [], set(), [], [0]

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
                sccs.append(sorted(comp))

    for v in list(RANK):
        if v not in index:
            strong(v)
    pairs = sorted({tuple(sorted((a, b))) for a in graph for b in graph[a] if a in graph[b]})
    print(f"upward or sibling imports: {len(upward)}")
    print(f"app cycles (strongly connected groups): {len(sccs)} {sccs}")
    print(f"two-app cycles: {len(pairs)} {pairs}")
    if verbose:
        print("\n".join(upward))


if __name__ == "__main__":
    main("-v" in sys.argv)
