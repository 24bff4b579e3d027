"""Statutory EHC timeliness at national scale, against a DuckDB SQL reference (issue 5, item 7).

    .venv/bin/python bench/timeliness.py [--requests N] [--las K] [--seed S] [--as-of DATE]
                                         [--import]

1. Generates a deterministic synthetic dataset (seeded `random.Random`) as plain records of
   `lapis.cases.timeliness`: requests received over 2020-2024 in about 150 LAs, their
   decisions, assessments, named plans (from issued assessments, and older plans made before
   the data with no request), and annual reviews with amendments. Each case belongs to an LA
   through its person (PersonID -> LA).
2. Times our computation: every figure of `timeliness.timeliness()` for each LA and calendar
   year, with the records grouped by LA (and year) once. Two ways are timed: "whole" calls
   `timeliness()` over each LA's whole lists once per year; "bucketed" (the one the ratio uses)
   passes each call only the records dated in its year, and counts reviews overdue once per
   LA with `timeliness.reviews_overdue()`.
3. Writes the rows as SEN2 CSVs, loads them into DuckDB and computes the same figures by LA and
   year in SQL, following the rules in `lapis.cases.timeliness`'s docstring independently.
4. Checks both agree on every LA, year and figure: the counts, the rates and, for each rule, a
   checksum of the case IDs within and counted, so they agree to the case. Prints the mismatches
   and exits 1 if there are any.
5. With --import, also times `lapis.cases.importing.CaseFileReader` reading those CSVs.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import random
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from lapis.cases import timeliness as tl  # noqa: E402

YEARS = (2020, 2021, 2022, 2023, 2024)
FIRST_DAY = dt.date(YEARS[0], 1, 1)
DAYS = (dt.date(YEARS[-1], 12, 31) - FIRST_DAY).days + 1
DATA_END = dt.date(2025, 6, 30)  # the extract: events up to here, some after the as-of date
SEN_TYPES = ("ASD", "SLCN", "SEMH", "MLD", "SLD", "PMLD", "SPLD", "HI", "VI", "MSI", "PD")
RULES = ("six_week", "twenty_week", "twenty_week_ex", "sixteen_week", "review_decisions",
         "amended_plans")
REVIEW_EPOCH = dt.date(2000, 1, 1).toordinal()


# --- the synthetic data --------------------------------------------------------------------

def _delay(rng: random.Random, low: int, high: int, mode: int) -> int:
    return int(rng.triangular(low, high, mode))


def generate(requests: int, las: int, seed: int):
    """(people as {PersonID: (LA, birth month)}, requests, assessments, plans, reviews)."""
    rng = random.Random(seed)
    # LA sizes vary about tenfold, as England's do.
    weights = [rng.lognormvariate(0, 0.6) for _ in range(las)]
    la_names = [f"LA{n:03d}" for n in range(las)]
    la_of = rng.choices(la_names, weights, k=requests)
    people: dict[str, tuple[str, dt.date]] = {}
    reqs: list[tl.Request] = []
    asmts: list[tl.Assessment] = []
    plans: list[tl.Plan] = []
    day = dt.timedelta
    for n in range(requests):
        person = f"P{n:07d}"
        received = FIRST_DAY + day(days=rng.randrange(DAYS))
        people[person] = (la_of[n], dt.date(received.year - rng.randint(2, 17),
                                            rng.randint(1, 12), 1))
        rid = f"RQ{n:07d}"
        roll = rng.random()
        if roll < 0.03:  # withdrawn
            withdrawn = (None if rng.random() < 0.2  # W ends the case even undated
                         else received + day(days=rng.randint(3, 60)))
            reqs.append(tl.Request(rid, person, received, "W", withdrawn))
            continue
        if roll < 0.05:  # no decision recorded
            reqs.append(tl.Request(rid, person, received, rng.choice("AH"), None))
            continue
        if rng.random() < 0.12:
            wait = rng.randint(60, 150)  # the long tail
        else:
            wait = max(5, int(rng.gauss(45, 10)))  # spread around days 30-60
        decided = received + day(days=wait)
        if roll < 0.25:
            reqs.append(tl.Request(rid, person, received, "N", decided))
            continue
        reqs.append(tl.Request(rid, person, received, "Y", decided))
        roll = rng.random()
        if roll < 0.01:
            asmts.append(tl.Assessment(rid, "A", None))
        elif roll < 0.03:
            asmts.append(tl.Assessment(rid, "W", decided + day(days=rng.randint(10, 90))))
        elif roll < 0.10:
            notice = max(decided + day(days=14),
                         received + day(days=_delay(rng, 60, 200, 110)))
            asmts.append(tl.Assessment(rid, "N", notice))
        else:
            issued = max(decided + day(days=14), received + day(days=_delay(rng, 80, 250, 130)))
            asmts.append(tl.Assessment(rid, "Y", issued, rng.random() < 0.08))
            cease = issued + day(days=rng.randint(100, 2000)) if rng.random() < 0.08 else None
            if cease is not None and cease > DATA_END:
                cease = None  # not ceased by the time of the extract
            plans.append(tl.Plan(f"PL{len(plans):07d}", person, rid, issued, cease,
                                 "moved" if cease else None))
    # Older plans, made before the data (no request), in proportion.
    older_first = dt.date(2008, 1, 1)
    span = (FIRST_DAY - older_first).days
    for n in range(requests * 6 // 100):
        person = f"Q{n:07d}"
        start = older_first + day(days=rng.randrange(span))
        people[person] = (rng.choices(la_names, weights)[0],
                          dt.date(start.year - rng.randint(2, 15), rng.randint(1, 12), 1))
        cease = (FIRST_DAY + day(days=rng.randrange(DAYS + 180))
                 if rng.random() < 0.30 else None)
        plans.append(tl.Plan(f"PL{len(plans):07d}", person, None, start, cease,
                             "ceased" if cease else None))
    reviews = []
    for plan in plans:
        meeting = plan.start
        stop = DATA_END if plan.cease is None or plan.cease > DATA_END else plan.cease
        while True:
            meeting = meeting + day(days=rng.randint(300, 410))
            if meeting > stop:
                break
            if meeting < FIRST_DAY:  # only reviews in the years the data covers
                continue
            roll = rng.random()
            decision = (None if roll < 0.03
                        else meeting + day(days=_delay(rng, 10, 50, 24)))
            if decision is None:
                reviews.append(tl.Review(plan.id, meeting))
                continue
            if rng.random() < 0.40:
                amended = (None if rng.random() < 0.05
                           else decision + day(days=_delay(rng, 15, 120, 45)))
                reviews.append(tl.Review(plan.id, meeting, decision, "amend", decision, amended))
            else:
                outcome = "cease" if rng.random() < 0.03 else "maintain"
                reviews.append(tl.Review(plan.id, meeting, decision, outcome))
    return people, reqs, asmts, plans, reviews


# --- ours ----------------------------------------------------------------------------------

class LaData:
    __slots__ = ("requests", "assessments", "plans", "reviews")

    def __init__(self):
        self.requests, self.assessments, self.plans, self.reviews = [], [], [], []


def group_by_la(people, reqs, asmts, plans, reviews) -> dict[str, LaData]:
    out: dict[str, LaData] = defaultdict(LaData)
    la_of_person = {pid: la for pid, (la, _) in people.items()}
    la_of_request = {}
    for req in reqs:
        la = la_of_person[req.person_id]
        la_of_request[req.id] = la
        out[la].requests.append(req)
    for asmt in asmts:
        out[la_of_request[asmt.request_id]].assessments.append(asmt)
    la_of_plan = {}
    for plan in plans:
        la = la_of_person[plan.person_id]
        la_of_plan[plan.id] = la
        out[la].plans.append(plan)
    for rev in reviews:
        out[la_of_plan[rev.plan_id]].reviews.append(rev)
    return out


def ours_whole(grouped: dict[str, LaData], as_of: dt.date) -> dict:
    """`timeliness()` over each LA's whole lists, once per year."""
    out = {}
    for la, data in grouped.items():
        for year in YEARS:
            out[la, year] = tl.timeliness(data.requests, data.assessments, data.plans,
                                          data.reviews, start=dt.date(year, 1, 1),
                                          end=dt.date(year, 12, 31), as_of=as_of)
    return out


def ours_bucketed(grouped: dict[str, LaData], as_of: dt.date) -> dict:
    """`timeliness()` per LA and year over the records dated in that year only."""
    out = {}
    for la, data in grouped.items():
        reqs = {year: [] for year in YEARS}
        request_of = {}
        for req in data.requests:
            request_of[req.id] = req
            bucket = reqs.get(req.received.year)
            if bucket is not None:
                bucket.append(req)
        asmts = {year: [] for year in YEARS}
        for asmt in data.assessments:
            when = asmt.outcome_date
            if when is not None and when.year in asmts:
                asmts[when.year].append(asmt)
                req = request_of.get(asmt.request_id)
                if req is not None and req.received.year != when.year:
                    reqs[when.year].append(req)  # to time it; not counted under six weeks
        revs = {year: [] for year in YEARS}
        for rev in data.reviews:
            year = rev.meeting.year
            if year in revs:
                revs[year].append(rev)
            notice = rev.amendment_notice
            if notice is not None and notice.year != year and notice.year in revs:
                revs[notice.year].append(rev)
        overdue = len(tl.reviews_overdue(data.plans, data.reviews, as_of=as_of))
        for year in YEARS:
            figures = tl.timeliness(reqs[year], asmts[year], (), revs[year],
                                    start=dt.date(year, 1, 1), end=dt.date(year, 12, 31),
                                    as_of=as_of)
            figures["reviews_overdue"] = overdue
            out[la, year] = figures
    return out


def _request_key(case: str) -> int:
    return int(case[2:])


def _review_key(case: str) -> int:
    plan, meeting = case.split(":")
    return int(plan[2:]) * 100_000 + dt.date.fromisoformat(meeting).toordinal() - REVIEW_EPOCH


def flatten_ours(figures: dict) -> dict[str, object]:
    """One LA-year's figures as {name: value}, with case-ID checksums for every rule."""
    f = figures
    cases = f["cases"]
    tw = cases["twenty_week"]
    out = {
        "six_week.decided": f["six_week"]["decided"], "six_week.within": f["six_week"]["within"],
        "six_week.rate": f["six_week"]["rate"],
        "twenty_week.issued": f["twenty_week"]["issued"],
        "twenty_week.within": f["twenty_week"]["within"],
        "twenty_week.rate": f["twenty_week"]["rate"],
        "twenty_week_ex.issued": f["twenty_week"]["issued_ex"],
        "twenty_week_ex.within": f["twenty_week"]["within_ex"],
        "twenty_week_ex.rate": f["twenty_week"]["rate_ex"],
        "withdrawn": f["withdrawn"], "undecided": f["undecided"],
        "reviews_overdue": f["reviews_overdue"],
    }
    for rule in ("sixteen_week", "review_decisions", "amended_plans"):
        for key in ("decided", "within", "rate"):
            out[f"{rule}.{key}"] = f[rule][key]
    sums = {
        "six_week": (cases["six_week"]["decided"], cases["six_week"]["within"], _request_key),
        "twenty_week": (tw["issued"], tw["within"], _request_key),
        "twenty_week_ex": (tw["issued_ex"], tw["within_ex"], _request_key),
        "sixteen_week": (cases["sixteen_week"]["decided"], cases["sixteen_week"]["within"],
                         _request_key),
        "review_decisions": (cases["review_decisions"]["decided"],
                             cases["review_decisions"]["within"], _review_key),
        "amended_plans": (cases["amended_plans"]["decided"], cases["amended_plans"]["within"],
                          _review_key),
    }
    for rule, (decided, within, key) in sums.items():
        out[f"{rule}.decided_ids"] = sum(map(key, decided))
        out[f"{rule}.within_ids"] = sum(map(key, within))
    return out


# --- the SEN2 files ------------------------------------------------------------------------

def _iso(day: dt.date | None) -> str:
    return "" if day is None else day.isoformat()


def write_csvs(folder: Path, people, reqs, asmts, plans, reviews) -> Path:
    """SEN2 CSVs in `folder`, and the PersonID -> LA map beside it; returns the map's path."""
    folder.mkdir()
    with open(folder / "person.csv", "w", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(("PersonID", "BirthMonth", "Sex"))
        out.writerows((pid, f"{born.year:04d}-{born.month:02d}", "MF"[int(pid[-1]) % 2])
                      for pid, (_, born) in people.items())
    la_map = folder.parent / "person_la.csv"
    with open(la_map, "w", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(("PersonID", "LA"))
        out.writerows((pid, la) for pid, (la, _) in people.items())
    with open(folder / "requests.csv", "w", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(("RequestID", "PersonID", "ReceivedDate", "RequestSource",
                      "RequestOutcome", "RequestOutcomeDate"))
        out.writerows((r.id, r.person_id, r.received.isoformat(), "parent", r.outcome or "",
                       _iso(r.outcome_date)) for r in reqs)
    with open(folder / "assessments.csv", "w", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(("RequestID", "AssessmentOutcome", "AssessmentOutcomeDate", "Week20"))
        out.writerows((a.request_id, a.outcome or "", _iso(a.outcome_date), int(a.week20))
                      for a in asmts)
    with open(folder / "named_plans.csv", "w", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(("PlanID", "PersonID", "RequestID", "StartDate", "CeaseDate",
                      "CeaseReason"))
        out.writerows((p.id, p.person_id, p.request_id or "", p.start.isoformat(),
                       _iso(p.cease), p.cease_reason or "") for p in plans)
    with open(folder / "reviews.csv", "w", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(("PlanID", "ReviewMeeting", "ReviewDecisionDate", "ReviewOutcome",
                      "AmendmentNoticeDate", "AmendedPlanDate", "PhaseTransferDueDate",
                      "PhaseTransferFinalDate"))
        out.writerows((r.plan_id, r.meeting.isoformat(), _iso(r.decision_date),
                       r.outcome or "", _iso(r.amendment_notice), _iso(r.amended_plan), "", "")
                      for r in reviews)
    with open(folder / "sen_need.csv", "w", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(("PersonID", "SENType", "SENTypeRank"))
        out.writerows((pid, SEN_TYPES[int(pid[-3:]) % len(SEN_TYPES)], 1) for pid in people)
    return la_map


# --- the DuckDB reference ------------------------------------------------------------------

def duckdb_load(con, folder: Path, la_map: Path) -> None:
    def load(table: str, path: Path, columns: dict[str, str]) -> None:
        cols = ", ".join(f"'{name}': '{kind}'" for name, kind in columns.items())
        con.execute(f"CREATE TABLE {table} AS SELECT * FROM read_csv('{path}', header = true, "
                    f"columns = {{{cols}}}, dateformat = '%Y-%m-%d')")

    load("person_la", la_map, {"PersonID": "VARCHAR", "LA": "VARCHAR"})
    load("requests", folder / "requests.csv", {
        "RequestID": "VARCHAR", "PersonID": "VARCHAR", "ReceivedDate": "DATE",
        "RequestSource": "VARCHAR", "RequestOutcome": "VARCHAR", "RequestOutcomeDate": "DATE"})
    load("assessments", folder / "assessments.csv", {
        "RequestID": "VARCHAR", "AssessmentOutcome": "VARCHAR",
        "AssessmentOutcomeDate": "DATE", "Week20": "INTEGER"})
    load("named_plans", folder / "named_plans.csv", {
        "PlanID": "VARCHAR", "PersonID": "VARCHAR", "RequestID": "VARCHAR",
        "StartDate": "DATE", "CeaseDate": "DATE", "CeaseReason": "VARCHAR"})
    load("reviews", folder / "reviews.csv", {
        "PlanID": "VARCHAR", "ReviewMeeting": "DATE", "ReviewDecisionDate": "DATE",
        "ReviewOutcome": "VARCHAR", "AmendmentNoticeDate": "DATE", "AmendedPlanDate": "DATE",
        "PhaseTransferDueDate": "DATE", "PhaseTransferFinalDate": "DATE"})


# Status per case: 'within', 'late', 'undecided', 'withdrawn' (the docstring's rules, in SQL).
# clock(deadline, done): done on or before the as-of date decides it; otherwise late once the
# as-of date is after the deadline, else undecided. Events after the as-of date count as not
# having happened; cases dated after it do not exist.
REFERENCE_SQL = """
WITH
req AS (
  SELECT r.RequestID, p.LA, r.ReceivedDate AS received, r.RequestOutcome AS outcome,
         r.RequestOutcomeDate AS done
  FROM requests r JOIN person_la p USING (PersonID)
  WHERE r.ReceivedDate <= $as_of
),
six AS (
  SELECT LA, year(received) AS yr, CAST(substr(RequestID, 3) AS BIGINT) AS k,
    CASE
      WHEN outcome = 'W' AND (done IS NULL OR done <= $as_of) THEN 'withdrawn'
      WHEN outcome IN ('Y', 'N') AND done IS NOT NULL AND done <= $as_of THEN
        CASE WHEN done - received <= 42 THEN 'within' ELSE 'late' END
      WHEN $as_of - received > 42 THEN 'late'
      ELSE 'undecided'
    END AS status
  FROM req
),
asm AS (
  SELECT req.LA, year(a.AssessmentOutcomeDate) AS yr,
         CAST(substr(a.RequestID, 3) AS BIGINT) AS k, a.AssessmentOutcome AS outcome,
         a.AssessmentOutcomeDate - req.received AS days, a.Week20 = 1 AS week20
  FROM assessments a JOIN req USING (RequestID)
  WHERE a.AssessmentOutcome IN ('Y', 'N') AND a.AssessmentOutcomeDate IS NOT NULL
    AND a.AssessmentOutcomeDate <= $as_of
),
rev AS (
  SELECT p.LA, v.*,
         CAST(substr(v.PlanID, 3) AS BIGINT) * 100000
           + (v.ReviewMeeting - DATE '2000-01-01') AS k
  FROM reviews v JOIN named_plans n USING (PlanID) JOIN person_la p ON p.PersonID = n.PersonID
),
cases AS (
  SELECT 'six_week' AS rule, LA, yr, k, status FROM six
  UNION ALL
  SELECT 'twenty_week', LA, yr, k, CASE WHEN days <= 140 THEN 'within' ELSE 'late' END
  FROM asm WHERE outcome = 'Y'
  UNION ALL
  SELECT 'twenty_week_ex', LA, yr, k, CASE WHEN days <= 140 THEN 'within' ELSE 'late' END
  FROM asm WHERE outcome = 'Y' AND NOT week20
  UNION ALL
  SELECT 'sixteen_week', LA, yr, k, CASE WHEN days <= 112 THEN 'within' ELSE 'late' END
  FROM asm WHERE outcome = 'N'
  UNION ALL
  SELECT 'review_decisions', LA, year(ReviewMeeting), k,
    CASE
      WHEN ReviewDecisionDate IS NOT NULL AND ReviewDecisionDate <= $as_of THEN
        CASE WHEN ReviewDecisionDate - ReviewMeeting <= 28 THEN 'within' ELSE 'late' END
      WHEN $as_of - ReviewMeeting > 28 THEN 'late'
      ELSE 'undecided'
    END
  FROM rev WHERE ReviewMeeting <= $as_of
  UNION ALL
  SELECT 'amended_plans', LA, year(AmendmentNoticeDate), k,
    CASE
      WHEN AmendedPlanDate IS NOT NULL AND AmendedPlanDate <= $as_of THEN
        CASE WHEN AmendedPlanDate - AmendmentNoticeDate <= 56 THEN 'within' ELSE 'late' END
      WHEN $as_of - AmendmentNoticeDate > 56 THEN 'late'
      ELSE 'undecided'
    END
  FROM rev WHERE AmendmentNoticeDate IS NOT NULL AND AmendmentNoticeDate <= $as_of
)
SELECT rule, LA, yr,
  count(*) FILTER (WHERE status IN ('within', 'late')) AS decided,
  count(*) FILTER (WHERE status = 'within') AS within,
  count(*) FILTER (WHERE status = 'undecided') AS undecided,
  count(*) FILTER (WHERE status = 'withdrawn') AS withdrawn,
  coalesce(sum(k) FILTER (WHERE status IN ('within', 'late')), 0) AS decided_ids,
  coalesce(sum(k) FILTER (WHERE status = 'within'), 0) AS within_ids
FROM cases
WHERE yr BETWEEN $first AND $last
GROUP BY ALL
"""

# Live plans on the as-of date whose last review (or start) is more than 12 months before it;
# DuckDB's date + INTERVAL 12 MONTH clamps 29 February to 28 February, as the rule says.
OVERDUE_SQL = """
WITH last AS (
  SELECT PlanID, max(ReviewMeeting) AS meeting FROM reviews
  WHERE ReviewMeeting <= $as_of GROUP BY PlanID
)
SELECT p.LA, count(*) AS overdue
FROM named_plans n JOIN person_la p USING (PersonID) LEFT JOIN last USING (PlanID)
WHERE n.StartDate <= $as_of AND (n.CeaseDate IS NULL OR n.CeaseDate > $as_of)
  AND $as_of > CAST(greatest(n.StartDate, coalesce(last.meeting, n.StartDate))
                    + INTERVAL 12 MONTH AS DATE)
GROUP BY ALL
"""


def _sql_rate(within: int, decided: int) -> float | None:
    """Round half up to one decimal place in integers, independent of timeliness.rate."""
    if decided == 0:
        return None
    return ((2000 * within + decided) // (2 * decided)) / 10


def duckdb_reference(con, as_of: dt.date) -> dict:
    params = {"as_of": as_of, "first": YEARS[0], "last": YEARS[-1]}
    rows = con.execute(REFERENCE_SQL, params).fetchall()
    overdue = dict(con.execute(OVERDUE_SQL, {"as_of": as_of}).fetchall())
    return {"rows": rows, "overdue": overdue}


def flatten_reference(result: dict, las) -> dict[tuple[str, int], dict[str, object]]:
    out: dict[tuple[str, int], dict[str, object]] = {}
    for la in las:
        for year in YEARS:
            figures: dict[str, object] = {"withdrawn": 0, "undecided": 0,
                                          "reviews_overdue": result["overdue"].get(la, 0)}
            for rule in RULES:
                figures.update({f"{rule}.decided": 0, f"{rule}.within": 0,
                                f"{rule}.decided_ids": 0, f"{rule}.within_ids": 0})
            out[la, year] = figures
    for rule, la, year, decided, within, undecided, withdrawn, decided_ids, within_ids in (
            result["rows"]):
        figures = out.setdefault((la, year), {})
        figures.update({f"{rule}.decided": decided, f"{rule}.within": within,
                        f"{rule}.decided_ids": int(decided_ids),
                        f"{rule}.within_ids": int(within_ids)})
        if rule == "six_week":
            figures["withdrawn"], figures["undecided"] = withdrawn, undecided
    for figures in out.values():
        for rule in RULES:
            figures[f"{rule}.rate"] = _sql_rate(figures[f"{rule}.within"],
                                                figures[f"{rule}.decided"])
    # Our figures name the 20-week denominator "issued".
    for figures in out.values():
        for rule in ("twenty_week", "twenty_week_ex"):
            figures[f"{rule}.issued"] = figures.pop(f"{rule}.decided")
    return out


def compare(ours: dict, reference: dict) -> list[str]:
    problems = []
    for key in sorted(set(ours) | set(reference)):
        mine = flatten_ours(ours[key]) if key in ours else {}
        theirs = reference.get(key, {})
        for name in sorted(set(mine) | set(theirs)):
            if mine.get(name) != theirs.get(name):
                problems.append(f"{key[0]} {key[1]} {name}: ours {mine.get(name)!r}, "
                                f"DuckDB {theirs.get(name)!r}")
    return problems


# --- the import ----------------------------------------------------------------------------

def time_import(folder: Path) -> None:
    from lapis.cases.importing import CaseFileReader

    today = max(dt.date.today(), DATA_END)
    reader = CaseFileReader(folder, max_bytes=10**12, today=today)
    began = time.perf_counter()
    rows = sum(len(batch) for _, batch in reader.batches())
    took = time.perf_counter() - began
    report = reader.report
    print(f"import (CaseFileReader, no database): {rows:,} rows in {took:.1f} s = "
          f"{rows / took:,.0f} rows/s; {len(report.errors)} errors, "
          f"{len(report.warnings)} warnings")
    for problem in (report.errors + report.warnings)[:5]:
        print("   ", problem)


# --- the run -------------------------------------------------------------------------------

def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=1_000_000)
    parser.add_argument("--las", type=int, default=150)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--as-of", type=dt.date.fromisoformat, default=dt.date(2024, 12, 31),
                        help="the as-of date (default 2024-12-31; the data runs to 2025-06-30)")
    parser.add_argument("--import", dest="do_import", action="store_true",
                        help="also time CaseFileReader reading the CSVs")
    parser.add_argument("--skip-whole", action="store_true",
                        help="do not time the whole-list variant of our computation")
    args = parser.parse_args(argv)
    import duckdb

    as_of = args.as_of
    began = time.perf_counter()
    people, reqs, asmts, plans, reviews = generate(args.requests, args.las, args.seed)
    took_gen = time.perf_counter() - began
    live = sum(1 for p in plans if p.start <= as_of and (p.cease is None or p.cease > as_of))
    print(f"generated in {took_gen:.1f} s: {len(people):,} people, {len(reqs):,} requests, "
          f"{len(asmts):,} assessments, {len(plans):,} plans ({live:,} live on {as_of}), "
          f"{len(reviews):,} reviews, {args.las} LAs, as of {as_of}")

    began = time.perf_counter()
    grouped = group_by_la(people, reqs, asmts, plans, reviews)
    took_group = time.perf_counter() - began
    began = time.perf_counter()
    ours = ours_bucketed(grouped, as_of)
    took_ours = time.perf_counter() - began + took_group
    print(f"ours: group by LA {took_group:.1f} s; bucketed by year and timeliness() x "
          f"{len(ours)} {took_ours - took_group:.1f} s; total {took_ours:.1f} s")
    if not args.skip_whole:
        began = time.perf_counter()
        whole = ours_whole(grouped, as_of)
        took_whole = time.perf_counter() - began
        same = sum(flatten_ours(whole[k]) == flatten_ours(ours[k]) for k in ours)
        print(f"ours (whole LA lists per year, for comparison): {took_whole:.1f} s; "
              f"agrees with bucketed on {same} of {len(ours)} LA-years")
        del whole

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "sen2"
        began = time.perf_counter()
        la_map = write_csvs(folder, people, reqs, asmts, plans, reviews)
        took_write = time.perf_counter() - began
        con = duckdb.connect()
        began = time.perf_counter()
        duckdb_load(con, folder, la_map)
        took_load = time.perf_counter() - began
        began = time.perf_counter()
        result = duckdb_reference(con, as_of)
        took_duck = time.perf_counter() - began
        threads = con.execute("SELECT current_setting('threads')").fetchone()[0]
        print(f"DuckDB {duckdb.__version__} ({threads} threads): CSV write {took_write:.1f} s, "
              f"load {took_load:.1f} s, query {took_duck:.2f} s")
        if args.do_import:
            time_import(folder)

    reference = flatten_reference(result, grouped)
    problems = compare(ours, reference)
    figures = len(next(iter(reference.values()))) if reference else 0
    print(f"checked {len(ours)} LA-years x {figures} figures (counts, rates, case-ID "
          f"checksums): {len(problems)} mismatches")
    for problem in problems[:10]:
        print("   ", problem)
    print(f"ratio ours / DuckDB (query only): {took_ours / took_duck:.1f}x "
          f"({took_ours:.1f} s / {took_duck:.2f} s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
