"""The forecast at national scale (issue 16): forecasts of 2024 made as of 2024-07-01 for every
LA of the synthetic extract of `bench/timeliness.py`, against each LA's actual 2024 rates.

    .venv/bin/python bench/forecast.py [--requests N] [--las K] [--seed S] [--as-of DATE]
                                       [--draws D]

For each LA and each rule (20 weeks with and without exceptions, 6 weeks, review decisions):
the forecast's expected rate and 80% interval (`lapis.cases.forecast.forecast`), and the
actual (`forecast.actual`, i.e. `timeliness()` as of the end of 2025, the data running to
2025-06-30). Reports the mean absolute error in points, the median interval width, and the
share of LAs whose actual fell inside the interval (the issue wants 70% to 90%), with the
time taken. Not a test: nothing is asserted.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from timeliness import generate, group_by_la  # noqa: E402

from lapis.cases import forecast  # noqa: E402


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=1_000_000)
    parser.add_argument("--las", type=int, default=150)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--year", type=int, default=2024)
    parser.add_argument("--as-of", type=dt.date.fromisoformat, default=dt.date(2024, 7, 1))
    parser.add_argument("--draws", type=int, default=forecast.DRAWS)
    args = parser.parse_args(argv)

    began = time.perf_counter()
    people, reqs, asmts, plans, reviews = generate(args.requests, args.las, args.seed)
    grouped = group_by_la(people, reqs, asmts, plans, reviews)
    print(f"generated and grouped in {time.perf_counter() - began:.1f} s: {len(reqs):,} "
          f"requests, {len(reviews):,} reviews, {len(grouped)} LAs")

    errors = {rule: [] for rule in forecast.RULES}
    signed = {rule: [] for rule in forecast.RULES}
    widths = {rule: [] for rule in forecast.RULES}
    inside = dict.fromkeys(forecast.RULES, 0)
    began = time.perf_counter()
    for data in grouped.values():
        got = forecast.forecast(data.requests, data.assessments, data.plans, data.reviews,
                                year=args.year, as_of=args.as_of, draws=args.draws)
        truth = forecast.actual(data.requests, data.assessments, data.plans, data.reviews,
                                year=args.year)
        for rule in forecast.RULES:
            cell = got[rule]
            if cell["expected"] is None or truth[rule] is None:
                continue
            errors[rule].append(abs(cell["expected"] - truth[rule]))
            signed[rule].append(cell["expected"] - truth[rule])
            widths[rule].append(cell["high"] - cell["low"])
            inside[rule] += cell["low"] <= truth[rule] <= cell["high"]
    took = time.perf_counter() - began
    print(f"forecasts of {args.year} as of {args.as_of} for {len(grouped)} LAs "
          f"({args.draws} draws each): {took:.1f} s, {took / len(grouped):.2f} s per LA")
    print(f"{'rule':<18} {'LAs':>5} {'MAE (points)':>13} {'mean error':>11} "
          f"{'median width':>13} {'coverage':>9}")
    for rule in forecast.RULES:
        n = len(errors[rule])
        if not n:
            print(f"{rule:<18} {0:>5}")
            continue
        print(f"{rule:<18} {n:>5} {sum(errors[rule]) / n:>13.1f} {sum(signed[rule]) / n:>+11.1f} "
              f"{statistics.median(widths[rule]):>13.1f} {100 * inside[rule] / n:>8.1f}%")
    return 0


if __name__ == "__main__":
    sys.exit(main())
