"""The public pages' lists served from Django's cache, keyed by what they are made of.

The list of the units in publicity today and the list of one publication (each page of them, and
each search) are the same for every visitor until something they show changes. Each is rendered
once per key and kept in the `public_pages` cache (settings.CACHES). The key holds everything the
rendered list depends on:

- the change stamp (PublicPagesStamp.token), which database triggers move in the same transaction
  as every write that can alter these lists (publicity/migrations/0010_public_pages_stamp.py): a
  unit entering or leaving publicity (a round opened, an objection upheld, a rejection,
  publication), a unit renamed, a credit code or park type corrected, a batch, city or industry
  division edited, a publication's entries or adjustment list written;
- today's date (the publicity list holds the units whose period includes today);
- the language; which list (a publication's id); the page asked for; the search words.

Stale content is impossible, not unlikely: the stamp is read first, in its own statement, and the
list after it, so a list cached under a stamp shows data at least as new as that stamp (a change
committing in between only makes the content newer than its key, and moves the stamp, so that key
is not asked for again). Every process of every app server reads the stamp from the one database,
so all compute the same key for the same data, whatever the cache backend.

Only what every visitor sees alike is cached; the page around a list (the visitor's messages, the
objection form and its CSRF token) is rendered for each request. On a database other than
PostgreSQL (SQLite in development) there are no triggers, and nothing is cached."""

import datetime
import hashlib
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import caches
from django.db import connection
from django.utils import timezone, translation

from .models import PublicPagesStamp

T = TypeVar("T")


def stamp() -> str | None:
    """The change stamp now, or None where there is none (not PostgreSQL, or no stamp row: the
    tables were emptied, as a test's flush does): then nothing may be cached."""
    if connection.vendor != "postgresql":
        return None
    token = PublicPagesStamp.objects.filter(pk=1).values_list("token", flat=True).first()
    return token.hex if token else None


def cached(name: str, render: Callable[[datetime.date], T], **parts) -> T:
    """`render(today)` for the list `name` with `parts` (page, search words …), from the cache
    when it holds it under the current stamp, else rendered and kept. `render` must depend on
    nothing but the stamped data, `today`, the active language and `parts`."""
    today = timezone.localdate()
    token = stamp()
    if token is None:
        return render(today)
    key_parts = [name, token, today.isoformat(), translation.get_language() or ""]
    key_parts += [f"{k}={parts[k]}" for k in sorted(parts)]
    key = "public:" + hashlib.sha256("\x1f".join(key_parts).encode()).hexdigest()
    cache = caches["public_pages"]
    value = cache.get(key)
    if value is None:
        value = render(today)
        cache.set(key, value)
    return value


def page_number(raw) -> int:
    """The page asked for, as the paginator reads it (a bad number is the first page): one key
    for ?page=1, ?page=01 and ?page=x."""
    try:
        return max(int(raw), 1)
    except (TypeError, ValueError):
        return 1
