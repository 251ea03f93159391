"""The child process of the PDF check (applications/pdf_check.py): parse one PDF under limits.

Loaded by a forkserver (stdlib and pypdf only, no Django): each check forks a child from it,
which lowers its own limits first (address space, CPU time, no core files, no files written),
then parses the file with pypdf: the trailer, every indirect object (object streams included),
the page tree and every page's content stream. It sends back {"pages": N} or
{"refused": "<reason code>"}. Anything else — a crash, a MemoryError, a kill by the parent at
the wall-time budget — is an unreadable file to the parent.
"""

import resource

import pypdf  # noqa: F401  (imported once in the forkserver, so each child starts at once)
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, StreamObject

# Reason codes the parent turns into Chinese messages.
ENCRYPTED = "encrypted"
JAVASCRIPT = "javascript"
LAUNCH = "launch"
EMBEDDED = "embedded"
UNREADABLE = "unreadable"
NO_PAGES = "no_pages"
TOO_DEEP = "too_deep"

# A page tree deeper than this is not a document anyone wrote; pypdf would recurse through it.
MAX_TREE_DEPTH = 64
ACTION_KEYS = {"/JS": JAVASCRIPT, "/JavaScript": JAVASCRIPT}
ACTION_TYPES = {"/JavaScript": JAVASCRIPT, "/Launch": LAUNCH, "/ImportData": LAUNCH}
EMBEDDED_KEYS = {"/EmbeddedFile", "/EmbeddedFiles", "/EF"}


def limit(seconds: int, megabytes: int) -> None:
    memory = megabytes * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds + 1))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0))


class Refused(Exception):
    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def inspect_value(value, depth: int = 0) -> None:
    """Refuse active content in one object, walking its direct (not indirect) children."""

    if depth > MAX_TREE_DEPTH:
        raise Refused(TOO_DEEP)
    if isinstance(value, IndirectObject):
        return  # visited on its own
    if isinstance(value, DictionaryObject | StreamObject):
        for key in value:
            if key in ACTION_KEYS:
                raise Refused(ACTION_KEYS[key])
            if key in EMBEDDED_KEYS:
                raise Refused(EMBEDDED)
        kind = value.get("/S")
        if not isinstance(kind, IndirectObject) and kind in ACTION_TYPES:
            raise Refused(ACTION_TYPES[kind])
        for child in value.values():
            inspect_value(child, depth + 1)
    elif isinstance(value, ArrayObject):
        for child in value:
            inspect_value(child, depth + 1)


def page_tree_depth(reader) -> None:
    """Walk the page tree iteratively and refuse it past MAX_TREE_DEPTH (or with a cycle)."""
    root = reader.trailer["/Root"].get_object()["/Pages"]
    stack = [(root, 0)]
    seen = set()
    while stack:
        node, depth = stack.pop()
        if depth > MAX_TREE_DEPTH:
            raise Refused(TOO_DEEP)
        ref = getattr(node, "idnum", None)
        if ref is not None:
            if ref in seen:
                raise Refused(UNREADABLE)
            seen.add(ref)
        # Any node with /Kids is walked, whether or not it says /Type /Pages.
        for kid in node.get_object().get("/Kids", []):
            stack.append((kid, depth + 1))


def probe(path: str) -> dict:

    reader = PdfReader(path, strict=False)
    if reader.is_encrypted:
        raise Refused(ENCRYPTED)
    inspect_value(reader.trailer)
    # Every indirect object, those in object streams included.
    for generation, objects in reader.xref.items():
        for idnum in objects:
            inspect_value(reader.get_object(_ref(reader, idnum, generation)))
    for idnum in reader.xref_objStm:
        inspect_value(reader.get_object(_ref(reader, idnum, 0)))
    page_tree_depth(reader)
    pages = len(reader.pages)
    if pages < 1:
        raise Refused(NO_PAGES)
    for page in reader.pages:
        contents = page.get_contents()
        if contents is not None:
            contents.get_data()
    return {"pages": pages}


def _ref(reader, idnum, generation):

    return IndirectObject(idnum, generation, reader)


def child(path: str, seconds: int, megabytes: int, connection) -> None:
    """The forked child's whole life: limits, parse, one answer on `connection`."""
    limit(seconds, megabytes)
    try:
        result = probe(path)
    except Refused as exc:
        result = {"refused": exc.code}
    except Exception:  # any parser error: the file is not a PDF we can read
        result = {"refused": UNREADABLE}
    connection.send(result)
    connection.close()
