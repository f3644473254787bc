"""Small-group protection of a 20-workshop series of 100,000 responses: how long deciding takes.

Generates the series in a fresh SQLite database (``bench/generate.py``), then in this
process, with the summary cache warm:

- the linked table: every workshop, the series, each breakdown group of each (cells);
- deciding protection from it (``disclosure.protect``: linear programming, HiGHS);
- a workshop summary with the decision cached (what every page does), against the
  same summary left unprotected (the raw engine), as a ratio within this run;
- the dashboard's unchanged check (304 path): the data version statement only; the
  decision is never consulted there, so its figure is the same with or without it;
- another server's first summary of a version recorded by the first: the table is
  built, the recorded statuses taken (no decision);
- versions over time: the series published with all but the last workshop closed
  (recorded), then with all of them: deciding the later version with the earlier one
  in view (``results.releases``) against deciding it alone, as a ratio.

Run: ``.venv/bin/python bench/protection.py [--responses 100000] [--workshops 20]
[--decide-only]``. ``--decide-only`` stops after deciding (small series of many tiny
workshops: ``--responses 100 --workshops 20``), printing what it measured so far.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from generate import generate_series  # noqa: E402

REPEAT = 7


def _median_ms(action, repeat: int = REPEAT) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--responses", type=int, default=100_000)
    parser.add_argument("--workshops", type=int, default=20)
    parser.add_argument("--decide-only", action="store_true", help="stop after deciding")
    args = parser.parse_args()
    from survey_app import create_app
    from survey_app.disclosure import Status, protect
    from survey_app.extensions import db
    from survey_app.migrate import upgrade_database
    from survey_app.results import ResultSettings, Scope
    from survey_app.results.linked import linked_cells
    from survey_app.results.protection import clear_cache, decision_for
    from survey_app.results.published import summarize_scope
    from survey_app.results.releases import Version
    from survey_app.results.scoped import data_version
    from survey_app.results.selection import select_workshops
    from survey_app.results.summary import raw_scope_summary

    folder = Path(tempfile.mkdtemp(prefix="survey-bench-"))
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'bench.db'}",
            "INSTANCE_PATH": str(folder),
        }
    )
    with app.app_context():
        upgrade_database()
        # published results cover closed workshops: all closed, as after the events
        made = generate_series(args.responses, args.workshops, open_workshops=0)
        selection = select_workshops(db.session, series=made.series_id)
        instrument = selection.instrument
        settings = ResultSettings.published(app.config, selection.series)
        first = Scope.workshop(made.workshop_ids[0])
        raw_scope_summary(instrument, first, db.session, settings)  # warm the parts
        started = time.perf_counter()
        table = linked_cells(instrument, made.workshop_ids, db.session, settings)
        built = time.perf_counter() - started
        started = time.perf_counter()
        decision = protect(table.cells, settings.min_group_size)
        decided = time.perf_counter() - started
        counts = {status: decision.count(status) for status in Status}
        if args.decide_only:
            _print_decision(made, table, counts, built, decided)
            print(
                f"requirements no pattern meets (public totals settle them): {len(decision.unmet)}"
            )
            return
        # versions over time: the earlier version (all but the last closed), recorded
        earlier_ids = made.workshop_ids[:-1]
        k = settings.min_group_size
        started = time.perf_counter()
        decision_for(instrument, earlier_ids, db.session, settings, k, fresh=True)
        db.session.commit()
        earlier_s = time.perf_counter() - started
        later = linked_cells(instrument, made.workshop_ids, db.session, settings)
        version = Version.of(db.session, made.series_id, made.workshop_ids, k, instrument)
        started = time.perf_counter()
        version.apply(db.session, later)
        applied = time.perf_counter() - started
        started = time.perf_counter()
        with_history = protect(later.cells, k)
        decided_history = time.perf_counter() - started
        summarize_scope(instrument, first, settings)  # decides once more (recorded), cached
        db.session.commit()
        protected_ms = _median_ms(lambda: summarize_scope(instrument, first, settings))
        clear_cache()  # another server: takes the recorded version, builds the table only
        started = time.perf_counter()
        summarize_scope(instrument, first, settings)
        cold = time.perf_counter() - started
        raw_ms = _median_ms(lambda: raw_scope_summary(instrument, first, db.session, settings))
        version_ms = _median_ms(lambda: data_version([made.workshop_ids[0]]), 21)
    _print_decision(made, table, counts, built, decided)
    print(
        f"workshop summary, decision cached: {protected_ms:.0f} ms; unprotected: {raw_ms:.0f} ms "
        f"(x {protected_ms / raw_ms:.2f})"
    )
    print(f"304 path's data version statement: {version_ms:.2f} ms (protection not consulted)")
    print(f"first summary of another server (the version recorded): {cold:.1f} s")
    print(
        f"versions over time: {len(earlier_ids)} workshops decided and recorded in "
        f"{earlier_s:.1f} s; then all {len(made.workshop_ids)} with it in view: "
        f"{len(later.cells) - len(table.cells):,} cells added in {applied:.1f} s, decided in "
        f"{decided_history:.1f} s (x {decided_history / decided:.2f} of deciding alone); "
        f"protects {with_history.count(Status.PROTECTS):,} "
        f"(alone {decision.count(Status.PROTECTS):,})"
    )


def _print_decision(made, table, counts, built: float, decided: float) -> None:
    print(f"\n== protection: {made.responses:,} responses, {len(made.workshop_ids)} workshops")
    print(f"cells in the linked set: {len(table.cells):,} ({len(table.parts)} parts)")
    print("statuses: " + ", ".join(f"{status.value} {count:,}" for status, count in counts.items()))
    print(f"building the linked table: {built:.1f} s")
    print(f"deciding protection: {decided:.1f} s")


if __name__ == "__main__":
    main()
