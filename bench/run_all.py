"""Every figure of DESIGN section 12, measured through the real server (``make bench``).

In order: participant page weight; submissions at 50 and 400 clients next to a
trivial page, on SQLite and PostgreSQL, with worker memory after the load;
1,000 phones following a facilitator-paced workshop while 400 answer; live
results of one workshop with 10,000 responses; a series summary and the PDF
briefing over 100,000 responses in 20 workshops; two servers on one PostgreSQL
database. Prints each block as it is measured, then all figures with their
targets and the machine. Takes about ten minutes; not part of ``make test``.

Run: ``.venv/bin/python bench/run_all.py [--quick] [--database sqlite postgresql]``
(``--quick``: 5 s per load run, 20,000 responses in the series; for trying out).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import briefing_jobs  # noqa: E402
import paced  # noqa: E402
import page_weight  # noqa: E402
import results  # noqa: E402
import scaleout  # noqa: E402
import series  # noqa: E402
import submissions  # noqa: E402
from common import Figure, machine, print_figures  # noqa: E402


def main() -> None:
    """Measure everything and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--database", choices=["sqlite", "postgresql"], nargs="+",
                        default=["sqlite", "postgresql"])  # fmt: skip
    parts = ["page", "jobs", "submissions", "paced", "results", "series", "scaleout"]
    parser.add_argument("--skip", nargs="*", default=[], choices=parts)
    args = parser.parse_args()
    seconds = 5 if args.quick else 15
    responses = 20_000 if args.quick else 100_000
    started = time.perf_counter()
    about = machine()
    print(f"machine: {about}", flush=True)
    everything: list[Figure] = []

    def block(title: str, figures: list[Figure]) -> None:
        print_figures(title, figures)
        everything.extend(figures)

    if "page" not in args.skip:
        block("participant page", page_weight.run())
    if "jobs" not in args.skip:
        block("briefings in the background, sqlite", briefing_jobs.run())
    for database in args.database:
        if "submissions" not in args.skip:
            block(f"submissions, {database}", submissions.run(database, [50, 400], seconds))
        if "paced" not in args.skip:
            block(f"facilitator-paced mode, {database}", paced.run(database, 2 * seconds + 10))
        if "results" not in args.skip:
            block(f"live results, {database}", results.run(database))
        if "series" not in args.skip:
            block(f"series, {database}", series.run(database, responses))
    if "scaleout" not in args.skip and "postgresql" in args.database:
        block("scale-out", scaleout.run(2, seconds))
    print(f"\n== all figures with a target ({time.perf_counter() - started:.0f} s in all)")
    print(f"machine: {about}")
    for figure in everything:
        if figure.target:
            print(figure.line())
    missed = [f for f in everything if f.met is False]
    print(f"\n{len(missed)} target(s) missed" + (":" if missed else ""))
    for figure in missed:
        print(f"  {figure.name}: {figure.value:,.3g} {figure.unit} (target {figure.target})")


if __name__ == "__main__":
    main()
