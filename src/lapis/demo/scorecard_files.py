"""Demo data for the scorecard, typed in from the source documents (the project's seed texts).

Every figure is typed exactly as the document prints it (a printed ``%`` sign dropped); nothing
is estimated. The files, in `data/scorecard/`, all UTF-8 CSV without a byte-order mark:

``indicators.csv`` (``INDICATORS_CSV``)
    The catalogue: ``key,name,unit,polarity,definition,source``. ``unit`` is one of ``UNITS``,
    ``polarity`` one of ``POLARITIES``. Every ``indicator`` in the other files is a key here.

``plymouth_sef_2024.csv`` (``PLYMOUTH_OBSERVATIONS_CSV``), in the long layout ``LONG_HEADER``
    Plymouth SEF (seed 004): the EYFSP, phonics, KS2, KS4 and KS5 tables (Plymouth and National
    for each cohort All / SEN Support / EHCP, every year printed), primary need prevalence
    (Plymouth and National), the EHCP and SEN Support "inclusion" lists, the headline counts
    and the 6-week decision figures. Rules of the layout:

    - ``period``: an academic year ``2022/23``, a calendar year ``2024`` or a month
      ``2024-04``. The SEF heads its attainment columns 2022, 2023, 2024: those are results
      published for the academic year ending that summer, typed as 2021/22, 2022/23, 2023/24.
    - ``area_code``: an LA's old three-digit code, ``E92000001`` for England (the SEF's
      "National") or ``SN-810`` for Hull's statistical-neighbour average; see ``AREAS``.
    - ``breakdown``: the cohort, one of ``BREAKDOWNS``; ``All`` where the figure has none.
    - ``value``: the printed number; ``numerator`` and ``denominator`` blank when not printed.
    - The SEF's GAP rows are not observations: they are in ``plymouth_printed_gaps.csv``.

``plymouth_printed_gaps.csv`` (``PLYMOUTH_PRINTED_GAPS_CSV``)
    ``indicator,period,breakdown,printed_gap``: the 99 GAP cells of the Plymouth SEF
    (Plymouth minus National), kept to check the gaps the project computes. The SEF worked
    from unrounded figures, so 14 printed gaps differ by 0.1 from the printed values' difference.

``plymouth_a_level_grades.csv`` (``PLYMOUTH_A_LEVEL_GRADES_CSV``)
    The KS5 "Average A level grade" row, which prints grades (``B-``, ``C+``), not numbers:
    ``indicator,period,area_code,area_name,breakdown,grade,source``.

``hull_sef_2023_24_outcomes.csv`` (``HULL_OUTCOMES_CSV``)
    Hull SEF 2023-24 (seed 000), section 4 outcomes table. It prints positions, not values
    ("Quartile A", "Below NA, SN", "Increased"), and no period, so it has its own layout
    ``HULL_OUTCOMES_HEADER``: one row per indicator and cohort (and phase, where the SEF names
    "pri and sec"), with ``quartile`` (A-D), ``vs_national`` and ``vs_statistical_neighbours``
    (``above`` / ``below``), ``trend`` (``increased``), each blank where not printed, and the
    printed measure and result kept verbatim.

``targets.csv`` (``TARGETS_CSV``)
    ``indicator,area_code,breakdown,baseline_value,baseline_date,target_value,target_date,
    milestones,source``; dates ISO ``YYYY-MM-DD``, a month-precision date taken as the last day
    of its month; ``milestones`` as ``YYYY-MM-DD:value;...``, blank if none. Where a document
    prints no date, ``source`` says which date was taken and why.
"""

from pathlib import Path

DEMO_DIR = Path(__file__).resolve().with_name("data") / "scorecard"

INDICATORS_CSV = DEMO_DIR / "indicators.csv"
PLYMOUTH_OBSERVATIONS_CSV = DEMO_DIR / "plymouth_sef_2024.csv"
PLYMOUTH_PRINTED_GAPS_CSV = DEMO_DIR / "plymouth_printed_gaps.csv"
PLYMOUTH_A_LEVEL_GRADES_CSV = DEMO_DIR / "plymouth_a_level_grades.csv"
HULL_OUTCOMES_CSV = DEMO_DIR / "hull_sef_2023_24_outcomes.csv"
TARGETS_CSV = DEMO_DIR / "targets.csv"

# The files in the long layout, ready for `lapis import_indicators`.
OBSERVATION_FILES = (PLYMOUTH_OBSERVATIONS_CSV,)

INDICATORS_HEADER = ("key", "name", "unit", "polarity", "definition", "source")
LONG_HEADER = (
    "indicator", "period", "area_code", "area_name", "breakdown",
    "value", "numerator", "denominator", "source",
)
PRINTED_GAPS_HEADER = ("indicator", "period", "breakdown", "printed_gap")
A_LEVEL_GRADES_HEADER = (
    "indicator", "period", "area_code", "area_name", "breakdown", "grade", "source",
)
HULL_OUTCOMES_HEADER = (
    "indicator", "area_code", "area_name", "breakdown", "phase", "quartile",
    "vs_national", "vs_statistical_neighbours", "trend", "printed_measure", "printed_result",
    "source",
)
TARGETS_HEADER = (
    "indicator", "area_code", "breakdown", "baseline_value", "baseline_date",
    "target_value", "target_date", "milestones", "source",
)

UNITS = ("%", "count", "rate", "weeks", "score", "grade")
POLARITIES = ("higher", "lower", "neither")
BREAKDOWNS = ("All", "SEN Support", "EHCP")

# Every area code the demo files use, with the name they give it. LA codes and names are
# from DfE's LA code list (la_code_list.xlsx, May 2025).
AREAS = {
    "879": "Plymouth",
    "810": "Kingston Upon Hull, City of",
    "204": "Hackney",
    "E92000001": "England",
    "SN-810": "Kingston Upon Hull, City of: statistical neighbours",
}
