"""Generated documents kept in storage, keyed by the hash of the data they were made from.

The letter, Annex 2 and the province's Annex 2 are pure functions of data read in a few
queries; drawing them (WeasyPrint, openpyxl) is the expensive part. Each is stored as
`generated/<kind>/<owner>-<sha256 of its data>.<suffix>` and served from storage while the data
hashes the same; when the data changes (a unit recommended, renamed, the document number
edited, the letter's date), the hash changes, the document is drawn again and the stale copy
removed. No table: the name is the record, so any app server sharing the media store finds it.
"""

import hashlib

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from .annex2 import annex2_rows_for, annex2_xlsx, province_annex2_cities, province_annex2_xlsx
from .letter import letter_html, pdf_from_html

# Bump when a template or a writer changes what the same data produces.
VERSION = "1"


def fingerprint(*parts) -> str:
    digest = hashlib.sha256(VERSION.encode())
    for part in parts:
        digest.update(b"\x00")
        digest.update(part if isinstance(part, bytes) else repr(part).encode())
    return digest.hexdigest()


def stored(*, kind: str, owner: str, digest: str, suffix: str, draw) -> str:
    """The storage name of the document of `owner` made from data hashing to `digest`; drawn with
    `draw()` (→ bytes) only when no such document is stored yet."""
    folder = f"generated/{kind}"
    name = f"{folder}/{owner}-{digest}.{suffix}"
    if default_storage.exists(name):
        return name
    saved = default_storage.save(name, ContentFile(draw()))
    try:
        _dirs, files = default_storage.listdir(folder)
    except (FileNotFoundError, NotImplementedError):
        files = []
    for old in files:
        if old.startswith(f"{owner}-") and f"{folder}/{old}" not in (name, saved):
            default_storage.delete(f"{folder}/{old}")
    return saved


def letter(submission, *, units, counts) -> str:
    html = letter_html(submission, units=units, counts=counts)
    return stored(
        kind="letter",
        owner=f"submission{submission.pk}",
        digest=fingerprint(html),
        suffix="pdf",
        draw=lambda: pdf_from_html(html),
    )


def annex2(submission, applications) -> str:
    applications = list(applications)
    parks, factories = annex2_rows_for(applications)
    return stored(
        kind="annex2",
        owner=f"submission{submission.pk}",
        digest=fingerprint(submission.city.name, submission.bureau.name, parks, factories),
        suffix="xlsx",
        draw=lambda: annex2_xlsx(submission, applications),
    )


def province_annex2(batch, *, applications, creator: str, owner: str) -> str:
    """`owner` names whose view of the batch this is (what they may see decides the rows)."""
    cities = province_annex2_cities(batch, applications=applications)
    return stored(
        kind="province-annex2",
        owner=owner,
        digest=fingerprint(batch.year, creator, cities),
        suffix="xlsx",
        draw=lambda: province_annex2_xlsx(batch, applications=applications, creator=creator, cities=cities),
    )
