"""`make mutate`: does the suite fail when a rule of the notice breaks?

A small AST-based mutation runner (docs/decisions/0012-mutation-testing.md says why not mutmut or
cosmic-ray). It reads `mutation.toml`: which modules hold the rules, which functions and tables in
them to mutate, and which tests guard each module. For every mutation site it changes one thing —

    cmp    a comparison flipped at its boundary or negated (<→<=, >=→>, ==→!=, in→not in, is→is not)
    bool   `and` ↔ `or`
    not    a `not` removed
    neg    a condition negated (if / ternary / while, and the return value of a `-> bool` function)
    const  an integer constant +1 and −1; True ↔ False
    filter a `.filter(…)`/`.exclude(…)` call removed, or one of its arguments dropped
    fact   one fact of a state table's row flipped (True ↔ False), or the role in it set to None
    drop   one element dropped from a state table (module-level tuple/list/set/dict), from a
           transition's `conditions=`/`source=` list, or from a literal on the right of `in`

— writes the mutant into a private copy of the tree and runs only the module's tests there
(`pytest -x --reuse-db`, browser tests deselected) on the PostgreSQL that scripts/with-postgres.sh
started, one test database per worker. A mutant is killed when the tests fail (or cannot even be
collected), survives when they pass, times out past 3× its tests' baseline time (+60 s).

Survivors are printed with their diffs and everything goes to var/mutation/report.json:
{"killed", "survived", "timeout", "equivalent", "errors", "score", "survivors": [{"file", "line",
"id", "diff"}], "equivalents": [...], "modules": {...}}. Survivors listed in mutation.toml as
[[equivalent]] (with the reason; docs/mutation.md explains each) are reported apart and left out of
the score, which is killed / (killed + survived + timeout).

    scripts/with-postgres.sh .venv/bin/python scripts/mutate.py [--list] [--workers N] [FILE …]
"""

from __future__ import annotations

import argparse
import ast
import atexit
import copy
import difflib
import fnmatch
import json
import os
import queue
import shutil
import subprocess
import sys
import threading
import time
import tomllib
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "mutation.toml"
OUT = ROOT / "var" / "mutation"

CMP_FLIP = {
    ast.Lt: ast.LtE,
    ast.LtE: ast.Lt,
    ast.Gt: ast.GtE,
    ast.GtE: ast.Gt,
    ast.Eq: ast.NotEq,
    ast.NotEq: ast.Eq,
    ast.In: ast.NotIn,
    ast.NotIn: ast.In,
    ast.Is: ast.IsNot,
    ast.IsNot: ast.Is,
}
FILTER_CALLS = {"filter", "exclude"}
PYTEST_ARGS = [
    "-x",
    "-q",
    "--no-header",
    "-p",
    "no:randomly",
    "-p",
    "no:cacheprovider",
    "--reuse-db",
    "-m",
    "not browser",
]
# Imported once by each worker's fork server, before any mutant: what every run would otherwise
# import again (about two thirds of a run's start-up). Nothing of the project: the children import
# it fresh, mutant included.
PRELOAD = [
    "pytest",
    "pytest_django",
    "pytest_django.plugin",
    "pytest_playwright.pytest_playwright",
    "pytest_base_url.plugin",
    "playwright.sync_api",
    "django",
    "django.db.models",
    "django.test",
    "psycopg",
    "rest_framework",
    "drf_spectacular",
    "django_fsm",
    "factory",
    "openpyxl",
    "pypdf",
    "weasyprint",
]
DECORATOR_LISTS = {"conditions", "source"}
# Short names a fact table may give True and False (applications.states: T, F = True, False).
BOOL_NAMES = {"T": "F", "F": "T", "True": "False", "False": "True"}


@dataclass
class Mutant:
    file: str
    qualname: str
    op: str
    line: int
    start: tuple[int, int]  # (line, column in characters), 1-based line
    end: tuple[int, int]
    replacement: str
    original: str
    n: int = 0  # occurrence among identical ids, so ids stay unique
    # Inside a function body: the warm server swaps the function's code in place. Tables and
    # decorator arguments are read when the module is imported: a cold run imports the mutant.
    hot: bool = False

    @property
    def id(self) -> str:
        before = " ".join(self.original.split())
        after = " ".join(self.replacement.split())
        suffix = f"#{self.n}" if self.n else ""
        return f"{self.file}::{self.qualname}::{self.op}::{before} => {after}{suffix}"


@dataclass
class Result:
    mutant: Mutant
    status: str  # killed | survived | timeout | error
    seconds: float
    diff: str = ""
    output: str = ""
    cpu: float = 0.0
    killer: str | None = None  # the first test that failed


# --- finding mutation sites ----------------------------------------------------------------------


class Source:
    """The module's text with ast's (line, UTF-8 byte column) positions turned into characters."""

    def __init__(self, path: Path):
        self.text = path.read_text(encoding="utf-8")
        self.lines = self.text.splitlines(keepends=True)

    def col(self, line: int, byte_col: int) -> int:
        return len(self.lines[line - 1].encode("utf-8")[:byte_col].decode("utf-8"))

    def span(self, node) -> tuple[tuple[int, int], tuple[int, int]]:
        return (
            (node.lineno, self.col(node.lineno, node.col_offset)),
            (node.end_lineno, self.col(node.end_lineno, node.end_col_offset)),
        )

    def segment(self, node) -> str:
        return ast.get_source_segment(self.text, node) or ast.unparse(node)

    def replace(self, start, end, replacement: str) -> str:
        (l1, c1), (l2, c2) = start, end
        head = "".join(self.lines[: l1 - 1]) + self.lines[l1 - 1][:c1]
        tail = self.lines[l2 - 1][c2:] + "".join(self.lines[l2:])
        return head + replacement + tail


def _paren(text: str) -> str:
    return f"({text})"


class SiteFinder(ast.NodeVisitor):
    def __init__(self, file: str, src: Source, only: list[str], skip: list[str]):
        self.file, self.src, self.only, self.skip = file, src, only, skip
        self.stack: list[str] = []
        self.mutants: list[Mutant] = []
        self._in_function = 0
        self._bool_function: list[bool] = []

    # which code is in scope ----------------------------------------------------------------------

    def wanted(self, qualname: str) -> bool:
        return any(fnmatch.fnmatchcase(qualname, p) for p in self.only) and not any(
            fnmatch.fnmatchcase(qualname, p) for p in self.skip
        )

    def add(self, qualname, op, node, replacement, *, original=None, hot=False):
        start, end = self.src.span(node)
        self.mutants.append(
            Mutant(
                self.file,
                qualname,
                op,
                node.lineno,
                start,
                end,
                replacement,
                original if original is not None else self.src.segment(node),
                hot=hot,
            )
        )

    def visit_ClassDef(self, node):
        self.stack.append(node.name)
        for child in node.body:
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                self.visit(child)
        self.stack.pop()

    def visit_FunctionDef(self, node):
        qualname = ".".join([*self.stack, node.name])
        self.stack.append(node.name)
        if self.wanted(qualname):
            for decorator in node.decorator_list:
                for kw in getattr(decorator, "keywords", []):
                    if kw.arg in DECORATOR_LISTS and isinstance(kw.value, ast.List | ast.Tuple):
                        self.drop_elements(qualname, kw.value)
            returns_bool = isinstance(node.returns, ast.Name) and node.returns.id == "bool"
            self._bool_function.append(returns_bool)
            self._in_function += 1
            for child in node.body:
                MutationVisitor(self, qualname).visit(child)
            self._in_function -= 1
            self._bool_function.pop()
        else:
            for child in node.body:
                if isinstance(child, ast.FunctionDef | ast.ClassDef):
                    self.visit(child)
        self.stack.pop()

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_Module(self, node):
        for child in node.body:
            if isinstance(child, ast.Assign | ast.AnnAssign) and not self.stack:
                targets = child.targets if isinstance(child, ast.Assign) else [child.target]
                names = [t.id for t in targets if isinstance(t, ast.Name)]
                value = child.value
                if names and value is not None and self.wanted(names[0]):
                    if isinstance(value, ast.List | ast.Tuple | ast.Set):
                        self.drop_elements(names[0], value)
                    elif isinstance(value, ast.Dict):
                        self.drop_keys(names[0], value)
            else:
                self.visit(child)

    # the table operator --------------------------------------------------------------------------

    def drop_elements(self, qualname, seq, *, hot=False):
        for i in range(len(seq.elts)):
            if isinstance(seq.elts[i], ast.Starred):
                continue
            mutated = copy.deepcopy(seq)
            dropped = mutated.elts.pop(i)
            self.add(
                qualname,
                "drop",
                seq,
                ast.unparse(mutated) if mutated.elts or not isinstance(seq, ast.Set) else "set()",
                original=f"{self.src.segment(seq)} without {ast.unparse(dropped)}",
                hot=hot,
            )

    def flip_facts(self, qualname, d):
        """A table of facts (a dict of rows built by a call, like applications.states'
        STATE_FACTS): each boolean fact of each row flipped, each role in a row set to None."""
        for key, row in zip(d.keys, d.values, strict=True):
            if not isinstance(row, ast.Call):
                continue
            label = ast.unparse(key) if key is not None else "?"
            for i, arg in enumerate([*row.args, *(kw.value for kw in row.keywords)]):
                if isinstance(arg, ast.Constant) and isinstance(arg.value, bool):
                    replacement = str(not arg.value)
                elif isinstance(arg, ast.Name) and arg.id in BOOL_NAMES:
                    replacement = BOOL_NAMES[arg.id]
                elif isinstance(arg, ast.Name) and arg.id.isupper():
                    replacement = "None"  # a role (holder) taken out of the row
                else:
                    continue
                self.add(
                    qualname,
                    "fact",
                    arg,
                    replacement,
                    original=f"{label} fact {i}: {ast.unparse(arg)}",
                )

    def drop_keys(self, qualname, d):
        if any(isinstance(v, ast.Call) for v in d.values):
            return self.flip_facts(qualname, d)  # a row left out would only raise KeyError
        for i in range(len(d.keys)):
            if d.keys[i] is None:
                continue
            mutated = copy.deepcopy(d)
            key = mutated.keys.pop(i)
            mutated.values.pop(i)
            self.add(
                qualname,
                "drop",
                d,
                ast.unparse(mutated),
                original=f"{{…}} without {ast.unparse(key)}",
            )


class MutationVisitor(ast.NodeVisitor):
    """Walks one function body (nested functions and lambdas included) and records its sites."""

    def __init__(self, finder: SiteFinder, qualname: str):
        self.f, self.q = finder, qualname

    def add(self, op, node, replacement, **kw):
        self.f.add(self.q, op, node, replacement, hot=True, **kw)

    def visit_Compare(self, node):
        if len(node.ops) == 1:
            flipped = CMP_FLIP.get(type(node.ops[0]))
            if flipped:
                mutated = copy.deepcopy(node)
                mutated.ops = [flipped()]
                self.add("cmp", node, _paren(ast.unparse(mutated)))
            if isinstance(node.ops[0], ast.In | ast.NotIn) and isinstance(
                node.comparators[0], ast.Tuple | ast.List | ast.Set
            ):
                self.f.drop_elements(self.q, node.comparators[0], hot=True)
        self.generic_visit(node)

    def visit_BoolOp(self, node):
        mutated = copy.deepcopy(node)
        mutated.op = ast.Or() if isinstance(node.op, ast.And) else ast.And()
        self.add("bool", node, _paren(ast.unparse(mutated)))
        self.generic_visit(node)

    def visit_UnaryOp(self, node):
        if isinstance(node.op, ast.Not):
            self.add("not", node, _paren(self.f.src.segment(node.operand)))
        self.generic_visit(node)

    def _negate(self, test):
        if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
            return  # the "not" operator already removes it
        self.add("neg", test, f"(not ({self.f.src.segment(test)}))")

    def visit_If(self, node):
        self._negate(node.test)
        self.generic_visit(node)

    visit_While = visit_If

    def visit_IfExp(self, node):
        self._negate(node.test)
        self.generic_visit(node)

    def visit_Return(self, node):
        if node.value is not None and self.f._bool_function and self.f._bool_function[-1]:
            self._negate(node.value)
        self.generic_visit(node)

    def visit_Call_getattr_default(self, node):
        return isinstance(node.func, ast.Name) and node.func.id == "getattr" and len(node.args) == 3

    def visit_Constant(self, node):
        if isinstance(node.value, bool):
            self.add("const", node, str(not node.value))
        elif isinstance(node.value, int):
            self.add("const", node, str(node.value + 1))
            self.add("const", node, _paren(str(node.value - 1)))

    def visit_Call(self, node):
        func = node.func
        if self.visit_Call_getattr_default(node):
            # getattr(user, "is_authenticated", False): every user object has the attribute, so
            # the default is never read — always an equivalent mutant. Mutate only the object.
            self.visit(node.args[0])
            return
        if isinstance(func, ast.Attribute) and func.attr in FILTER_CALLS:
            self.add("filter", node, self.f.src.segment(func.value))
            args = [*node.args, *node.keywords]
            if len(args) > 1:
                for i in range(len(args)):
                    mutated = copy.deepcopy(node)
                    if i < len(node.args):
                        mutated.args.pop(i)
                    else:
                        mutated.keywords.pop(i - len(node.args))
                    self.add("filter", node, ast.unparse(mutated))
        self.generic_visit(node)

    def visit_FunctionDef(self, node):
        # A nested function is part of its parent's rule; its own `-> bool` returns count too.
        returns_bool = isinstance(node.returns, ast.Name) and node.returns.id == "bool"
        self.f._bool_function.append(returns_bool)
        for child in node.body:
            self.visit(child)
        self.f._bool_function.pop()

    def visit_JoinedStr(self, node):
        return  # text of messages: not a rule

    def visit_Expr(self, node):
        if isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
            return  # a docstring
        self.generic_visit(node)


def find_mutants(module: dict) -> tuple[list[Mutant], str]:
    path = ROOT / module["path"]
    src = Source(path)
    tree = ast.parse(src.text)
    finder = SiteFinder(module["path"], src, module.get("only", ["*"]), module.get("skip", []))
    finder.visit(tree)
    original = ast.dump(tree)
    seen: dict[str, int] = {}
    kept = []
    for m in finder.mutants:
        text = src.replace(m.start, m.end, m.replacement)
        try:
            mutated = ast.parse(text)
            compile(mutated, m.file, "exec")
        except SyntaxError:
            continue
        if ast.dump(mutated) == original:
            continue
        m.n = seen.get(m.id, 0)
        seen[m.id] = m.n + 1
        if module.get("cold"):
            m.hot = False  # the code runs where a swap in the test process cannot reach it
        kept.append(m)
    return kept, src.text


def mutant_text(m: Mutant, original: str) -> str:
    src = Source.__new__(Source)
    src.text, src.lines = original, original.splitlines(keepends=True)
    return src.replace(m.start, m.end, m.replacement)


def diff_of(m: Mutant, original: str) -> str:
    return "".join(
        difflib.unified_diff(
            original.splitlines(keepends=True),
            mutant_text(m, original).splitlines(keepends=True),
            f"a/{m.file}",
            f"b/{m.file}",
            n=1,
        )
    )


# --- running -------------------------------------------------------------------------------------


class Worker:
    """A private copy of the tree and a test database of its own."""

    def __init__(self, n: int, base_url: str, keyword: str = ""):
        self.n, self.keyword = n, keyword
        self.dir = OUT / "work" / f"w{n}"
        if self.dir.exists():
            shutil.rmtree(self.dir)
        shutil.copytree(
            ROOT,
            self.dir,
            ignore=shutil.ignore_patterns(
                ".git", ".venv", "var", "__pycache__", "*.pyc", ".pytest_cache", ".ruff_cache", "test-results"
            ),
        )
        (self.dir / "var" / "media").mkdir(parents=True, exist_ok=True)
        url = urlsplit(base_url)
        self.env = {
            **os.environ,
            "DATABASE_URL": urlunsplit(url._replace(path=f"{url.path}_mutate{n}")),
            "MEDIA_ROOT": str(self.dir / "var" / "media"),
            "PYTHONPATH": str(self.dir),
            "PYTHONDONTWRITEBYTECODE": "1",  # a same-size mutant within one second must not hit a stale .pyc
            # Every worker iterates sets of strings in the same order: the baseline's record of
            # which test calls which function holds for the worker that runs the mutant.
            "PYTHONHASHSEED": "0",
        }
        self.env.pop("CI", None)
        probe = subprocess.run(
            [sys.executable, "-c", "import applications; print(applications.__file__)"],
            cwd=self.dir,
            env=self.env,
            capture_output=True,
            text=True,
        )
        if not probe.stdout.strip().startswith(str(self.dir)):
            raise SystemExit(f"mutate: worker {n} imports {probe.stdout.strip()!r}, not its copy {self.dir}")

    def _spawn(self, kind: str):
        proc = subprocess.Popen(
            [sys.executable, __file__, "--serve", kind],
            cwd=self.dir,
            env=self.env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            bufsize=1,
        )
        atexit.register(proc.terminate)
        return proc

    def start_servers(self, files: list[str]):
        """The worker's two fork servers, stopped when the run ends however it ends: a cold one
        (third-party libraries imported once, the project imported afresh by each child: for
        mutants read at import time) and a warm one (one pytest session over `files` with the
        test database set up: for mutants inside function bodies)."""
        self.cold = self._spawn("cold")
        self.warm = self._spawn("warm")
        log = self.dir / "var" / "warm-server.log"
        args = [*PYTEST_ARGS[1:], *(["-k", self.keyword] if self.keyword else []), *files]
        self.warm.stdin.write(json.dumps({"args": args, "log": str(log)}) + "\n")
        for proc, kind in ((self.cold, "cold"), (self.warm, "warm")):
            if proc.stdout.readline().strip() != "ready":
                tail = log.read_text(errors="replace")[-5000:] if log.exists() else ""
                raise SystemExit(f"mutate: worker {self.n}'s {kind} server did not start\n{tail}")

    def stop_servers(self):
        for proc in (getattr(self, "cold", None), getattr(self, "warm", None)):
            if proc is not None and proc.poll() is None:
                proc.stdin.close()
                try:
                    proc.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    proc.terminate()

    def _ask(self, proc, request: dict) -> tuple[int | None, float, str]:
        log = self.dir / "var" / "last-run.log"
        proc.stdin.write(json.dumps({**request, "log": str(log)}) + "\n")
        answer = json.loads(proc.stdout.readline())
        out = log.read_text(encoding="utf-8", errors="replace") if log.exists() else ""
        self.last_cpu = answer.get("cpu", 0.0)
        return answer["rc"], answer["seconds"], out

    def pytest(self, tests: list[str], timeout: float, first=()) -> tuple[int | None, float, str]:
        """A cold run: a fresh pytest over `tests` that imports the project as it is on disk."""
        args = [*PYTEST_ARGS, *(["-k", self.keyword] if self.keyword else []), *tests]
        return self._ask(self.cold, {"args": args, "timeout": timeout, "first": list(first)})

    def warm_run(
        self, mutant: dict | None, tests, timeout, durations=None, first=(), items=None, coverage=None
    ):
        return self._ask(
            self.warm,
            {
                "mutant": mutant,
                "tests": tests,
                "items": items,
                "timeout": timeout,
                "durations": durations,
                "first": list(first),
                **(coverage or {}),
            },
        )

    def run(self, m: Mutant, original: str, tests: list[str], timeout: float, first=(), items=None) -> Result:
        """`items`: for a mutant inside a function, the tests (node ids) that call it — None
        runs every test of `tests`."""
        text = mutant_text(m, original)
        rc = None
        if m.hot and items is not None and not items:
            # No mapped test calls the function: every test runs exactly as without the mutant.
            note = f"no mapped test calls {m.qualname}"
            return Result(m, "survived", 0.0, diff_of(m, original), note, 0.0, None)
        if m.hot:
            rc, seconds, out = self.warm_run(
                {"file": m.file, "qualname": m.qualname, "text": text},
                tests,
                timeout,
                first=first,
                items=items,
            )
        if not m.hot or rc == 4:  # read at import time, or not patchable in place: a cold run
            target = self.dir / m.file
            target.write_text(text, encoding="utf-8")
            try:
                rc, seconds, out = self.pytest(tests, timeout + 60, first=first)
            finally:
                target.write_text(original, encoding="utf-8")
        if rc is None:
            status = "timeout"
        elif rc == 0:
            status = "survived"
        elif rc in (1, 2, 3):  # failed, or interrupted by an error the mutant caused (import, collection)
            status = "killed"
        else:  # 4 usage error, 5 no tests: the configuration is wrong, not the mutant
            status = "error"
        killer = next((line.split()[1] for line in out.splitlines() if line.startswith("FAILED ")), None)
        return Result(
            m,
            status,
            seconds,
            diff_of(m, original),
            out[-3000:] if status != "killed" else "",
            self.last_cpu,
            killer if status == "killed" else None,
        )


def serve_cold() -> int:
    """A worker's fork server: import the heavy libraries once, then for each request on stdin
    ({"args", "timeout", "log"}) fork a child that runs pytest in-process on the worker's copy of
    the tree and answer {"rc", "seconds"} (rc null on timeout). The parent never imports the
    project nor opens a database connection, so every child starts clean."""
    import importlib
    import signal

    sys.dont_write_bytecode = True
    for name in PRELOAD:
        try:
            importlib.import_module(name)
        except Exception:
            pass  # loaded by the child instead
    sys.path.insert(0, os.getcwd())
    child = {"pid": 0}

    def stop(signum, frame):  # the run was interrupted: take the running child down too
        if child["pid"]:
            try:
                os.killpg(child["pid"], signal.SIGKILL)
            except ProcessLookupError:
                pass
        os._exit(1)

    signal.signal(signal.SIGTERM, stop)
    print("ready", flush=True)
    for line in sys.stdin:
        request = json.loads(line)
        started = time.monotonic()
        pid = child["pid"] = os.fork()
        if pid == 0:  # the child: one pytest run, then exit with its code
            os.setpgid(0, 0)
            fd = os.open(request["log"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
            os.dup2(fd, 1)
            os.dup2(fd, 2)
            code = 3
            try:
                import pytest

                code = int(pytest.main(request["args"], plugins=[_FirstTests(request.get("first") or [])]))
            finally:
                sys.stdout.flush()
                sys.stderr.flush()
                os._exit(code)
        rc, cpu = _wait(pid, request["timeout"], request["log"])
        print(json.dumps({"rc": rc, "seconds": time.monotonic() - started, "cpu": cpu}), flush=True)
    return 0


class _FirstTests:
    """A cold run's order: the tests that killed the module's latest mutants first, the rest as
    collected (as the warm server does; a survivor still runs every test)."""

    def __init__(self, first: list[str]):
        self.first = {nodeid: n for n, nodeid in enumerate(first)}

    def pytest_collection_modifyitems(self, items):
        items.sort(key=lambda item: self.first.get(item.nodeid, len(self.first)))


class _SessionOnly:
    """Stands for "the next item" when tearing down to the session: session-scoped fixtures (the
    test database) stay up, everything below them goes."""

    def __init__(self, session):
        self.session = session

    def listchain(self):
        return [self.session]


def _patch(file: str, qualname: str, text: str) -> None:
    """Swap the code of the live function `qualname` of module `file` for its code in `text`."""
    import importlib

    module = importlib.import_module(file[:-3].replace("/", "."))
    compiled = compile(text, module.__file__, "exec")

    def find(code):
        for const in code.co_consts:
            if hasattr(const, "co_qualname"):
                if const.co_qualname == qualname:
                    return const
                found = find(const)
                if found is not None:
                    return found
        return None

    new_code = find(compiled)
    obj = module
    for part in qualname.split("."):
        obj = vars(obj)[part] if part in vars(obj) else getattr(obj, part)
    for attr in ("fget", "__func__", "func"):  # property, static/classmethod, cached_property
        if not hasattr(obj, "__code__") and hasattr(obj, attr):
            obj = getattr(obj, attr)
    while getattr(getattr(obj, "__code__", None), "co_qualname", None) != qualname:
        obj = obj.__wrapped__  # a decorator's wrapper (django-fsm's transition) → the function
    if new_code is None:
        raise LookupError(qualname)
    obj.__code__ = new_code


class _Calls:
    """Which functions of the mutated modules each test calls (the baseline records it): a
    test that never calls a function cannot tell the function's mutant from the original —
    its run is the same, call for call — so a mutant inside a function runs only the tests that
    call it. A global trace function that returns None sees each call and traces no lines;
    only the baseline pays for it."""

    def __init__(self, files: list[str]):
        root = os.getcwd() + os.sep
        self.files = {root + f: f for f in files}
        self.by_test: dict[str, list[str]] = {}
        self.seen: set[str] = set()

    def _trace(self, frame, event, arg):
        code = frame.f_code
        file = self.files.get(code.co_filename)
        if file is not None:
            self.seen.add(f"{file}::{code.co_qualname}")
        return None

    def start(self):
        import threading

        self.seen = set()
        sys.settrace(self._trace)
        threading.settrace(self._trace)

    def stop(self, nodeid: str):
        import threading

        sys.settrace(None)
        threading.settrace(None)
        self.by_test[nodeid] = sorted(self.seen)


def _forget_forkserver() -> None:
    """In a forked child: forget the multiprocessing forkserver the warm session may have started
    (a fixture that uploads a PDF runs the PDF check, applications/pdf_check.py). It is not the
    child's own child, so using it fails (ChildProcessError); the child starts its own."""
    from multiprocessing import forkserver

    server = forkserver._forkserver
    server._forkserver_pid = server._forkserver_address = server._forkserver_alive_fd = None


def serve_warm() -> int:
    """A worker's warm server: one pytest session that collects every mapped test file, sets up
    the test database once and then, for each request on stdin ({"mutant": {"file", "qualname",
    "text"} | null, "tests", "timeout", "log", "durations"}), forks a child that swaps the
    mutated function's code in place and runs the requested tests' items (-x), answering
    {"rc", "seconds", "cpu"} on the original stdout. Only mutants inside function bodies come
    here (Mutant.hot); the rest go to the cold server."""
    import signal

    import pytest
    from _pytest.runner import runtestprotocol

    sys.dont_write_bytecode = True
    sys.path.insert(0, os.getcwd())
    answer = os.fdopen(os.dup(1), "w", buffering=1)
    requests = os.fdopen(os.dup(0), "r")  # pytest captures sys.stdin
    start = json.loads(requests.readline())
    log = os.open(start["log"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    os.dup2(log, 1)
    os.dup2(log, 2)
    child = {"pid": 0}

    def stop(signum, frame):
        if child["pid"]:
            try:
                os.killpg(child["pid"], signal.SIGKILL)
            except ProcessLookupError:
                pass
        os._exit(1)

    signal.signal(signal.SIGTERM, stop)

    class Loop:
        @pytest.hookimpl(tryfirst=True)
        def pytest_runtestloop(self, session):
            items = session.items
            by_file: dict[str, list] = {}
            for item in items:
                by_file.setdefault(item.nodeid.split("::")[0], []).append(item)
            top = _SessionOnly(session)
            # The test database, once: set up the first item, fetch the session fixture, tear
            # down to the session and close the connection so every child opens its own.
            first = items[0]
            first.ihook.pytest_runtest_setup(item=first)
            first._request.getfixturevalue("django_db_setup")
            first.ihook.pytest_runtest_teardown(item=first, nextitem=top)
            first._request = False
            first.funcargs = None
            from django.db import connections

            connections.close_all()
            print("ready", file=answer, flush=True)
            for line in requests:
                request = json.loads(line)
                started = time.monotonic()
                pid = child["pid"] = os.fork()
                if pid == 0:
                    os.setpgid(0, 0)
                    _forget_forkserver()
                    fd = os.open(request["log"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
                    os.dup2(fd, 1)
                    os.dup2(fd, 2)
                    code = 0
                    try:
                        mutant = request["mutant"]
                        if mutant:
                            try:
                                _patch(mutant["file"], mutant["qualname"], mutant["text"])
                            except Exception as exc:  # cannot patch here: the cold server will
                                print(f"cannot patch {mutant['qualname']}: {exc!r}", flush=True)
                                os._exit(4)
                        chosen = [i for f in request["tests"] for i in by_file.get(f, [])]
                        if request.get("items") is not None:  # the tests that call the function
                            wanted = set(request["items"])
                            chosen = [i for i in chosen if i.nodeid in wanted]
                        # The tests that killed this module's last mutants go first: a mutant
                        # is usually caught by what caught its neighbours (the order changes
                        # nothing else: a survivor still runs every test).
                        first = {nodeid: n for n, nodeid in enumerate(request.get("first") or [])}
                        chosen.sort(key=lambda i: first.get(i.nodeid, len(first)))
                        durations = {}
                        calls = _Calls(request["coverage"]) if request.get("coverage") else None
                        for n, item in enumerate(chosen):
                            nextitem = chosen[n + 1] if n + 1 < len(chosen) else top
                            if calls:
                                calls.start()
                            reports = runtestprotocol(item, nextitem=nextitem, log=False)
                            if calls:
                                calls.stop(item.nodeid)
                            durations[item.nodeid] = sum(r.duration for r in reports)
                            # Progress for the parent: a run that still finishes tests is slow
                            # (a loaded machine), not stuck; see _wait.
                            print(f"ran {item.nodeid}", flush=True)
                            if any(r.failed for r in reports):
                                print(f"FAILED {item.nodeid}", flush=True)
                                for r in reports:
                                    if r.failed:
                                        print(r.longreprtext[-3000:], flush=True)
                                code = 1
                                break
                        if request.get("durations"):
                            Path(request["durations"]).write_text(json.dumps(durations))
                        if calls:
                            Path(request["coverage_out"]).write_text(json.dumps(calls.by_test))
                    except BaseException as exc:  # the mutant broke the run itself: caught
                        print(f"run broken: {exc!r}", flush=True)
                        code = 3
                    finally:
                        sys.stdout.flush()
                        sys.stderr.flush()
                        os._exit(code)
                rc, cpu = _wait(pid, request["timeout"], request["log"])
                child["pid"] = 0
                print(
                    json.dumps({"rc": rc, "seconds": time.monotonic() - started, "cpu": cpu}),
                    file=answer,
                    flush=True,
                )
            return True

    return int(pytest.main(start["args"], plugins=[Loop()]))


def _wait(pid: int, budget: float, progress: str) -> tuple[int | None, float]:
    """Wait for a child; (exit code or None on timeout, CPU seconds). A timeout is `budget`
    seconds without progress — nothing new written to the child's log (the warm child writes a
    line per finished test, pytest a dot) — so a run that a loaded machine slows down but that
    still finishes tests is not cut off (the first full run on the shared machine reported
    survivors as timeouts that way); a mutant stuck in one test still is."""
    import signal

    last, size = time.monotonic(), -1
    while True:
        done, status, usage = os.wait4(pid, os.WNOHANG)
        if done:
            rc = os.waitstatus_to_exitcode(status)
            return (rc if rc >= 0 else 3), usage.ru_utime + usage.ru_stime  # a signal: killed
        now = time.monotonic()
        try:
            grown = os.stat(progress).st_size
        except OSError:
            grown = size
        if grown != size:
            size, last = grown, now
        if now - last > budget:
            try:
                os.killpg(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            os.waitpid(pid, 0)
            return None, 0.0
        time.sleep(0.05)


def build_report(results, plan, equivalent, *, total, started, complete, partial_files) -> dict:
    """The report as the issue asks for it, plus timeouts, errors, equivalents and per-module
    counts. Written after every mutant (complete: false) so an interrupted run still tells."""
    results = sorted(results, key=lambda r: (r.mutant.file, r.mutant.line, r.mutant.id))
    survivors = [r for r in results if r.status == "survived" and r.mutant.id not in equivalent]
    equivalents = [r for r in results if r.status == "survived" and r.mutant.id in equivalent]
    counts = {s: sum(1 for r in results if r.status == s) for s in ("killed", "timeout", "error")}
    counts["survived"] = len(survivors)
    counts["equivalent"] = len(equivalents)
    considered = counts["killed"] + counts["survived"] + counts["timeout"]
    score = counts["killed"] / considered if considered else 1.0
    per_module = {}
    for module, mutants, _original in plan:
        rs = [r for r in results if r.mutant.file == module["path"]]
        per_module[module["path"]] = {
            s: sum(1 for r in rs if r.status == s and not (s == "survived" and r.mutant.id in equivalent))
            for s in ("killed", "survived", "timeout", "error")
        } | {
            "equivalent": sum(1 for r in rs if r.status == "survived" and r.mutant.id in equivalent),
            "mutants": len(mutants),
        }
    stale = sorted(set(equivalent) - {r.mutant.id for r in results}) if complete and not partial_files else []

    def row(r):
        note = {"note": r.output} if r.output.startswith("no mapped test calls") else {}
        return {"file": r.mutant.file, "line": r.mutant.line, "id": r.mutant.id, "diff": r.diff} | note

    return {
        **counts,
        "score": round(score, 4),
        "complete": complete,
        "mutants": total,
        "run": len(results),
        "minutes": round((time.monotonic() - started) / 60, 1),
        "cpu_minutes": round(sum(r.cpu for r in results) / 60, 1),
        "survivors": [row(r) for r in survivors],
        "timeouts": [row(r) for r in results if r.status == "timeout"],
        "errors": [row(r) | {"output": r.output} for r in results if r.status == "error"],
        "equivalents": [row(r) | {"reason": equivalent[r.mutant.id]} for r in equivalents],
        "modules": per_module,
        "stale_equivalents": stale,
    }


def write_report(report: dict) -> None:
    path = OUT / "report.json"
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    tmp.replace(path)


def load_config() -> dict:
    with CONFIG.open("rb") as fh:
        return tomllib.load(fh)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("files", nargs="*", help="only these modules (paths as in mutation.toml)")
    parser.add_argument("--list", action="store_true", help="list the mutants and stop")
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--serve", choices=["cold", "warm"], help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve:
        return serve_warm() if args.serve == "warm" else serve_cold()

    config = load_config()
    modules = [m for m in config["module"] if not args.files or m["path"] in args.files]
    if not modules:
        raise SystemExit("mutate: no module of mutation.toml matches " + " ".join(args.files))
    equivalent = {e["id"]: e["reason"] for e in config.get("equivalent", [])}

    plan = []
    for module in modules:
        mutants, original = find_mutants(module)
        plan.append((module, mutants, original))
        print(f"{module['path']}: {len(mutants)} mutants, {len(module['tests'])} test files", flush=True)
    total = sum(len(p[1]) for p in plan)
    print(f"{total} mutants in {len(plan)} modules", flush=True)
    if args.list:
        for _module, mutants, _original in plan:
            for m in mutants:
                print(m.id)
        return 0

    base_url = os.environ.get("DATABASE_URL", "")
    if not base_url.startswith("postgres"):
        raise SystemExit("mutate: needs PostgreSQL — run it through `make mutate` (scripts/with-postgres.sh)")
    n_workers = args.workers or int(config.get("settings", {}).get("workers", 2))
    OUT.mkdir(parents=True, exist_ok=True)
    keyword = config.get("settings", {}).get("keyword", "")
    started = time.monotonic()
    workers = [Worker(n, base_url, keyword) for n in range(n_workers)]
    files = list(dict.fromkeys(t for module, _m, _o in plan for t in module["tests"]))
    starting = [threading.Thread(target=w.start_servers, args=(files,)) for w in workers]
    for t in starting:
        t.start()
    for t in starting:
        t.join()
    if not all(getattr(w, "warm", None) and w.warm.poll() is None for w in workers):
        raise SystemExit("mutate: a worker's servers did not start")
    print(f"servers ready after {(time.monotonic() - started) / 60:.1f} min", flush=True)
    factor = float(config.get("settings", {}).get("timeout_factor", 3))

    # Baseline: every mapped test file once, unmutated, split among the workers. They must pass;
    # their times set each module's timeout.
    chunks = [files[i :: len(workers)] for i in range(len(workers))]
    file_seconds: dict[str, float] = {}
    test_seconds: dict[str, float] = {}
    callers: dict[str, set[str]] = {}  # "file::qualname" → the tests that call it
    hot_files = sorted({module["path"] for module, mutants, _o in plan if any(m.hot for m in mutants)})
    failed: list[str] = []

    def baseline(w: Worker, chunk: list[str]):
        if not chunk:
            return
        path = w.dir / "var" / "baseline.json"
        calls_path = w.dir / "var" / "baseline-calls.json"
        rc, seconds, out = w.warm_run(
            None,
            chunk,
            3600,
            durations=str(path),
            coverage={"coverage": hot_files, "coverage_out": str(calls_path)},
        )
        print(f"baseline (worker {w.n}, {len(chunk)} test files): {seconds:.0f}s", flush=True)
        if rc != 0:
            print(out[-5000:], flush=True)
            failed.extend(chunk)
            return
        for nodeid, secs in json.loads(path.read_text()).items():
            test_file = nodeid.split("::")[0]
            file_seconds[test_file] = file_seconds.get(test_file, 0.0) + secs
            test_seconds[nodeid] = secs
        for nodeid, functions in json.loads(calls_path.read_text()).items():
            for function in functions:
                callers.setdefault(function, set()).add(nodeid)
        missing = [f for f in chunk if f not in file_seconds]
        if missing:
            failed.extend(missing)  # no test collected from them: a wrong path in mutation.toml

    threads = [threading.Thread(target=baseline, args=(w, c)) for w, c in zip(workers, chunks, strict=True)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if failed:
        raise SystemExit("mutate: tests fail (or none found) without any mutant, in: " + ", ".join(failed))
    timeouts = {
        module["path"]: factor * sum(file_seconds.get(t, 0.0) for t in module["tests"]) + 60
        for module, _m, _o in plan
    }
    jobs: queue.Queue = queue.Queue()
    for module, mutants, original in plan:
        for m in mutants:
            jobs.put((m, original, module["tests"]))

    results: list[Result] = []
    lock = threading.Lock()
    killers: dict[str, list[str]] = {}  # per module, the tests that killed its latest mutants

    def work(w: Worker):
        while True:
            try:
                m, original, tests = jobs.get_nowait()
            except queue.Empty:
                return
            with lock:
                first = list(killers.get(m.file, []))
            items, timeout = None, timeouts[m.file]
            if m.hot:
                calling = callers.get(f"{m.file}::{m.qualname}", ())
                items = sorted(n for n in calling if n.split("::")[0] in tests)
                timeout = factor * sum(test_seconds.get(n, 0.0) for n in items) + 60
            r = w.run(m, original, tests, timeout, first=first, items=items)
            with lock:
                if r.killer:
                    recent = [r.killer, *(k for k in killers.get(m.file, []) if k != r.killer)]
                    killers[m.file] = recent[:10]
                results.append(r)
                write_report(
                    build_report(
                        results,
                        plan,
                        equivalent,
                        total=total,
                        started=started,
                        complete=False,
                        partial_files=bool(args.files),
                    )
                )
                mark = {"killed": ".", "survived": "S", "timeout": "T", "error": "E"}[r.status]
                if r.status != "killed" and r.mutant.id in equivalent:
                    mark = "e"
                print(f"[{len(results)}/{total}] {mark} {r.seconds:5.1f}s {m.id}", flush=True)

    threads = [threading.Thread(target=work, args=(w,)) for w in workers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    for w in workers:
        w.stop_servers()
    # A worker whose servers were stopped under it (the run interrupted) ends its thread early:
    # then the run is not complete, whatever the threads did.
    complete = len(results) == total
    report = build_report(
        results,
        plan,
        equivalent,
        total=total,
        started=started,
        complete=complete,
        partial_files=bool(args.files),
    )
    write_report(report)
    survivors = [
        r
        for r in sorted(results, key=lambda r: (r.mutant.file, r.mutant.line))
        if r.status == "survived" and r.mutant.id not in equivalent
    ]
    counts = report
    score = report["score"]
    stale = report["stale_equivalents"]
    shutil.rmtree(OUT / "work", ignore_errors=True)

    for r in survivors:
        print(f"\nSURVIVED {r.mutant.id}\n{r.diff}")
    for r in results:
        if r.status == "error":
            print(f"\nERROR {r.mutant.id}\n{r.output}")
    print(
        f"\nkilled {counts['killed']}, survived {counts['survived']}, timeout {counts['timeout']}, "
        f"equivalent {counts['equivalent']}, errors {counts['error']}: "
        f"{score:.1%} of non-equivalent mutants killed in {report['minutes']} min "
        f"(var/mutation/report.json)"
    )
    if stale and not args.files:
        print("listed as equivalent but no longer produced (remove from mutation.toml):", *stale, sep="\n  ")
    if not complete:
        print(f"INCOMPLETE: {len(results)} of {total} mutants run", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
