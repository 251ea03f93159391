"""`manage.py restore BACKUP --yes`: check a backup against its manifest, then replace the
database (pg_restore --clean) and MEDIA_ROOT with its contents. Refuses a backup whose files do
not match their SHA-256 sums, before touching anything. See docs/deploy.md."""

import json
import shutil
import subprocess
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from greenmfg.management.backup_files import DUMP, MANIFEST, MEDIA, pg_connection, pg_tool, sha256_of


class Command(BaseCommand):
    help = "Restore a backup made by `manage.py backup` (database and media files)."

    def add_arguments(self, parser):
        parser.add_argument("backup", help="a greenmfg-<timestamp>/ directory")
        parser.add_argument("--yes", action="store_true", help="replace the database and media files")

    def handle(self, backup, yes, **options):
        source = Path(backup)
        try:
            manifest = json.loads((source / MANIFEST).read_text())
        except (OSError, ValueError) as exc:
            raise CommandError(f"not a greenmfg backup: {exc}") from None
        problems = []
        dump = source / DUMP
        if not dump.exists() or sha256_of(dump) != manifest["database"]["sha256"]:
            problems.append(DUMP)
        for entry in manifest["files"]:
            path = source / MEDIA / entry["path"]
            if not path.is_file() or sha256_of(path) != entry["sha256"]:
                problems.append(entry["path"])
        if problems:
            raise CommandError("backup damaged, nothing restored; mismatched: " + ", ".join(problems[:10]))
        if not yes:
            raise CommandError("this replaces the database and every media file: add --yes")

        args, env = pg_connection()
        connections.close_all()  # pg_restore --clean drops tables this process may hold open
        done = subprocess.run(
            [
                pg_tool("pg_restore"),
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                *args,
                str(dump),
            ],
            env=env,
            capture_output=True,
            text=True,
        )
        if done.returncode != 0:
            raise CommandError(f"pg_restore failed: {done.stderr.strip()}")

        # MEDIA_ROOT may be a mount point (a shared volume): empty it in place, then copy.
        root = Path(settings.MEDIA_ROOT)
        root.mkdir(parents=True, exist_ok=True)
        for child in root.iterdir():
            if child.is_dir() and not child.is_symlink():
                shutil.rmtree(child)
            else:
                child.unlink()
        for entry in manifest["files"]:
            target = root / entry["path"]
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source / MEDIA / entry["path"], target)
        self.stdout.write(f"restored {source} ({len(manifest['files'])} files)")
