"""`manage.py backup DEST`: a PostgreSQL dump and every media file, with a manifest of SHA-256 sums.

Writes DEST/greenmfg-<UTC timestamp>/ containing database.dump (pg_dump custom format), media/
(a copy of MEDIA_ROOT) and manifest.json ({"created_at", "database": {"file", "size", "sha256"},
"files": [{"path", "size", "sha256"}]}). The directory appears under its final name only when
complete. `--keep N` removes all but the newest N backups in DEST. See docs/deploy.md.
"""

import datetime
import json
import shutil
import subprocess
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from greenmfg.management.backup_files import (
    DUMP,
    MANIFEST,
    MEDIA,
    media_files,
    pg_connection,
    pg_tool,
    sha256_of,
)


class Command(BaseCommand):
    help = "Back up the database (pg_dump) and the media files, with a SHA-256 manifest."

    def add_arguments(self, parser):
        parser.add_argument("destination", help="directory that receives greenmfg-<timestamp>/")
        parser.add_argument("--keep", type=int, default=0, help="keep only the newest N backups")

    def handle(self, destination, keep, **options):
        dest = Path(destination)
        dest.mkdir(parents=True, exist_ok=True)
        stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%dT%H%M%S%fZ")
        final = dest / f"greenmfg-{stamp}"
        work = dest / f".partial-{stamp}"
        work.mkdir()
        try:
            args, env = pg_connection()
            dump = work / DUMP
            done = subprocess.run(
                [pg_tool("pg_dump"), "--format=custom", "--no-owner", "--file", str(dump), *args],
                env=env,
                capture_output=True,
                text=True,
            )
            if done.returncode != 0:
                raise CommandError(f"pg_dump failed: {done.stderr.strip()}")
            root = Path(settings.MEDIA_ROOT)
            files = []
            for path in media_files(root):
                relative = path.relative_to(root).as_posix()
                target = work / MEDIA / relative
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(path, target)
                files.append({"path": relative, "size": target.stat().st_size, "sha256": sha256_of(target)})
            manifest = {
                "created_at": datetime.datetime.now(datetime.UTC).isoformat(),
                "database": {"file": DUMP, "size": dump.stat().st_size, "sha256": sha256_of(dump)},
                "files": files,
            }
            (work / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1))
            work.rename(final)
        except BaseException:
            shutil.rmtree(work, ignore_errors=True)
            raise
        if keep > 0:
            for old in sorted(dest.glob("greenmfg-*"))[:-keep]:
                shutil.rmtree(old)
        self.stdout.write(f"{final} ({len(files)} files)")
