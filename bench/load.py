"""`make bench-load`: the production configuration under concurrent sessions.

Builds the 10,000-application data (bench/data.py; BENCH_LOAD_SIZE), starts gunicorn with
deploy/gunicorn.conf.py (4 workers × 4 threads, CONN_MAX_AGE=60) on a loopback port, signs in
50 and then 200 sessions as city bureaus and runs for BENCH_LOAD_SECONDS (default 30) each:

- the reviewer's loop: the queue → the first application's review page → back to the queue;
- the floor: the floor view (bench/urls.py) in a loop, the same sessions.

Prints requests/s, p50/p95/p99 and errors, and adds them to var/bench/results.json under "load".
The client is threads over http.client (keep-alive, one connection per session), on the same
machine as the server: on a 2-core machine it takes its share of the CPU, for both loops alike.
"""

import http.client
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
os.environ.setdefault("GREENMFG_INSECURE_DEV_KEY", "1")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

SECONDS = float(os.environ.get("BENCH_LOAD_SECONDS", "30"))
SIZE = int(os.environ.get("BENCH_LOAD_SIZE", "10000"))
SESSIONS = [int(s) for s in os.environ.get("BENCH_LOAD_SESSIONS", "50,200").split(",")]
OUT = ROOT / "var" / "bench" / "results.json"
# A kept-alive connection the server had closed: no answer at all, before any byte of it.
STALE = (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError)
REVIEW_LINK = re.compile(r'href="(/reviews/applications/\d+/)[^"]*"')


class Session:
    def __init__(self, port, username, password):
        self.port = port
        self.cookies = {}
        self.retries = 0
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.get("/accounts/login/")
        body = urlencode(
            {"username": username, "password": password, "csrfmiddlewaretoken": self.cookies["csrftoken"]}
        )
        status, _ = self.request(
            "POST", "/accounts/login/", body, {"Content-Type": "application/x-www-form-urlencoded"}
        )
        assert status == 302, f"sign-in of {username} answered {status}"

    def request(self, method, path, body=None, headers=None):
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        headers["Host"] = "127.0.0.1"
        try:
            resp, data = self._send(method, path, body, headers)
        except STALE:
            # The server closed the kept-alive connection before answering (gunicorn closes idle
            # keep-alive connections after `keepalive` seconds, and a worker's when it is
            # recycled after max_requests): a browser sends an idempotent request again on a new
            # connection (RFC 9112 §9.3.1), so does the bench, once, and counts it.
            if method != "GET":
                raise
            self.retries += 1
            resp, data = self._send(method, path, body, headers)
        for header, value in resp.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        return resp.status, data

    def _send(self, method, path, body, headers):
        try:
            self.conn.request(method, path, body=body, headers=headers)
            resp = self.conn.getresponse()
            return resp, resp.read()
        except (OSError, http.client.HTTPException):
            self.conn.close()
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            raise

    def get(self, path):
        return self.request("GET", path)


def reviewer_loop(session, record, stop):
    while not stop.is_set():
        status, body = timed(session, "/reviews/queue/", record)
        match = REVIEW_LINK.search(body.decode(errors="replace")) if status == 200 else None
        if match and not stop.is_set():
            timed(session, match.group(1), record)
        if not stop.is_set():
            timed(session, "/reviews/queue/", record)


def floor_loop(session, record, stop):
    while not stop.is_set():
        timed(session, "/bench/floor/", record)


def timed(session, path, record):
    start = time.perf_counter()
    try:
        status, body = session.get(path)
    except (OSError, http.client.HTTPException):
        status, body = 0, b""
    record.append(((time.perf_counter() - start) * 1000, status))
    return status, body


def run(loop, sessions, label):
    stop = threading.Event()
    records = [[] for _ in sessions]
    threads = [
        threading.Thread(target=loop, args=(s, r, stop), daemon=True)
        for s, r in zip(sessions, records, strict=True)
    ]
    start = time.perf_counter()
    for t in threads:
        t.start()
    time.sleep(SECONDS)
    stop.set()
    for t in threads:
        t.join(timeout=120)
    elapsed = time.perf_counter() - start
    retries = sum(s.retries for s in sessions)
    for s in sessions:
        s.retries = 0
    samples = [ms for r in records for ms, _ in r]
    errors = sum(1 for r in records for _, status in r if status != 200)
    error_statuses = sorted({status for r in records for _, status in r if status != 200})
    q = statistics.quantiles(samples, n=100) if len(samples) > 1 else [0] * 99
    row = {
        "case": label,
        "sessions": len(sessions),
        "seconds": round(elapsed, 1),
        "requests": len(samples),
        "rps": round(len(samples) / elapsed, 1),
        "p50_ms": round(q[49], 1),
        "p95_ms": round(q[94], 1),
        "p99_ms": round(q[98], 1),
        "errors": errors,
        "error_statuses": error_statuses,  # 0: no answer (connection reset or timeout)
        "retried": retries,  # requests sent again on a new connection (see Session.request)
    }
    print(
        f"{label:<28} {row['sessions']:>4} sessions {row['rps']:8.1f} req/s  p50 {row['p50_ms']:7.1f}  "
        f"p95 {row['p95_ms']:7.1f}  p99 {row['p99_ms']:7.1f} ms  errors {errors} {error_statuses or ''}  "
        f"retried {retries}",
        flush=True,
    )
    return row


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main():
    from bench import data
    from bench.run import machine

    call_command("migrate", verbosity=0)
    if data.Application.objects.count() == 0:
        core = data.build_core()
        data.Replicator(core).grow(max(SIZE - data.Application.objects.count(), 0))
        data.analyze()
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "SECRET_KEY": "bench-load-secret-key-0123456789-not-for-production",
        "DEBUG": "0",
        "CONN_MAX_AGE": "60",
        "CONN_HEALTH_CHECKS": "1",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": "4",
        "GUNICORN_THREADS": "4",
        "GUNICORN_ACCESSLOG": "/dev/null",
    }
    gunicorn = Path(sys.executable).with_name("gunicorn")
    server = subprocess.Popen(
        [str(gunicorn), "-c", "deploy/gunicorn.conf.py", "greenmfg.wsgi"], cwd=ROOT, env=env
    )
    results = []
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                http.client.HTTPConnection("127.0.0.1", port, timeout=5).request("GET", "/healthz")
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit("gunicorn did not start") from None
                time.sleep(0.3)
        cities = [
            u for u in data.County.objects.values_list("city_id", flat=True).distinct().order_by("city_id")
        ]
        print(machine())
        for n in SESSIONS:
            sessions = [Session(port, f"bench-{cities[i % len(cities)]}", data.PASSWORD) for i in range(n)]
            reviewer = run(reviewer_loop, sessions, "reviewer loop")
            floor = run(floor_loop, sessions, "floor view")
            reviewer["floor_rps"] = floor["rps"]
            reviewer["share_of_floor"] = round(reviewer["rps"] / floor["rps"], 2) if floor["rps"] else None
            results += [reviewer, floor]
            for s in sessions:
                s.conn.close()
    finally:
        server.terminate()
        server.wait(timeout=60)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    existing = json.loads(OUT.read_text()) if OUT.exists() else {"machine": machine(), "cases": []}
    existing["load"] = results
    OUT.write_text(json.dumps(existing, ensure_ascii=False, indent=1))
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
