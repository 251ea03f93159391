"""docs/deploy.md, followed: gunicorn with deploy/gunicorn.conf.py serves the portal from the
throwaway PostgreSQL, /healthz answers, and a backup restored leaves identical data and files."""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from applications.models import Application, Document
from tests import factories as f

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"), reason="deploy is on PostgreSQL"
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _database_url() -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def _get(url):
    try:
        with urllib.request.urlopen(url, timeout=10) as resp:
            return resp.status, resp.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def test_gunicorn_with_the_deploy_configuration_serves_the_portal(transactional_db, tmp_path):
    port = _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "SECRET_KEY": "deploy-test-secret-key-not-for-production-0123456789",
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "CONN_MAX_AGE": "60",
        "CONN_HEALTH_CHECKS": "1",
        "LOG_FORMAT": "json",
        "MEDIA_ROOT": str(tmp_path / "media"),
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": "2",
        "GUNICORN_THREADS": "2",
        "GUNICORN_ACCESSLOG": str(tmp_path / "access.log"),
    }
    server = subprocess.Popen(
        [str(Path(sys.executable).with_name("gunicorn")), "-c", "deploy/gunicorn.conf.py", "greenmfg.wsgi"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                status, body = _get(f"http://127.0.0.1:{port}/healthz")
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(server.stdout.read().decode()) from None
                time.sleep(0.3)
        assert status == 200 and json.loads(body) == {"status": "ok", "database": True}
        status, body = _get(f"http://127.0.0.1:{port}/accounts/login/")
        assert status == 200 and "登录" in body
        status, body = _get(f"http://127.0.0.1:{port}/publicity/")
        assert status == 200 and "公示" in body
        # Every request is one JSON line in the access log.
        lines = (tmp_path / "access.log").read_text().splitlines()
        assert [json.loads(line)["path"] for line in lines][-3:] == [
            "/healthz",
            "/accounts/login/",
            "/publicity/",
        ]
    finally:
        server.terminate()
        server.wait(timeout=30)


def _table_digests() -> dict:
    """md5 of every table's rows in primary-key order: equal digests, equal data."""
    out = {}
    with connection.cursor() as cur:
        cur.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
        for (table,) in cur.fetchall():
            cur.execute(
                f"SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) FROM \"{table}\" t"
            )
            out[table] = cur.fetchone()[0]
    return out


def _files(root: Path) -> dict:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_backup_and_restore_leave_identical_data_and_files(transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    batch = f.batch()
    apps = [f.advance(f.application(f.enterprise("330106"), batch), "county_review") for _ in range(3)]
    before, files_before = _table_digests(), _files(tmp_path / "media")
    assert len(files_before) == 3  # one self-evaluation report each

    call_command("backup", str(tmp_path / "backups"))
    (backup,) = (tmp_path / "backups").glob("greenmfg-*")
    manifest = json.loads((backup / "manifest.json").read_text())
    assert sorted(e["path"] for e in manifest["files"]) == sorted(files_before)

    # Life goes on after the backup: a new application, a document file lost.
    f.application(f.enterprise("330106"), batch)
    Path(Document.objects.get(application=apps[0]).file.path).unlink()
    assert _table_digests() != before

    call_command("restore", str(backup), "--yes")
    assert _table_digests() == before
    assert _files(tmp_path / "media") == files_before
    assert Application.objects.count() == 3


def test_restore_refuses_a_damaged_backup_before_touching_anything(transactional_db, settings, tmp_path):
    from django.core.management.base import CommandError

    settings.MEDIA_ROOT = tmp_path / "media"
    f.application(f.enterprise("330106"), f.batch())
    call_command("backup", str(tmp_path / "backups"))
    (backup,) = (tmp_path / "backups").glob("greenmfg-*")
    (damaged,) = (backup / "media").rglob("*.pdf")
    damaged.write_bytes(b"%PDF-1.4 not the same")
    before = _table_digests()
    with pytest.raises(CommandError, match="backup damaged"):
        call_command("restore", str(backup), "--yes")
    assert _table_digests() == before
