"""gunicorn for greenmfg (docs/deploy.md): `gunicorn -c deploy/gunicorn.conf.py greenmfg.wsgi`.

Every value can be overridden from the environment (the systemd unit's EnvironmentFile), so one
file serves every app server. 4 workers × 4 threads is what `make bench-load` measures.
"""

import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "4"))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
worker_class = "gthread"
# A province-wide Annex 2 or a merged PDF check may take seconds; nothing takes a minute.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then (long-lived WeasyPrint and openpyxl heaps).
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = 200
# nginx in front buffers slow clients; trust its X-Forwarded-* only from loopback.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = os.environ.get("GUNICORN_ACCESSLOG", "-")
errorlog = "-"
access_log_format = (
    '{"time":"%(t)s","remote":"%(h)s","method":"%(m)s","path":"%(U)s","status":%(s)s,'
    '"bytes":"%(B)s","ms":%(M)s,"agent":"%(a)s"}'
)
proc_name = "greenmfg"
