"""Crafted PDFs, generated in the test: the files an attacker uploads to hang or crash the PDF
check, and the active content the province refuses. Each is well under 1 MB."""

import io
import zlib

from pypdf import PdfWriter
from pypdf.generic import DictionaryObject, NameObject, TextStringObject


def _objects_pdf(objects: dict[int, bytes], *, root: int, compressed=None, xref_stream_id=None) -> bytes:
    """A PDF of the given indirect objects (bodies without `obj`/`endobj`). With `compressed`
    ({id: (object stream id, index)}) the cross-reference is a stream, as PDF 1.5 writes it."""
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for idnum in sorted(objects):
        offsets[idnum] = out.tell()
        out.write(b"%d 0 obj\n" % idnum + objects[idnum] + b"\nendobj\n")
    size = max([*objects, *(compressed or {}), xref_stream_id or 0]) + 1
    if compressed is None:
        xref_at = out.tell()
        out.write(b"xref\n0 %d\n0000000000 65535 f \n" % size)
        for idnum in range(1, size):
            if idnum in offsets:
                out.write(b"%010d 00000 n \n" % offsets[idnum])
            else:
                out.write(b"0000000000 65535 f \n")
        out.write(b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, root, xref_at))
        return out.getvalue()
    xref_at = out.tell()
    rows = []
    for idnum in range(size):
        if idnum in offsets:
            rows.append(b"\x01" + offsets[idnum].to_bytes(4, "big") + b"\x00\x00")
        elif idnum in compressed:
            stream_id, index = compressed[idnum]
            rows.append(b"\x02" + stream_id.to_bytes(4, "big") + index.to_bytes(2, "big"))
        elif idnum == xref_stream_id:
            rows.append(b"\x01" + xref_at.to_bytes(4, "big") + b"\x00\x00")
        else:
            rows.append(b"\x00" * 7)
    data = b"".join(rows)
    out.write(
        b"%d 0 obj\n<< /Type /XRef /Size %d /W [1 4 2] /Root %d 0 R /Length %d >>\nstream\n"
        % (xref_stream_id, size, root, len(data))
        + data
        + b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % xref_at
    )
    return out.getvalue()


def _deflate(*parts: bytes, repeat: int = 0, chunk: bytes = b"") -> bytes:
    """zlib of the parts with `chunk` repeated `repeat` times after the first part (in chunks, so
    hundreds of megabytes never sit in memory at once)."""
    c = zlib.compressobj(6)
    out = [c.compress(parts[0])]
    out += [c.compress(chunk) for _ in range(repeat)]
    out += [c.compress(part) for part in parts[1:]]
    out.append(c.flush())
    return b"".join(out)


def _stream(dictionary: bytes, data: bytes, *, flate=False, deflated=None) -> bytes:
    if flate:
        data = zlib.compress(data, 6)
    if deflated is not None:
        data = deflated
    if flate or deflated is not None:
        dictionary += b" /Filter /FlateDecode"
    return b"<< " + dictionary + b" /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"


MB = 1024 * 1024


def padded_object_stream_chain(links: int = 5, padding_mb: int = 70) -> bytes:
    """The page tree lives in a chain of object streams (/Extends), each padded with whitespace
    just under pypdf's 75 MB inflation limit, so every link inflates fully: under 1 MB on the
    wire, hundreds of megabytes to parse."""
    objects = {3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"}
    compressed = {}
    first_stream = 10
    previous = None
    for link in range(links):
        stream_id = first_stream + link
        # Link 0 holds the page tree's root; every other link holds one small dictionary that the
        # cross-reference points to, so a parser has to inflate each link.
        held = 2 if link == 0 else 100 + link
        body = b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>" if link == 0 else b"<< /Padding true >>"
        compressed[held] = (stream_id, 0)
        header = (b"%d 0 " % held).ljust(16)
        first = 16 + padding_mb * MB
        extends = b" /Extends %d 0 R" % previous if previous else b""
        objects[stream_id] = _stream(
            b"/Type /ObjStm /N 1 /First %d%s" % (first, extends),
            b"",
            deflated=_deflate(header, body, repeat=padding_mb, chunk=b" " * MB),
        )
        previous = stream_id
    objects[1] = b"<< /Type /Catalog /Pages 2 0 R >>"
    return _objects_pdf(objects, root=1, compressed=compressed, xref_stream_id=first_stream + links)


def deep_page_tree(depth: int = 2000, *, typed: bool = True) -> bytes:
    """Pages inside pages inside pages, `depth` levels down to one page (with `typed` False the
    inner nodes carry /Kids but no /Type)."""
    objects = {1: b"<< /Type /Catalog /Pages 2 0 R >>"}
    for level in range(depth):
        idnum = 2 + level
        parent = b" /Parent %d 0 R" % (idnum - 1) if level else b""
        kind = b"/Type /Pages " if typed or not level else b""
        objects[idnum] = b"<< %s/Kids [%d 0 R] /Count 1%s >>" % (kind, idnum + 1, parent)
    leaf = 2 + depth
    objects[leaf] = b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] >>" % (leaf - 1)
    return _objects_pdf(objects, root=1)


def page_tree_cycle() -> bytes:
    """A page tree whose node lists itself among its kids."""
    objects = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: b"<< /Type /Pages /Kids [3 0 R 2 0 R] /Count 1 >>",
        3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
    }
    return _objects_pdf(objects, root=1)


def no_pages() -> bytes:
    return _objects_pdf(
        {1: b"<< /Type /Catalog /Pages 2 0 R >>", 2: b"<< /Type /Pages /Kids [] /Count 0 >>"}, root=1
    )


def javascript_in_object_stream() -> bytes:
    """The document's open action, a JavaScript action, stored inside an object stream (PDF 1.5):
    found only by walking the objects the stream holds."""
    header = b"5 0 ".ljust(16)
    objects = {
        1: b"<< /Type /Catalog /Pages 2 0 R /OpenAction 5 0 R >>",
        2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
        10: _stream(
            b"/Type /ObjStm /N 1 /First 16",
            b"",
            deflated=_deflate(header, b"<< /S /JavaScript /JS (app.alert(1)) >>"),
        ),
    }
    return _objects_pdf(objects, root=1, compressed={5: (10, 0)}, xref_stream_id=11)


def xref_offsets_off() -> bytes:
    """An ordinary one-page PDF whose cross-reference offsets are two bytes off (line endings
    rewritten after it was written, as some tools do): readers open it by scanning for the objects."""
    objects = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
    }
    return _objects_pdf(objects, root=1).replace(b"1 0 obj", b"\n\n1 0 obj", 1)


def inflating_stream(size_mb: int = 200) -> bytes:
    """One page whose content stream inflates from a few hundred kilobytes to `size_mb` MB, past
    the parser's own limit."""
    objects = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        4: _stream(b"", b"", deflated=_deflate(b"", repeat=size_mb, chunk=b"\x00" * MB)),
    }
    return _objects_pdf(objects, root=1)


def _written(writer: PdfWriter) -> bytes:
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def _one_page() -> PdfWriter:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    return writer


def html_polyglot() -> bytes:
    """An HTML page with a PDF after it: browsers render the HTML, PDF readers the PDF."""
    return b"<html><body><script>alert(document.cookie)</script>" + _written(_one_page()) + b"</body></html>"


def _with_open_action(kind: str, key: str, value: str) -> bytes:
    writer = _one_page()
    action = DictionaryObject({NameObject("/S"): NameObject(kind), NameObject(key): TextStringObject(value)})
    writer._root_object[NameObject("/OpenAction")] = writer._add_object(action)
    return _written(writer)


def with_javascript() -> bytes:
    return _with_open_action("/JavaScript", "/JS", "app.alert('hi');")


def with_launch_action() -> bytes:
    return _with_open_action("/Launch", "/F", "calc.exe")


def with_embedded_file() -> bytes:
    writer = _one_page()
    writer.add_attachment("readme.txt", b"hello")
    return _written(writer)


def encrypted_with_empty_password() -> bytes:
    writer = _one_page()
    writer.encrypt(user_password="", owner_password="owner", algorithm="RC4-128")
    return _written(writer)


CRAFTED = {
    "padded_object_stream_chain": padded_object_stream_chain,
    "deep_page_tree": deep_page_tree,
    "inflating_stream": inflating_stream,
    "html_polyglot": html_polyglot,
    "javascript": with_javascript,
    "launch_action": with_launch_action,
    "embedded_file": with_embedded_file,
    "encrypted_empty_password": encrypted_with_empty_password,
}


def stuck_child(path, seconds, megabytes, connection) -> None:
    """A stand-in for the check's child (applications/pdf_probe.child) that hangs without using
    CPU time, so no resource limit ends it: only the parent's kill at the wall-time budget does.
    Here, and not in a test module, because the forkserver child imports it (no Django needed)."""
    import time

    time.sleep(60)
