"""Helpers shared by several test modules: real threads for races, real LibreOffice for workbooks."""

import csv
import shutil
import subprocess
import threading
import uuid
from pathlib import Path

from django.db import connections

from core.exceptions import DomainError


def race(calls, *, refusals=(DomainError,)):
    """Run each call in its own thread with its own database connection, released together;
    return (successes, refusals)."""
    barrier = threading.Barrier(len(calls))
    results = []

    def run(call):
        try:
            barrier.wait()
            call()
            results.append("ok")
        except refusals as exc:
            results.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(c,)) for c in calls]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return [r for r in results if r == "ok"], [r for r in results if r != "ok"]


def libreoffice_csv(xlsx: bytes, tmp_path: Path, name: str = "book") -> list[list[str]]:
    """Open `xlsx` in headless LibreOffice (a profile of its own, removed afterwards) and return its
    first sheet as CSV rows (comma, quote, UTF-8)."""
    source = tmp_path / f"{name}.xlsx"
    source.write_bytes(xlsx)
    profile = Path("/tmp") / f"greenmfg-lo-{uuid.uuid4().hex}"
    try:
        subprocess.run(
            [
                "soffice",
                f"-env:UserInstallation=file://{profile}",
                "--headless",
                "--norestore",
                "--convert-to",
                "csv:Text - txt - csv (StarCalc):44,34,76",
                "--outdir",
                str(tmp_path),
                str(source),
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    with open(tmp_path / f"{name}.csv", encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh))


def workflow_pass(name: str):
    """The pass of the workflow transition `name` belongs to, taken from the workflow's module
    (tests walk the state machine one transition at a time); None for ordinary transitions."""
    from applications.services import transition_workflow
    from publicity import services as publicity_services
    from reviews import services as review_services

    passes = {"city_submission": review_services._CITY_SUBMISSION, "publicity": publicity_services._PUBLICITY}
    workflow = transition_workflow(name)
    return passes[workflow] if workflow else None


def libreoffice_xlsx(xlsx: bytes, tmp_path: Path, name: str = "saved") -> bytes:
    """Open `xlsx` in headless LibreOffice and save it again as .xlsx (as a clerk who edits the
    template in LibreOffice Calc would): the bytes LibreOffice wrote."""
    source = tmp_path / f"{name}.xlsx"
    source.write_bytes(xlsx)
    out = tmp_path / f"{name}-lo"
    out.mkdir()
    profile = Path("/tmp") / f"greenmfg-lo-{uuid.uuid4().hex}"
    try:
        subprocess.run(
            [
                "soffice",
                f"-env:UserInstallation=file://{profile}",
                "--headless",
                "--norestore",
                "--convert-to",
                "xlsx:Calc MS Excel 2007 XML",
                "--outdir",
                str(out),
                str(source),
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    return (out / f"{name}.xlsx").read_bytes()
