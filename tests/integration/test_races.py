"""Races: the same write sent twice (or twelve times) at the same moment, over real HTTP.

A threaded WSGI server runs the whole project in this process, on 127.0.0.1, and real users
sign in through the login form; a `threading.Barrier` starts the requests together. Each
request thread opens its own database connection, as under gunicorn:

- PostgreSQL: the test database itself (the data is committed: `transactional_db`);
- SQLite: pytest-django's test database is in memory, and a live server shares that one
  connection between all its threads, which would serialise every request in Python and
  hide the race. So the committed test data is copied (SQLite's backup API) into a file
  under the test's temporary directory and the server's threads open that file, with the
  project's own settings (`BEGIN IMMEDIATE`, the busy timeout, WAL).

Everything is checked through the API (the action's GET, with its version and history; the
change-control register), so the checks read what the server wrote on either database. The
server counts the requests it holds at once, and each test asserts that some overlapped:
a harness that ran them one by one would prove nothing.

Before the fix (rows decided on copies read before the transaction) these failed: both
decisions were accepted, and concurrent progress updates reverted the status and advanced
the version by less than the number of updates.
"""

from __future__ import annotations

import concurrent.futures
import http.cookiejar
import json
import re
import sqlite3
import threading
import urllib.error
import urllib.parse
import urllib.request

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler
from django.db import connection, connections

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)

TIMEOUT = 60  # seconds: a request (or a round) that takes longer fails the test
ROUNDS = 10
UPDATES = 12


class _Quiet(WSGIRequestHandler):
    def log_message(self, *args):
        pass


class _Server(ThreadedWSGIServer):
    """One thread per request; each opens its own connection (to `database`, when given)."""

    daemon_threads = True

    def __init__(self, *args, database: dict | None = None, **kwargs):
        self.database, self.wrapper = database, type(connections["default"])
        super().__init__(*args, **kwargs)

    def process_request_thread(self, request, client_address):
        if self.database is not None:
            connections["default"] = self.wrapper(dict(self.database), "default")
        super().process_request_thread(request, client_address)  # closes it when done


class _Counting:
    """The project's WSGI application, counting the requests it serves at the same time."""

    def __init__(self):
        self.app, self.lock, self.now, self.most = WSGIHandler(), threading.Lock(), 0, 0

    def __call__(self, environ, start_response):
        with self.lock:
            self.now += 1
            self.most = max(self.most, self.now)
        try:
            return list(self.app(environ, start_response))
        finally:
            with self.lock:
                self.now -= 1


@pytest.fixture
def _scales(transactional_db):
    """A committed-data test flushes the status scales a migration ships: load them again."""
    from lapis.plans.models import Status, StatusScale
    from lapis.plans.scales import load

    if not StatusScale.objects.exists():
        load(StatusScale, Status)


@pytest.fixture
def server(_scales, personas, tmp_path):
    """The base URL of the project served on 127.0.0.1 (Hull and its personas committed),
    and its counting application."""
    database = None
    if connection.vendor == "sqlite":
        path = tmp_path / "races.sqlite3"
        connection.ensure_connection()
        copy = sqlite3.connect(path)
        try:
            connection.connection.backup(copy)
        finally:
            copy.close()
        database = {**connection.settings_dict, "NAME": str(path)}
    app = _Counting()
    httpd = _Server(("127.0.0.1", 0), _Quiet, database=database)
    httpd.set_app(app)
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05},
                              daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", app
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(TIMEOUT)


class Browser:
    """One signed-in session: cookies, the CSRF token, JSON in and out."""

    def __init__(self, base: str, username: str):
        self.base, self.jar = base, http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        self.call("GET", "/accounts/login/")
        form = {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": self.csrf}
        status, _ = self.call("POST", "/accounts/login/", form=form)
        assert status == 200 and self.cookie("sessionid"), f"{username} could not sign in"

    def cookie(self, name: str) -> str | None:
        return next((c.value for c in self.jar if c.name == name), None)

    @property
    def csrf(self) -> str:
        return self.cookie("csrftoken") or ""

    def call(self, method: str, path: str, body=None, form=None) -> tuple[int, object]:
        headers = {"X-CSRFToken": self.csrf, "Referer": self.base + "/"}
        data = None
        if body is not None:
            data, headers["Content-Type"] = json.dumps(body).encode(), "application/json"
        elif form is not None:
            data = urllib.parse.urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        request = urllib.request.Request(self.base + path, data=data, method=method,
                                         headers=headers)
        try:
            with self.opener.open(request, timeout=TIMEOUT) as response:
                status, raw = response.status, response.read()
        except urllib.error.HTTPError as error:
            status, raw = error.code, error.read()
        kind = "json" if raw[:1] in (b"{", b"[") else "text"
        return status, json.loads(raw) if kind == "json" else raw.decode()


def together(calls) -> list:
    """Run the calls in threads released at the same moment; their results in order."""
    barrier = threading.Barrier(len(calls), timeout=TIMEOUT)

    def run(call):
        barrier.wait()
        return call()

    with concurrent.futures.ThreadPoolExecutor(len(calls)) as pool:
        futures = [pool.submit(run, call) for call in calls]
        return [future.result(timeout=TIMEOUT) for future in futures]


def _plan_id(browser: Browser) -> int:
    status, plans = browser.call("GET", "/api/plans")
    assert status == 200
    return next(p["id"] for p in plans if p["name"] == "Hull SEND improvement plan")


def test_approve_and_reject_at_once_one_decision_wins(server):
    base, app = server
    pm = Browser(base, "persona-pm")
    members = [Browser(base, "persona-board"), Browser(base, "persona-board")]
    plan = _plan_id(pm)
    url = f"/api/plans/{plan}/actions/4.6"
    for n in range(ROUNDS):
        _, before = pm.call("GET", url)
        scope = f"Round {n}: the new scope of 4.6"
        status, raised = pm.call("POST", f"{url}/change-requests", {
            "kind": "scope", "reason": "The probe's race", "board": "SEND Strategic Board",
            "text": scope})
        assert status == 201, raised
        path = f"/api/change-requests/{raised['pk']}/decision"
        # Alternate which thread is handed the approval, so neither side is favoured.
        verdicts = [True, False] if n % 2 else [False, True]
        answers = together([
            lambda b=b, v=v, path=path, n=n: b.call("POST", path, {"approve": v,
                                                                   "note": f"round {n}"})
            for b, v in zip(members, verdicts, strict=True)])
        statuses = sorted(status for status, _ in answers)
        assert statuses == [200, 409], answers
        (won, winner), = [(v, body) for (s, body), v in zip(answers, verdicts, strict=True)
                          if s == 200]
        (lost,) = [body for s, body in answers if s == 409]
        decision = "approved" if won else "rejected"
        assert winner["decision"] == decision
        assert lost["detail"] == f"{raised['id']} was already {decision}"
        assert lost["current"]["decision"] == decision
        _, register = pm.call("GET", f"/api/plans/{plan}/change-requests")
        assert next(r for r in register if r["pk"] == raised["pk"])["decision"] == decision
        _, after = pm.call("GET", url)
        assert after["description"] == (scope if won else before["description"])
        assert after["version"] == before["version"] + (1 if won else 0)
        decided = [h for h in after["history"] if h["field"] == "change_request"
                   and h["new"].startswith(f"{raised['id']} ") and "raised" not in h["new"]]
        assert len(decided) == 1 and decided[0]["new"].startswith(f"{raised['id']} {decision}")
    assert app.most >= 2, "the requests never overlapped: the harness raced nothing"


def test_twelve_progress_updates_at_once_are_all_kept(server):
    base, app = server
    leads = [Browser(base, "persona-pm") for _ in range(UPDATES)]
    plan = _plan_id(leads[0])
    url = f"/api/plans/{plan}/actions/2.2"
    _, before = leads[0].call("GET", url)
    assert before["status"] != "Completed"
    texts = [f"Update {i} of {UPDATES}, sent at once" for i in range(UPDATES)]
    completing = UPDATES // 2
    bodies = [{"text": text} for text in texts]
    bodies[completing] |= {"status": "Completed", "reason": "All schools trained"}
    answers = together([lambda b=b, body=body: b.call("POST", f"{url}/progress", body)
                        for b, body in zip(leads, bodies, strict=True)])
    assert [status for status, _ in answers] == [201] * UPDATES, answers
    _, after = leads[0].call("GET", url)
    assert after["version"] == before["version"] + UPDATES
    assert len(after["progress"]) == len(before["progress"]) + UPDATES
    assert {p["text"] for p in after["progress"]} >= set(texts)
    # Only one update changed the status, so whatever the commit order it is the last word,
    # and the history's last status change says what the action says.
    assert after["status"] == "Completed"
    last = [h for h in after["history"] if h["field"] == "status"][-1]
    assert last["new"] == after["status"]
    progress = [h for h in after["history"] if h["field"] == "progress"]
    assert len([h for h in progress if h["new"].split(": ", 1)[-1] in texts]) == UPDATES
    assert app.most >= 2, "the requests never overlapped: the harness raced nothing"


def test_two_edits_from_one_version_one_wins_and_the_other_sees_both(server):
    base, app = server
    editors = [Browser(base, "persona-pm"), Browser(base, "persona-admin")]
    plan = _plan_id(editors[0])
    url = f"/api/plans/{plan}/actions/4.6"
    # Two requests may happen not to overlap on a busy machine: race again (a bounded number
    # of rounds) until they did. Every round must still have exactly one winner.
    for round_ in range(1, 9):
        _, before = editors[0].call("GET", url)
        version = before["version"]
        pillars = [f"Timeliness {round_}", f"Quality {round_}"]
        answers = together([
            lambda b=b, p=p, v=version: b.call("PATCH", url, {"version": v, "pillar": p})
            for b, p in zip(editors, pillars, strict=True)])
        assert sorted(status for status, _ in answers) == [200, 409], answers
        (won,) = [p for (s, _), p in zip(answers, pillars, strict=True) if s == 200]
        (lost, mine), = [(body, p) for (s, body), p in zip(answers, pillars, strict=True)
                         if s == 409]
        assert re.search("changed by someone else while you were editing it", lost["detail"])
        assert lost["current"]["version"] == version + 1 and lost["current"]["pillar"] == won
        assert lost["yours"] == {"version": version, "pillar": mine}
        _, after = editors[0].call("GET", url)
        assert after["pillar"] == won and after["version"] == version + 1
        assert len([h for h in after["history"] if h["field"] == "pillar"]) == round_
        if app.most >= 2:
            break
    assert app.most >= 2, "the requests never overlapped: the harness raced nothing"
