"""A series of 20 workshops with 100,000 responses: its summary and its PDF briefing.

Starts ``survey-app serve`` on a fresh database, generates the series by bulk
inserts (``bench/generate.py``), then:

- series summary through the server (``GET /api/v1/series/<id>/summary``, an
  admin's API token): cold (no workshop's counts cached), warm, and after one new
  response (the usual case while a workshop runs); and, in this process with the
  cache switched off, the summary counted from all answer rows (as before the
  cache) for comparison;
- the briefing, in this process as ``survey-app briefing build --series`` runs
  it (``bench/briefing.py``): cold browser, warm browser with new data, cached
  charts, cached PDF.

Targets: summary < 500 ms, briefing < 5 s with a warm browser.
Run: ``.venv/bin/python bench/series.py [--database sqlite postgresql]
[--responses 100000] [--workshops 20] [--no-briefing]``.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from briefing import measure_briefing  # noqa: E402
from common import Figure, admin_token, print_figures, rss_mib, server_app, timed_get  # noqa: E402
from generate import generate_series  # noqa: E402
from results import add_response  # noqa: E402
from sqlalchemy import func, select  # noqa: E402

from survey_app.extensions import db  # noqa: E402
from survey_app.models import Response  # noqa: E402
from tests.support.live_server import live_server  # noqa: E402

REPEAT = 7


def uncached_summary_seconds(app, series_id: int) -> float:  # type: ignore[no-untyped-def]
    """Time one series summary counted from every answer row (cache off), in process."""
    from survey_app.database import read_transaction
    from survey_app.extensions import db
    from survey_app.results import ResultSettings
    from survey_app.results.scoped import summarize_selection
    from survey_app.results.selection import select_workshops

    settings = ResultSettings(app.config["MIN_GROUP_SIZE"], cache=False)
    with app.app_context(), read_transaction(db.session):
        started = time.perf_counter()
        summarize_selection(select_workshops(db.session, series=series_id), settings)
        return time.perf_counter() - started


def run(
    database: str, responses: int = 100_000, workshops: int = 20, briefing: bool = True
) -> list[Figure]:
    """Generate the series on ``database`` and measure; return the figures."""
    label = f"{database}, {responses:,} responses in {workshops} workshops"
    figures = []
    with live_server(database, workers=2) as server:
        app = server_app(server)
        with app.app_context():
            # the program so far: every workshop closed (published) but the last, live one
            made = generate_series(responses, workshops, open_workshops=1)
            live = made.workshop_ids[-1]
            published = db.session.scalar(
                select(func.count(Response.id)).where(Response.workshop_id != live)
            )
        figures.append(Figure(f"generate {label} ({made.answers:,} answer rows)",
                              made.seconds, "s", "< 60 s", made.seconds < 60))  # fmt: skip
        auth = {"Authorization": f"Bearer {admin_token(app)}"}
        path = f"/api/v1/series/{made.series_id}/summary"
        cold, status, _, body = timed_get(server, path, auth)
        assert status == 200, (status, body[:300])
        assert json.loads(body)["n_responses"] == published
        warm = [timed_get(server, path, auth)[0] for _ in range(REPEAT)]
        changed = []
        for _ in range(REPEAT):
            add_response(app, live)  # arrives in the open workshop: published results wait
            changed.append(timed_get(server, path, auth)[0])
        sizes = rss_mib(server.worker_pids())
        uncached = uncached_summary_seconds(app, made.series_id) * 1000
        median = statistics.median
        figures += [
            Figure(f"series summary, {label}: cold (nothing cached)", cold, "ms"),
            Figure(f"series summary, {label}: warm (median)", median(warm), "ms", "< 500 ms",
                   median(warm) < 500),  # fmt: skip
            Figure(f"series summary, {label}: one new response each time (median)",
                   median(changed), "ms", "< 500 ms", median(changed) < 500),  # fmt: skip
            Figure(f"series summary, {label}: all answer rows, no cache", uncached, "ms"),
            Figure(f"series summary, {label}: worker RSS after (max)", max(sizes), "MiB",
                   "< 200 MB", max(sizes) < 200 * 1e6 / 2**20),  # fmt: skip
        ]
        if briefing:
            figures += measure_briefing(app, made.series_id, label)
        instance = server.instance
    shutil.rmtree(instance, ignore_errors=True)  # the SQLite file alone is 350 MB
    return figures


def main() -> None:
    """Measure and print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=["sqlite", "postgresql"], nargs="+",
                        default=["sqlite", "postgresql"])  # fmt: skip
    parser.add_argument("--responses", type=int, default=100_000)
    parser.add_argument("--workshops", type=int, default=20)
    parser.add_argument("--no-briefing", action="store_true")
    args = parser.parse_args()
    for database in args.database:
        figures = run(database, args.responses, args.workshops, not args.no_briefing)
        print_figures(f"series, {database}", figures)


if __name__ == "__main__":
    main()
