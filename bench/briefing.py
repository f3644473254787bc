"""PDF briefing of a big series: 20 workshops, 100,000 responses (DESIGN section 12).

Generates the series by bulk inserts (``bench/generate.py``) into a fresh SQLite
database (or PostgreSQL with ``--database-url``), then times ``survey-app
briefing build --series`` as the code runs it (``get_briefing`` in a reading
transaction, as the command does):

- cold: the process's first build, the browser not started yet (the workshops'
  counts are not cached either);
- warm browser: new data (a new response) and no chart cached; the browser is warm;
- cached SVG: the PDF is rebuilt (template edited), the charts come from the cache;
- cached PDF: nothing changed, the PDF comes from the database.

The target is < 5 s with a warm browser. ``bench/series.py`` runs the same on the
data of its server. Run (about a minute in all):
``.venv/bin/python bench/briefing.py [--responses 100000] [--workshops 20]``.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from common import Figure, print_figures  # noqa: E402
from generate import generate_series  # noqa: E402
from sqlalchemy import delete  # noqa: E402

from survey_app import create_app  # noqa: E402
from survey_app.extensions import db  # noqa: E402
from survey_app.models import Briefing, Response, Workshop  # noqa: E402

#: The build steps printed (``BuiltBriefing.timings``).
STEPS = ("cache check", "summaries", "charts", "parts (rest)", "html", "pdf")


def timed_build(series_id: int, language: str) -> tuple[float, dict[str, float], Any]:
    """Build the series' briefing as the command does; return (seconds, steps, result)."""
    from flask import current_app

    from survey_app.briefing.build import BriefingOptions, get_briefing
    from survey_app.briefing.context import briefing_scope
    from survey_app.briefing.records import record_briefing
    from survey_app.database import read_transaction, write_transaction
    from survey_app.results import ResultSettings
    from survey_app.results.selection import select_workshops

    started = time.perf_counter()
    with read_transaction(db.session):
        scope = briefing_scope(select_workshops(db.session, series=series_id))
        settings = ResultSettings.for_selection(current_app.config, scope)
        built = get_briefing(db.session, scope, BriefingOptions(language), settings)
    if not built.cached:
        with write_transaction(db.session):
            record_briefing(db.session, built.record)
    pages = built.record.pages
    return time.perf_counter() - started, built.timings, (built, pages)


def forget_charts(instance: Path) -> None:
    """Empty the chart caches (in memory and on disk)."""
    import shutil

    from survey_app.briefing import charts

    charts._CACHES.clear()
    shutil.rmtree(instance / "svg-cache", ignore_errors=True)


def add_response(series_id: int) -> None:
    """Store one more response, so that every figure changes (new data version)."""
    workshop = db.session.query(Workshop).filter_by(series_id=series_id).first()
    assert workshop is not None
    db.session.add(Response(workshop_id=workshop.id, submission_id=str(uuid.uuid4()),
                            language="de", consented=True, answers_hash="0" * 64))  # fmt: skip
    db.session.commit()


def measure_briefing(app: Any, series_id: int, label: str, language: str = "de") -> list[Figure]:
    """Build the series' briefing four times (see the module); return the figures."""
    instance = Path(app.instance_path)
    results = []
    with app.app_context():
        forget_charts(instance)
        results.append(("cold (browser starts)", *timed_build(series_id, language)))
        add_response(series_id)  # new data: the PDF is rebuilt
        forget_charts(instance)  # and, as if every figure had changed, so are the charts
        results.append(("warm browser, new figures", *timed_build(series_id, language)))
        db.session.execute(delete(Briefing))  # as if the template had been edited
        db.session.commit()
        results.append(("charts from the SVG cache", *timed_build(series_id, language)))
        results.append(("nothing changed, PDF from the database",
                        *timed_build(series_id, language)))  # fmt: skip
    built, pages = results[1][3]
    figures = []
    for name, total, steps, _ in results:
        detail = ", ".join(f"{step} {steps[step]:.2f}" for step in STEPS if step in steps)
        warm = name.startswith("warm")
        figures.append(Figure(f"briefing, {label}: {name}", total, "s",
                              "< 5 s" if warm else "", total < 5 if warm else None))  # fmt: skip
        if detail:
            print(f"  briefing {name}: {detail}", flush=True)
    figures.append(Figure(f"briefing, {label}: pages / charts", pages,
                          f"/{built.charts.drawn + built.charts.cached}"))  # fmt: skip
    return figures


def main() -> None:
    """Generate a series into a fresh database and measure its briefing."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--responses", type=int, default=100_000)
    parser.add_argument("--workshops", type=int, default=20)
    parser.add_argument("--lang", default="de")
    parser.add_argument("--database-url", default=None, help="default: SQLite in a temp dir")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-briefing-"))
    url = args.database_url or f"sqlite:///{folder / 'bench.sqlite3'}"
    config = {
        "SQLALCHEMY_DATABASE_URI": url,
        "INSTANCE_PATH": str(folder),
        "SECRET_KEY": "bench",
        "INSTRUMENTS_PATH": str(ROOT / "instruments"),
    }
    app = create_app(config)
    from survey_app.migrate import upgrade_database

    with app.app_context():
        upgrade_database()
        made = generate_series(args.responses, args.workshops, open_workshops=0)
    print(f"generated {made.responses:,} responses, {made.answers:,} answer rows "
          f"in {args.workshops} workshops: {made.seconds:.1f} s", flush=True)  # fmt: skip
    label = f"{made.responses:,} responses in {args.workshops} workshops"
    print_figures("briefing", measure_briefing(app, made.series_id, label, args.lang))


if __name__ == "__main__":
    main()
