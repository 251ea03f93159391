"""The PDF check's child (applications/pdf_probe.py) on its own: each kind of active content is
refused by whichever key or action type carries it, the nesting limit holds at exactly its value,
the page tree's walk, and objects inside object streams. In-process and without a database, so
that every mutant of the (cold) module runs them in seconds."""

import pytest
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject

from applications import pdf_probe
from applications.pdf_probe import (
    EMBEDDED,
    JAVASCRIPT,
    LAUNCH,
    MAX_TREE_DEPTH,
    NO_PAGES,
    TOO_DEEP,
    UNREADABLE,
    Refused,
    inspect_value,
)
from tests import pdf_crafted


def dictionary(**entries) -> DictionaryObject:
    return DictionaryObject({NameObject(f"/{key}"): value for key, value in entries.items()})


def refusal(value) -> str | None:
    try:
        inspect_value(value)
    except Refused as exc:
        return exc.code
    return None


@pytest.mark.parametrize(
    ("value", "code"),
    [
        # An action keyed /JS with no /S (readers run it), and a name tree's /JavaScript entry.
        (dictionary(JS=TextStringObject("app.alert(1)")), JAVASCRIPT),
        (dictionary(JavaScript=dictionary(Names=TextStringObject("x"))), JAVASCRIPT),
        # Typed by /S alone, the script held elsewhere.
        (dictionary(S=NameObject("/JavaScript")), JAVASCRIPT),
        (dictionary(S=NameObject("/Launch")), LAUNCH),
        (dictionary(S=NameObject("/ImportData"), F=TextStringObject("data.fdf")), LAUNCH),
        # An embedded file reached by /EF alone (no /Type), by /EmbeddedFiles, by /EmbeddedFile.
        (dictionary(EF=dictionary(F=TextStringObject("x"))), EMBEDDED),
        (dictionary(EmbeddedFiles=dictionary(Names=TextStringObject("x"))), EMBEDDED),
        (dictionary(EmbeddedFile=TextStringObject("x")), EMBEDDED),
    ],
    ids=[
        "JS_key",
        "JavaScript_key",
        "S_JavaScript",
        "S_Launch",
        "S_ImportData",
        "EF",
        "EmbeddedFiles",
        "EmbeddedFile",
    ],
)
def test_active_content_is_refused_by_each_key_and_action_type(value, code):
    assert refusal(value) == code
    # Nested one level down (in an array, in a dictionary), it is refused all the same.
    assert refusal(dictionary(Kids=ArrayObject([dictionary(Next=value)]))) == code


def nested(levels: int) -> DictionaryObject:
    """`levels` dictionaries, each the /Next of the one before (the innermost one empty)."""
    value = dictionary()
    for _ in range(levels - 1):
        value = dictionary(Next=value)
    return value


def test_nesting_at_exactly_the_tree_depth_limit_passes_and_one_deeper_is_refused():
    # The outermost dictionary is depth 0: MAX_TREE_DEPTH + 1 dictionaries reach the limit exactly.
    assert refusal(nested(MAX_TREE_DEPTH + 1)) is None
    assert refusal(nested(MAX_TREE_DEPTH + 2)) == TOO_DEEP


def nested_arrays(levels: int) -> ArrayObject:
    value = ArrayObject()
    for _ in range(levels - 1):
        value = ArrayObject([value])
    return value


def test_nested_arrays_at_exactly_the_depth_limit_pass_and_one_deeper_is_refused():
    assert refusal(nested_arrays(MAX_TREE_DEPTH + 1)) is None
    assert refusal(nested_arrays(MAX_TREE_DEPTH + 2)) == TOO_DEEP


def probed(tmp_path, data: bytes):
    path = tmp_path / "f.pdf"
    path.write_bytes(data)
    try:
        return pdf_probe.probe(str(path))
    except Refused as exc:
        return exc.code


@pytest.mark.parametrize("typed", [True, False], ids=["typed", "kids_only"])
def test_a_page_tree_at_exactly_the_depth_limit_passes_and_one_deeper_is_refused(tmp_path, typed):
    # The root /Pages is depth 0, its one page at depth `depth`; a node with /Kids is walked
    # whether or not it says /Type /Pages.
    assert probed(tmp_path, pdf_crafted.deep_page_tree(MAX_TREE_DEPTH, typed=typed)) == {"pages": 1}
    assert probed(tmp_path, pdf_crafted.deep_page_tree(MAX_TREE_DEPTH + 1, typed=typed)) == TOO_DEEP


def test_a_page_tree_that_contains_itself_is_refused_as_unreadable(tmp_path):
    assert probed(tmp_path, pdf_crafted.page_tree_cycle()) == UNREADABLE


def test_a_pdf_without_pages_is_refused(tmp_path):
    assert probed(tmp_path, pdf_crafted.no_pages()) == NO_PAGES


def test_javascript_inside_an_object_stream_is_refused(tmp_path):
    assert probed(tmp_path, pdf_crafted.javascript_in_object_stream()) == JAVASCRIPT


def test_a_pdf_with_cross_reference_offsets_a_little_off_is_read_as_readers_read_it(tmp_path):
    # pypdf's lenient mode: the strict one refuses such files, which every reader opens.
    assert probed(tmp_path, pdf_crafted.xref_offsets_off()) == {"pages": 1}
