"""The whole of DfE's LAIT building data set through `lapis import_lait`, against DuckDB
reading the same parquet file (issue 13).

    .venv/bin/pip install duckdb          # the reference (bench extra)
    .venv/bin/python bench/lait.py [--data ../shared/data/dfe-lait]

1. LAPIS: `lapis import_lait bds_long_0.parquet --dictionary lait_data_dictionary.csv` into a
   fresh SQLite database in a temporary folder (migrated first, not timed): reading the
   parquet with pyarrow, checking every row, writing 434 indicators and 640,900 figures with
   their history. Then the same import again (every figure compared, nothing written).
2. DuckDB: the same file read into a table with the values cast to numbers (`TRY_CAST`), the
   least a loader can do; then LAIT's quartile boundaries (`quantile_cont`, which is R's type 7)
   for every measure with a direction over all LAs in its latest period.
3. Checks that LAPIS's boundaries (`scorecard.rules.quartiles` over the figures it stored)
   equal DuckDB's for every such measure, and prints the mismatches.
Reports the times and the ratio (LAPIS import / DuckDB load). Not a test: it asserts no time.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data" /
                        "dfe-lait")
    args = parser.parse_args()
    bds, dictionary = args.data / "bds_long_0.parquet", args.data / "lait_data_dictionary.csv"
    if not bds.is_file():
        print(f"skipped: {bds} is not here (LAIT's file is never committed)")
        return 0
    import duckdb

    folder = tempfile.mkdtemp(prefix="lait-bench-")
    os.environ["LAPIS_DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
    os.environ.setdefault("LAPIS_DEBUG", "true")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lapis.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from lapis.scorecard import rules
    from lapis.scorecard.models import Area, Indicator, Observation

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    call_command("import_lait", str(bds), "--dictionary", str(dictionary))
    ours = time.perf_counter() - started
    started = time.perf_counter()
    call_command("import_lait", str(bds), "--dictionary", str(dictionary))
    again = time.perf_counter() - started

    con = duckdb.connect()
    started = time.perf_counter()
    con.execute(f"""CREATE TABLE bds AS SELECT "Short Desc" AS measure, "Years" AS period,
        CAST("LA Number" AS INTEGER) AS la, TRY_CAST("Values" AS DOUBLE) AS value
        FROM read_parquet('{bds}')""")
    load = time.perf_counter() - started
    rows = con.execute("SELECT count(*) FROM bds").fetchone()[0]
    directed = dict(Indicator.objects.exclude(polarity="neither").exclude(year_type="")
                    .values_list("key", "pk"))
    started = time.perf_counter()
    reference = con.execute("""
        WITH las AS (SELECT * FROM bds WHERE la NOT IN (970, 980, 981, 982, 983, 984, 985,
                     986, 987, 988, 989, 990) AND period <> '0'),
        latest AS (SELECT measure, arg_max(period, CAST(left(period, 4) AS INTEGER)) AS period
                   FROM las GROUP BY measure)
        SELECT measure, quantile_cont(value, [0.25, 0.5, 0.75])
        FROM las JOIN latest USING (measure, period)
        WHERE value IS NOT NULL GROUP BY measure""").fetchall()
    query = time.perf_counter() - started

    la_ids = set(Area.objects.filter(level="la").values_list("pk", flat=True))
    mismatches, compared = [], 0
    for measure, bounds in reference:
        if measure not in directed:
            continue
        figures = list(Observation.objects.filter(indicator_id=directed[measure])
                       .values_list("period", "period_start", "area_id", "value"))
        latest = max(figures, key=lambda f: f[1])[1]
        ours_bounds = rules.quartiles(v for _, start, area, v in figures
                                      if start == latest and area in la_ids)
        compared += 1
        if ours_bounds is None or any(abs(a - b) > 1e-9 * max(1, abs(b))
                                      for a, b in zip(ours_bounds, bounds, strict=True)):
            mismatches.append((measure, ours_bounds, bounds))
    for mismatch in mismatches[:20]:
        print("mismatch", *mismatch)
    print(f"LAIT building data set: {rows:,} rows, {Observation.objects.count():,} figures "
          f"stored, {Indicator.objects.count()} indicators")
    print(f"lapis import_lait: {ours:.1f} s (again, nothing changed: {again:.1f} s)")
    print(f"DuckDB load: {load:.2f} s; quartiles of {len(reference)} measures: {query:.2f} s")
    print(f"ratio (import / DuckDB load): {ours / load:.0f}x")
    print(f"quartile boundaries compared for {compared} measures with a direction: "
          f"{len(mismatches)} mismatches")
    return 1 if mismatches else 0


if __name__ == "__main__":
    sys.exit(main())
