"""Benchmarks reported as ratios against a reference on the same data (see bench/README.md)."""

import argparse
import datetime as dt
import random
import sys
import tempfile
import timeit
from pathlib import Path

import openpyxl

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from lapis.plans import drift  # noqa: E402
from lapis.plans.importer import read_register  # noqa: E402
from lapis.scorecard import dfe, rules  # noqa: E402

HULL = ROOT / "tests" / "fixtures" / "hull-send-improvement-plan.xlsx"
DFE = ROOT.parent / "shared" / "data" / "dfe-ehc-plans-2025" / "timeliness_20_week.csv"


def best(fn, repeat=5) -> float:
    return min(timeit.repeat(fn, number=1, repeat=repeat))


def big_workbook(actions: int, folder: Path) -> Path:
    """The Hull register's rows repeated, with fresh refs, to `actions` rows (no merges)."""
    source = openpyxl.load_workbook(HULL)["Improvement Plan"]
    rows = [[c.value for c in row] for row in source.iter_rows(min_row=2)]
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Improvement Plan"
    sheet.append([c.value for c in source[1]])
    for i in range(actions):
        row = list(rows[i % len(rows)])
        row[0] = f"{i % 9 + 1}.{i + 1}"
        sheet.append(row)
    path = folder / f"register-{actions}.xlsx"
    book.save(path)
    return path


def synthetic_actions(count: int, seed: int = 1) -> list[drift.ActionFacts]:
    rng = random.Random(seed)
    families = ["not_started", "on_track", "some_concerns", "off_track", "complete",
                "embedded", None]
    start = dt.date(2023, 1, 1)
    out = []
    for i in range(count):
        day = start + dt.timedelta(days=rng.randrange(1500))
        precision = rng.choice(["day", "month"])
        due = drift.DueDate(day.replace(day=1) if precision == "month" else day, precision)
        changes = ()
        if rng.random() < 0.2:
            earlier = drift.DueDate(due.value - dt.timedelta(days=rng.randrange(1, 200)), "day")
            changes = (drift.DueChange(start, earlier, due),)
        out.append(drift.ActionFacts(
            ref=f"{i % 9 + 1}.{i}", status_label="x", status_family=rng.choice(families),
            closed=rng.random() < 0.05, due=due,
            last_reviewed=start + dt.timedelta(days=rng.randrange(1500)),
            has_sro=rng.random() < 0.9, has_lead=rng.random() < 0.9,
            has_impact_measure=rng.random() < 0.8, due_changes=changes))
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=int, default=1)
    args = parser.parse_args()
    as_of = dt.date(2025, 11, 1)
    print(f"{'benchmark':<34}{'n':>8}{'LAPIS s':>10}{'ref s':>10}{'ratio':>8}")
    with tempfile.TemporaryDirectory() as folder:
        for n in (81, 500 * args.scale):
            path = HULL if n == 81 else big_workbook(n, Path(folder))
            ours = best(lambda p=path: read_register(p))
            ref = best(lambda p=path: openpyxl.load_workbook(p, data_only=True))
            print(f"{'read_register vs openpyxl load':<34}{n:>8}{ours:>10.4f}{ref:>10.4f}"
                  f"{ours / ref:>8.2f}")
    for n in (1_000 * args.scale, 30_000 * args.scale):
        actions = synthetic_actions(n)
        ours = best(lambda a=actions: drift.assess_all(a, as_of=as_of))
        ref = best(lambda a=actions: [(as_of - x.due.end()).days for x in a])
        print(f"{'drift.assess_all vs days-late loop':<34}{n:>8}{ours:>10.4f}{ref:>10.4f}"
              f"{ours / ref:>8.2f}")
    rng = random.Random(2)
    for n in (153, 153 * 20 * args.scale):
        values = {i: round(rng.uniform(0, 100), 1) for i in range(n)}
        ours = best(lambda v=values: (rules.bands(v, "higher"), rules.ranks(v, "higher")))
        ref = best(lambda v=values: sorted(v.values()))
        print(f"{'quartile bands+ranks vs sort':<34}{n:>8}{ours:>10.4f}{ref:>10.4f}"
              f"{ours / ref:>8.2f}")
    if DFE.is_file():  # DfE's file lives beside the project, never in it
        import csv

        rows = sum(1 for _ in open(DFE, encoding="utf-8-sig")) - 1
        ours = best(lambda: dfe.read_ehc_file(DFE), repeat=3)
        ref = best(lambda: list(csv.reader(open(DFE, encoding="utf-8-sig"))), repeat=3)
        print(f"{'read_ehc_file vs csv.reader':<34}{rows:>8}{ours:>10.4f}{ref:>10.4f}"
              f"{ours / ref:>8.2f}")
    else:
        print(f"read_ehc_file: skipped, {DFE} is not here")


if __name__ == "__main__":
    main()
