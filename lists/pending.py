"""An upload between its preview and the bureau's confirmation: the bytes are kept in the storage
under a random name, the session remembers which (token → what was previewed), so the confirm
form carries only the token and the counts the bureau saw — and works without JavaScript."""

import uuid

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

SESSION_KEY = "lists_pending"
MAX_PENDING = 5


def keep(request, *, data: bytes, file_name: str, **what) -> str:
    token = uuid.uuid4().hex
    path = default_storage.save(f"lists/pending/{token}.xlsx", ContentFile(data))
    pending = request.session.get(SESSION_KEY, {})
    # Only the last few previews stay confirmable; older ones are dropped with their files.
    while len(pending) >= MAX_PENDING:
        _old_token, old = next(iter(pending.items()))
        pending.pop(_old_token)
        default_storage.delete(old["path"])
    pending[token] = {"path": path, "file_name": file_name, **what}
    request.session[SESSION_KEY] = pending
    return token


def take(request, token: str, **what) -> tuple[bytes, str] | None:
    """The bytes and file name of the pending upload `token`, if it is this user's and matches
    `what` (tier, city …); removed from the session and the storage either way."""
    pending = request.session.get(SESSION_KEY, {})
    item = pending.get(token)
    if item is None or any(item.get(k) != v for k, v in what.items()):
        return None
    pending.pop(token)
    request.session[SESSION_KEY] = pending
    try:
        with default_storage.open(item["path"], "rb") as fh:
            data = fh.read()
    except OSError:
        return None
    finally:
        default_storage.delete(item["path"])
    return data, item["file_name"]


def peek(request, token: str) -> dict | None:
    return request.session.get(SESSION_KEY, {}).get(token)
