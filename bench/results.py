"""Live results of one workshop with 10,000 responses, through the real server.

Starts ``survey-app serve`` on a fresh database, puts 10,000 generated responses
into one workshop (``bench/generate.py``) and asks ``/workshops/<id>/results.json``
as the live dashboard does (an admin's API token):

- cold: the first request (the workshop's counts are not cached yet);
- warm: the same data again without ``If-None-Match`` (another browser);
- one new response: a response is stored, then the dashboard asks (the usual case
  during a workshop: new responses are counted and added to the cached part);
- unchanged: ``If-None-Match`` with the last ETag (``304``).

With ``--no-cache`` the server runs with ``SURVEY_SUMMARY_CACHE=0`` (every request
counts all answers, as before the cache). Targets: < 50 ms, 304 < 5 ms.
Run: ``.venv/bin/python bench/results.py [--database sqlite postgresql] [--no-cache]``.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import Figure, admin_token, print_figures, rss_mib, server_app, timed_get  # noqa: E402
from generate import generate_series  # noqa: E402

from tests.support.live_server import live_server  # noqa: E402

RESPONSES = 10_000
REPEAT = 15


def add_response(app, workshop_id: int) -> None:  # type: ignore[no-untyped-def]
    """Store one plausible response in the workshop, as a submission would."""
    from survey_app.extensions import db
    from survey_app.models import Answer, Response

    with app.app_context():
        response = Response(workshop_id=workshop_id, submission_id=str(uuid.uuid4()),
                            language="de", consented=True, answers_hash="0" * 64)  # fmt: skip
        db.session.add(response)
        db.session.flush()
        db.session.add(Answer(response_id=response.id, workshop_id=workshop_id,
                              question_key="org_type", option_key="culture"))  # fmt: skip
        db.session.commit()


def run(database: str, cache: bool = True, responses: int = RESPONSES) -> list[Figure]:
    """Measure results.json of one big workshop; return the figures."""
    label = f"results.json, {database}, {responses:,} responses" + ("" if cache else ", no cache")
    extra = {} if cache else {"SURVEY_SUMMARY_CACHE": "0"}
    with live_server(database, workers=2, extra_env=extra) as server:
        app = server_app(server)
        with app.app_context():
            made = generate_series(responses, workshops=1, slug="live")
        workshop_id = made.workshop_ids[0]
        auth = {"Authorization": f"Bearer {admin_token(app)}"}
        path = f"/workshops/{workshop_id}/results.json?lang=de"
        cold, status, headers, body = timed_get(server, path, auth)
        assert status == 200, (status, body[:300])
        warm = [timed_get(server, path, auth)[0] for _ in range(REPEAT)]
        changed = []
        for _ in range(REPEAT):
            add_response(app, workshop_id)
            changed.append(timed_get(server, path, auth)[0])
        etag = timed_get(server, path, auth)[2]["ETag"]
        unchanged = []
        for _ in range(REPEAT * 3):
            elapsed, status, _, _ = timed_get(server, path, {**auth, "If-None-Match": etag})
            assert status == 304, status
            unchanged.append(elapsed)
        sizes = rss_mib(server.worker_pids())
        instance = server.instance
    shutil.rmtree(instance, ignore_errors=True)
    median = statistics.median
    return [
        Figure(f"{label}: cold (nothing cached)", cold, "ms"),
        Figure(f"{label}: warm (median)", median(warm), "ms", "< 50 ms", median(warm) < 50),
        Figure(f"{label}: one new response each time (median)", median(changed), "ms",
               "< 50 ms", median(changed) < 50),  # fmt: skip
        Figure(f"{label}: unchanged, 304 (median)", median(unchanged), "ms", "< 5 ms",
               median(unchanged) < 5),  # fmt: skip
        Figure(f"{label}: body size", len(body) / 1024, "KiB"),
        Figure(f"{label}: worker RSS (max)", max(sizes), "MiB"),
    ]


def main() -> None:
    """Measure and print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=["sqlite", "postgresql"], nargs="+",
                        default=["sqlite", "postgresql"])  # fmt: skip
    parser.add_argument("--responses", type=int, default=RESPONSES)
    parser.add_argument("--no-cache", action="store_true")
    args = parser.parse_args()
    for database in args.database:
        figures = run(database, cache=not args.no_cache, responses=args.responses)
        print_figures(f"live results, {database}", figures)


if __name__ == "__main__":
    main()
