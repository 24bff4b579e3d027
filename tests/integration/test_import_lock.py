"""A long case import does not block the partnership: it reads and checks the whole extract
outside any transaction and holds SQLite's write lock only for the short apply, so web writes
made meanwhile wait briefly and succeed (before, 8 of 10 failed with "database is locked").

The in-memory test database cannot show this, so the import runs in a subprocess against a
temporary SQLite file, with the project's settings (WAL, IMMEDIATE transactions, the busy
timeout), while this test writes through a second connection as a web request would. The
extract is SEN2-shaped and synthetic, from `bench/timeliness.py`'s generator: about 6.3 rows
a request, so the default LAPIS_LOCK_TEST_REQUESTS=24000 gives ~150,000 rows, the size of the
import that blocked web writes before (about 12 s here on a quiet machine; set it lower on a
slow one). It prints how long the write lock was held against the import's whole time."""

import json
import os
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from bench import timeliness as bench

ROOT = Path(__file__).resolve().parents[2]
REQUESTS = int(os.environ.get("LAPIS_LOCK_TEST_REQUESTS", "24000"))
# The same busy timeout the settings give every SQLite connection (read the same way, so the
# test holds when the suite itself runs on PostgreSQL).
BUSY_TIMEOUT = int(os.environ.get("LAPIS_SQLITE_TIMEOUT", "15"))

RUNNER = """
import datetime as dt, json, sys, time
import django
django.setup()
from django.core.management import call_command
from lapis.cases import loading
from lapis.core.actors import System
from lapis.partnership.actions import create_partnership

call_command("migrate", verbosity=0)
partnership = create_partnership(name="Lockton", by=System("test"))
print("ready", flush=True)
sys.stdin.readline()  # the test's writer has started
began = time.time()
result = loading.import_cases(partnership=partnership, path=sys.argv[1], by=System("test"),
                              max_bytes=10**10, today=dt.date(2025, 7, 1))
ended = time.time()
print(json.dumps({"began": began, "ended": ended, "applied": result.applied_seconds,
                  "counts": result.counts, "errors": result.report.errors_total}), flush=True)
"""


class Writer(threading.Thread):
    """Writes once every 0.1 s, as a web request does: BEGIN IMMEDIATE, and the busy timeout
    the project's settings give SQLite (LAPIS_SQLITE_TIMEOUT)."""

    def __init__(self, db: Path):
        super().__init__(daemon=True)
        self.db = db
        self.stop = threading.Event()
        self.writes: list[tuple[float, float, str]] = []  # (started, waited, error or "")

    def run(self):
        connection = sqlite3.connect(self.db, timeout=BUSY_TIMEOUT, isolation_level=None)
        try:
            while not self.stop.is_set():
                started = time.time()
                error = ""
                try:
                    connection.execute("BEGIN IMMEDIATE")
                    connection.execute("UPDATE partnership_partnership SET name = name "
                                       "WHERE name = 'Lockton'")
                    connection.execute("COMMIT")
                except sqlite3.OperationalError as failure:
                    error = str(failure)
                    if connection.in_transaction:
                        connection.execute("ROLLBACK")
                self.writes.append((started, time.time() - started, error))
                self.stop.wait(0.1)
        finally:
            connection.close()


@pytest.mark.skipif("postgresql" in os.environ.get("LAPIS_DATABASE_URL", ""),
                    reason="it measures SQLite's write lock (its import runs on a SQLite file "
                    "whatever the suite's database), so it runs once, in the SQLite run")
def test_web_writes_succeed_while_a_long_case_import_runs(tmp_path):
    people, requests, assessments, plans, reviews = bench.generate(REQUESTS, 5, 1)
    extract = tmp_path / "extract"
    bench.write_csvs(extract, people, requests, assessments, plans, reviews)
    db = tmp_path / "lapis.sqlite3"
    env = {**os.environ, "LAPIS_DATABASE_URL": f"sqlite:///{db}",
           "DJANGO_SETTINGS_MODULE": "lapis.settings"}
    runner = subprocess.Popen([sys.executable, "-c", RUNNER, str(extract)], cwd=ROOT, env=env,
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True)
    writer = Writer(db)
    try:
        assert runner.stdout.readline().strip() == "ready", runner.stderr.read()
        writer.start()
        runner.stdin.write("go\n")
        runner.stdin.flush()
        out, err = runner.communicate(timeout=240)
    finally:
        writer.stop.set()
        if runner.poll() is None:
            runner.kill()
            runner.communicate()
        writer.join()
    assert runner.returncode == 0, err
    timing = json.loads(out.strip().splitlines()[-1])
    rows = sum(timing["counts"].values())
    total = timing["ended"] - timing["began"]
    held = timing["applied"]
    during = [w for w in writer.writes if timing["began"] <= w[0] <= timing["ended"]]
    failed = [w for w in writer.writes if w[2]]
    longest = max((w[1] for w in during), default=0.0)
    print(f"\n{rows:,} rows imported in {total:.1f} s; the write lock held {held:.1f} s "
          f"({held / total:.0%}); {len(during)} writes during the import, "
          f"{len(failed)} failed, the longest waited {longest:.2f} s")
    assert timing["errors"] == 0
    assert rows > 6 * REQUESTS
    assert not failed, failed[:3]
    # Writes were made throughout: while the extract was read (they did not wait) and while
    # it was applied (they waited for the lock, then succeeded).
    assert len(during) >= 5
    assert held < total
