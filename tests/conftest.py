import os
import shutil
import sqlite3

import pytest

# Playwright's sync API keeps an asyncio loop running in the test thread; Django's async-safety
# check would refuse ORM calls in browser tests. Allowed for the test process only.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"


def pytest_report_header(config):
    from django.conf import settings

    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("postgresql"):
        import psycopg

        try:
            with psycopg.connect(
                host=db["HOST"], port=db["PORT"], user=db["USER"], password=db["PASSWORD"], dbname=db["NAME"]
            ) as conn:
                version = conn.execute("SHOW server_version").fetchone()[0]
        except psycopg.Error as exc:  # pragma: no cover - reported, then the tests fail loudly
            version = f"unreachable ({exc.__class__.__name__})"
        database = f"PostgreSQL {version} at {db['HOST']}:{db['PORT']}"
    else:
        database = f"{db['ENGINE']} (SQLite {sqlite3.sqlite_version}) — the suite is meant for PostgreSQL"
    return [f"database: {database}", f"browser: {CHROMIUM}"]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    # Debian's Chromium instead of a browser downloaded by `playwright install` (no downloads here).
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--headless",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "zh-CN", "timezone_id": "Asia/Shanghai"}


@pytest.fixture
def mailoutbox_cleared(mailoutbox):
    mailoutbox.clear()
    return mailoutbox


@pytest.fixture(autouse=True)
def fresh_cache():
    """API throttles count in the cache: each test starts with no requests counted; and with no
    public list rendered by the test before it (the change stamp is rolled back with its data)."""
    from django.core.cache import caches

    for alias in ("default", "public_pages"):
        caches[alias].clear()
    yield
    for alias in ("default", "public_pages"):
        caches[alias].clear()


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    # PBKDF2's deliberate slowness costs seconds per test world; tests don't need it.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _flushes_the_database(item) -> bool:
    marker = item.get_closest_marker("django_db")
    return bool(marker and marker.kwargs.get("transaction")) or bool(
        {"transactional_db", "live_server"} & set(getattr(item, "fixturenames", ()))
    )


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """Transactional tests (browser, races) end with a flush of every table, the reference data
    that a migration loaded included. Put it back once the flush is done, so whatever test runs
    next — in whatever order pytest and its plugins chose — finds the 11 cities and 90 counties,
    and the public pages' change stamp (publicity migration 0010's one row: without it the public
    lists are rightly never cached, publicity/public_cache.py)."""
    yield
    # After the last test the session's teardown has dropped the test database: nothing to do.
    if nextitem is not None and _flushes_the_database(item):
        from django.db import connections
        from pytest_django.plugin import blocking_manager_key

        from publicity.models import PublicPagesStamp
        from reference.loader import ensure_loaded

        with item.config.stash[blocking_manager_key].unblock():
            ensure_loaded()
            PublicPagesStamp.objects.get_or_create(pk=1)
            connections.close_all()


@pytest.fixture(autouse=True)
def chinese_first():
    """Each test starts in the portal's default language: a request in English earlier in the
    same thread (LocaleMiddleware activates it) must not leak into the next test."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


def pytest_sessionstart(session):
    """CI runs the suite on PostgreSQL (`make test` starts one); on anything else the
    PostgreSQL-only tests would be skipped and their promises go unchecked."""
    from django.conf import settings

    if os.environ.get("CI") and not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        raise pytest.UsageError("CI must run the suite on PostgreSQL: use `make test`.")


@pytest.fixture(autouse=True)
def fresh_throttles():
    """DRF's throttles (the token endpoint's among them) count in the cache: each test starts
    with none spent by the tests before it."""
    from django.core.cache import cache

    cache.clear()
    yield
