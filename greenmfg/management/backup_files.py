"""Shared by `manage.py backup` and `manage.py restore`: where the PostgreSQL client tools are,
how to reach the database, and the manifest of SHA-256 sums."""

import glob
import hashlib
import os
import shutil
from pathlib import Path

from django.core.management.base import CommandError
from django.db import connection

MANIFEST = "manifest.json"
DUMP = "database.dump"
MEDIA = "media"


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


def pg_tool(name: str) -> str:
    """The newest PostgreSQL client `name` (pg_dump, pg_restore): Debian keeps them under
    /usr/lib/postgresql/<version>/bin; PG_BIN overrides."""
    candidates = []
    if os.environ.get("PG_BIN"):
        candidates.append(os.path.join(os.environ["PG_BIN"], name))
    candidates += sorted(
        glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), key=lambda p: int(p.split("/")[4]), reverse=True
    )
    candidates.append(shutil.which(name) or "")
    for path in candidates:
        if path and os.access(path, os.X_OK):
            return path
    raise CommandError(f"{name} not found: install postgresql-client or set PG_BIN")


def pg_connection() -> tuple[list[str], dict]:
    """Command-line arguments and environment that reach the Django database."""
    if connection.vendor != "postgresql":
        raise CommandError(
            "backup and restore work on PostgreSQL (production). For the SQLite demo database, "
            "stop the server and copy var/greenmfg.sqlite3."
        )
    db = connection.settings_dict
    args = ["--dbname", db["NAME"]]
    if db.get("HOST"):
        args += ["--host", str(db["HOST"])]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", db["USER"]]
    env = {**os.environ, "PGPASSWORD": db.get("PASSWORD") or ""}
    return args, env


def media_files(root: Path) -> list[Path]:
    if not root.exists():
        return []
    return sorted(p for p in root.rglob("*") if p.is_file())
