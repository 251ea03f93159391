"""Settings for greenmfg: one module, read from the environment.

Environment variables (all optional for `make run`):
    DATABASE_URL    postgres://user:pass@host:port/name; absent: SQLite under var/
    SECRET_KEY      required when DEBUG is off
    DEBUG           "1"/"true" to enable
    ALLOWED_HOSTS   comma-separated
    MEDIA_ROOT      where uploaded documents are stored (never served directly)
    UPLOAD_MAX_MB   size cap for one uploaded PDF (default 50)
    CONN_MAX_AGE, CONN_HEALTH_CHECKS   persistent database connections (docs/deploy.md)
    PUBLIC_PAGES_CACHE_ENTRIES   rendered public lists kept per worker process (default 500)
    DOWNLOADS_X_ACCEL_REDIRECT         nginx's internal location for downloads (deploy/)
    LOG_FORMAT      "json" for JSON-line logs
    EMAIL_BACKEND   Django mail backend (default: console)
    SITE_URL        the portal's address, for links in mail (default http://127.0.0.1:8000)
    API_TOKEN_DAYS  how long an API token is valid (default 30)
    PDF_CHECK_SECONDS, PDF_CHECK_MEMORY_MB   budget of the PDF check's child process (10, 512)
    API_MAX_LIMIT, API_THROTTLE_ANON, API_THROTTLE_USER   API limits (200, 60/minute, 1200/minute)
    JOIN_REQUEST_LIMIT_PER_ADDRESS, JOIN_REQUEST_LIMIT_PER_UNIT   join-request mails (5/hour, 10/day)
    TRUSTED_PROXY_HEADER   the header the deployment's proxy puts the client address in (HTTP_X_REAL_IP)
Production (HTTPS; all off by default so `make run` and the tests speak plain HTTP; README lists
the values a deployment sets):
    SECURE_SSL_REDIRECT, SECURE_HSTS_SECONDS, SECURE_HSTS_INCLUDE_SUBDOMAINS, SECURE_HSTS_PRELOAD,
    SESSION_COOKIE_SECURE, CSRF_COOKIE_SECURE, SECURE_PROXY_SSL_HEADER ("1": trust the proxy's
    X-Forwarded-Proto), CSRF_TRUSTED_ORIGINS (comma-separated https://host entries)
"""

import datetime
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG and not env_bool("GREENMFG_INSECURE_DEV_KEY"):
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "insecure-development-key-do-not-use-in-production"

ALLOWED_HOSTS = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "csp",
    "axes",
    "reference",
    "accounts",
    "quotas",
    "lists",
    "applications",
    "reviews",
    "dashboard",
    "experts",
    "dynamic",
    "publicity",
    "onboarding",
    # The top layer: the portal's own pages, template filters (templatetags), the demo data
    # (manage.py load_demo), backup and restore (manage.py backup / restore, docs/deploy.md).
    "greenmfg",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Static assets (our CSS, Swagger UI from drf-spectacular-sidecar) are served by the app
    # itself: government intranets reach no CDN.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "greenmfg.middleware.PermissionsPolicyMiddleware",
    # Turns a lockout flagged during authentication into the Chinese lockout page.
    "axes.middleware.AxesMiddleware",
    # Last, yet still before anything reads the body (CSRF reads it in process_view): an upload
    # declared larger than the cap is refused from its Content-Length alone.
    "greenmfg.middleware.UploadSizeLimitMiddleware",
]

ROOT_URLCONF = "greenmfg.urls"
WSGI_APPLICATION = "greenmfg.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "accounts.context_processors.people",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'var' / 'greenmfg.sqlite3'}",
        # Production: CONN_MAX_AGE=60 keeps a worker's connection between requests (docs/deploy.md);
        # CONN_HEALTH_CHECKS=1 checks a kept connection before reusing it.
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0")),
        conn_health_checks=env_bool("CONN_HEALTH_CHECKS", False),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Both in each worker process's memory, no other service (docs/deploy.md, "Caches"):
# - default: Django's own default (DRF's throttles count here);
# - public_pages: the public lists as rendered (publicity/public_cache.py). Their keys contain a
#   change stamp read from the database, so each process of each app server serves what the
#   database holds now; a process renders a list once per change. Entries of an old stamp are
#   never read again and leave by age or when the cache is full.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "public_pages": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "public-pages",
        "TIMEOUT": 24 * 3600,
        "OPTIONS": {"MAX_ENTRIES": int(os.environ.get("PUBLIC_PAGES_CACHE_ENTRIES", "500"))},
    },
}

AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "accounts.passwords.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# django-axes first: it refuses a locked-out account+address before the password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Lockout (README "Accounts"): 5 failures for one account from one address lock that pair for
# 15 minutes; a bureau administrator or the province unlocks on /accounts/lockouts/, or
# `manage.py axes_reset_username <username>`.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = datetime.timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "accounts.lockout.lockout_response"
AXES_VERBOSE = False
# A set-password link (registration, invitation, reset) is valid this long.
PASSWORD_RESET_TIMEOUT = 3 * 24 * 3600
# API tokens expire (accounts.tokens.ExpiringTokenAuthentication); signing out revokes them.
API_TOKEN_DAYS = int(os.environ.get("API_TOKEN_DAYS", "30"))
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Simplified Chinese first, English second.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
WHITENOISE_USE_FINDERS = DEBUG or env_bool("WHITENOISE_USE_FINDERS")

# Uploaded documents live outside the web root and are only ever served through a view that
# checks visibility; there is deliberately no MEDIA_URL route.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT") or BASE_DIR / "var" / "media")
UPLOAD_MAX_BYTES = int(os.environ.get("UPLOAD_MAX_MB", "50")) * 1024 * 1024
FILE_UPLOAD_PERMISSIONS = 0o640
# Behind nginx: the internal location that maps onto MEDIA_ROOT (deploy/nginx/greenmfg.conf). Set,
# downloads are answered with X-Accel-Redirect after the visibility check (core/downloads.py stored_download).
DOWNLOADS_X_ACCEL_REDIRECT = os.environ.get("DOWNLOADS_X_ACCEL_REDIRECT", "")
# Uploads stream to a temporary file in chunks, hashed and size-capped on arrival (applications/uploads.py).
FILE_UPLOAD_HANDLERS = ["applications.uploads.CappedHashingUploadHandler"]
# Every uploaded PDF is parsed in a child process within these budgets (applications/pdf_check.py);
# past them the child is killed and the upload refused.
PDF_CHECK_SECONDS = int(os.environ.get("PDF_CHECK_SECONDS", "10"))
PDF_CHECK_MEMORY_MB = int(os.environ.get("PDF_CHECK_MEMORY_MB", "512"))

# Public objections (publicity/): at most this many per address within the window.
OBJECTION_RATE_LIMIT = int(os.environ.get("OBJECTION_RATE_LIMIT", "5"))
OBJECTION_RATE_WINDOW_SECONDS = int(os.environ.get("OBJECTION_RATE_WINDOW_SECONDS", "3600"))
# Anonymous "ask to join a unit" mails (onboarding.services.join_request): at most this many per
# address per hour, and this many mails to one unit per day. Counted in the database.
JOIN_REQUEST_LIMIT_PER_ADDRESS = int(os.environ.get("JOIN_REQUEST_LIMIT_PER_ADDRESS", "5"))
JOIN_REQUEST_LIMIT_PER_UNIT = int(os.environ.get("JOIN_REQUEST_LIMIT_PER_UNIT", "10"))
TRUSTED_PROXY_HEADER = os.environ.get("TRUSTED_PROXY_HEADER", "")

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "greenmfg@localhost")
# Links in mail (set a password, an application's page) start with this address.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "accounts.tokens.ExpiringTokenAuthentication",
    ],
    "DEFAULT_THROTTLE_RATES": {"token": os.environ.get("API_TOKEN_RATE", "10/min")},
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "core.api_pagination.Pagination",
    "PAGE_SIZE": 50,
    # JSON only outside DEBUG: the browsable API is a development aid, not a second UI.
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        *(["rest_framework.renderers.BrowsableAPIRenderer"] if DEBUG else []),
    ],
    "DEFAULT_THROTTLE_CLASSES": ["greenmfg.api_limits.AnonThrottle", "greenmfg.api_limits.UserThrottle"],
    "EXCEPTION_HANDLER": "greenmfg.api.exception_handler",
}
API_PAGE_SIZE = 50
API_MAX_LIMIT = int(os.environ.get("API_MAX_LIMIT", "200"))
# DRF's rate syntax: "<n>/second|minute|hour|day" per client (address for anonymous clients).
API_THROTTLE_RATES = {
    "anon": os.environ.get("API_THROTTLE_ANON", "60/minute"),
    "user": os.environ.get("API_THROTTLE_USER", "1200/minute"),
}

SPECTACULAR_SETTINGS = {
    "TITLE": "greenmfg API",
    "DESCRIPTION": "浙江省级绿色低碳工业园区和工厂推荐平台接口 / Zhejiang green manufacturing portal API",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # The schema and its docs are for signed-in users, like the rest of the portal.
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    # Swagger UI is served from drf-spectacular-sidecar: no CDN on government intranets.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "ApplicationStateEnum": "applications.states.ApplicationState",
        "ApplicationKindEnum": "applications.states.ApplicationKind",
        "DocumentKindEnum": "applications.models.DocumentKind",
        "SubmissionDocumentKindEnum": "reviews.states.SubmissionDocumentKind",
        # A list entry is a factory or a park (工厂/园区), not an application kind (绿色低碳工厂 …).
        "ListUnitKindEnum": "lists.models.UnitKind",
        # Dynamic management's forms (issue 11): their own states and document kinds.
        "FormStateEnum": "dynamic.states.FormState",
        "FormDocumentKindEnum": "dynamic.models.FormDocumentKind",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # LOG_FORMAT=json: one JSON object per line (docs/deploy.md), for the journal or a log shipper.
    "formatters": {"json": {"()": "greenmfg.logs.JsonLineFormatter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            **({"formatter": "json"} if os.environ.get("LOG_FORMAT") == "json" else {}),
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# --- HTTPS and headers (docs: README "Production environment") ---------------------------------
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT")
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS")
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD")
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE")
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE")
SESSION_COOKIE_HTTPONLY = True
# Behind a TLS-terminating proxy (nginx) that sets X-Forwarded-Proto and strips it from clients.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("SECURE_PROXY_SSL_HEADER") else None
CSRF_TRUSTED_ORIGINS = [o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp): everything from this origin, nothing inline, no frames.
# Templates hold no <script>/<style> blocks, style="" attributes or on*="" handlers.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# Sent on every response (greenmfg/middleware.py): the portal uses none of these features.
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), "
    "payment=(), usb=(), interest-cohort=()"
)
