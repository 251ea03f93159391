"""Settings for the benchmark: the portal's own, plus a floor view (bench/urls.py)."""

from greenmfg.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# The core's few uploads go through the real PDF check; on a machine shared with other work its
# child process can wait for a CPU longer than the production budget (10 s) allows.
PDF_CHECK_SECONDS = 120
