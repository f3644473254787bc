"""PDF briefing of a big series: 20 workshops, 100,000 responses (DESIGN section 12).

Generates the series by bulk inserts into a fresh SQLite database (or PostgreSQL
with ``--database-url``): a few thousand questionnaires are simulated with
``survey_app.demo.simulated_form`` and read with ``read_answers``; each stored
response then takes one of them with the answers to a few questions swapped in
from others (new combinations, realistic rows), spread unevenly over the
workshops. Then it times ``survey-app briefing build --series`` as the code runs
it (``get_briefing``):

- cold: the process's first build, the browser not started yet;
- warm browser: new data (a new response) and no chart cached; the browser is warm;
- cached SVG: the PDF is rebuilt (template edited), the charts come from the cache;
- cached PDF: nothing changed, the PDF comes from the database.

The target is < 5 s with a warm browser. Run (about a minute in all):
``.venv/bin/python bench/briefing.py [--responses 100000] [--workshops 20]``.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
import uuid
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import delete, insert  # noqa: E402

from survey_app import create_app  # noqa: E402
from survey_app.demo import simulated_form  # noqa: E402
from survey_app.extensions import db  # noqa: E402
from survey_app.instruments.store import instrument_of, store_instrument_file  # noqa: E402
from survey_app.models import Answer, Briefing, Response, Series, Workshop  # noqa: E402
from survey_app.participate.answers import read_answers  # noqa: E402

INSTRUMENT = ROOT / "instruments" / "needs-expectations.yaml"
#: Distinct simulated questionnaires the responses are made of.
SAMPLES = 3000
#: Questions per response whose answers come from another sample.
SWAPS = 3
#: Rows per INSERT batch.
BATCH = 20000


def generate(responses: int, workshops: int, seed: int = 2026) -> tuple[int, int, float]:
    """Create the series; return (series id, answer rows, seconds)."""
    started = time.perf_counter()
    rng = random.Random(seed)
    snapshot, _ = store_instrument_file(str(INSTRUMENT))
    instrument = instrument_of(snapshot)
    series = Series(slug="bench", title="Benchmark: 20 workshops, 100,000 responses")
    db.session.add(series)
    db.session.flush()
    first_day = date(2026, 3, 1)
    created = []
    for index in range(workshops):
        workshop = Workshop(
            series_id=series.id, instrument_version_id=snapshot.id,
            title=f"Workshop {index + 1}", municipality=f"Stadt {index + 1}",
            date=first_day + timedelta(days=7 * index), join_code=f"B{index:05d}"[:6],
        )  # fmt: skip
        db.session.add(workshop)
        created.append(workshop)
    db.session.flush()
    samples = []
    languages = list(instrument.languages)
    for _ in range(SAMPLES):
        language = rng.choices(languages, weights=[70, 8, 12, 10][: len(languages)])[0]
        rows = read_answers(instrument, simulated_form(instrument, language, rng)).rows
        by_question: dict[str, list[Any]] = {}
        for row in rows:
            by_question.setdefault(row.question_key, []).append(row)
        samples.append((language, by_question))
    keys = [q.key for q in instrument.questions()]
    weights = [rng.uniform(0.3, 3.0) for _ in created]
    ids = [w.id for w in created]
    response_rows: list[dict[str, Any]] = []
    answer_rows: list[dict[str, Any]] = []
    answers = 0
    connection = db.session.connection()
    moment = datetime(2026, 3, 1, 10, 0)
    for response_id in range(1, responses + 1):
        workshop_id = rng.choices(ids, weights)[0]
        language, base = samples[rng.randrange(SAMPLES)]
        chosen = dict(base)
        for key in rng.sample(keys, SWAPS):
            other = samples[rng.randrange(SAMPLES)][1]
            chosen.pop(key, None)
            if key in other:
                chosen[key] = other[key]
        response_rows.append({
            "id": response_id, "workshop_id": workshop_id, "submission_id": str(uuid.uuid4()),
            "language": language, "submitted_at": moment + timedelta(minutes=response_id % 90),
            "consented": True, "answers_hash": f"{response_id:064x}", "revision": 0,
        })  # fmt: skip
        for rows in chosen.values():
            for row in rows:
                answer_rows.append({
                    "response_id": response_id, "workshop_id": workshop_id,
                    "question_key": row.question_key, "item_key": row.item_key,
                    "option_key": row.option_key, "value_num": row.value_num,
                    "value_text": row.value_text,
                })  # fmt: skip
        if len(answer_rows) >= BATCH:
            answers += _flush(connection, response_rows, answer_rows)
    answers += _flush(connection, response_rows, answer_rows)
    db.session.commit()
    return series.id, answers, time.perf_counter() - started


def _flush(connection: Any, responses: list[dict[str, Any]], answers: list[dict[str, Any]]) -> int:
    count = len(answers)
    if responses:
        connection.execute(insert(Response.__table__), responses)
    if answers:
        connection.execute(insert(Answer.__table__), answers)
    responses.clear()
    answers.clear()
    return count


def timed_build(series_id: int, language: str) -> tuple[float, dict[str, float], Any]:
    """Build the series' briefing as the command does; return (seconds, steps, result)."""
    from survey_app.briefing.build import BriefingOptions, get_briefing
    from survey_app.briefing.context import series_scope
    from survey_app.briefing.records import record_briefing

    started = time.perf_counter()
    series = db.session.get(Series, series_id)
    built = get_briefing(db.session, series_scope(db.session, series), BriefingOptions(language))
    if not built.cached:
        db.session.rollback()
        record_briefing(db.session, built.record)
    pages = built.record.pages
    db.session.commit()
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--responses", type=int, default=100_000)
    parser.add_argument("--workshops", type=int, default=20)
    parser.add_argument("--lang", default="de")
    parser.add_argument("--database-url", default=None, help="default: SQLite in a temp dir")
    parser.add_argument("--keep", action="store_true", help="write the PDF to ./briefing-bench.pdf")
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
        series_id, answers, seconds = generate(args.responses, args.workshops)
        print(f"generated {args.responses:,} responses, {answers:,} answer rows "
              f"in {args.workshops} workshops: {seconds:.1f} s", flush=True)  # fmt: skip
        results = []
        total, steps, built = timed_build(series_id, args.lang)
        results.append(("cold (browser starts)", total, steps, built))
        add_response(series_id)  # new data: the PDF is rebuilt
        forget_charts(folder)  # and, as if every figure had changed, so are the charts
        total, steps, built = timed_build(series_id, args.lang)
        results.append(("warm browser, new figures", total, steps, built))
        db.session.execute(delete(Briefing))  # as if the template had been edited
        db.session.commit()
        total, steps, built = timed_build(series_id, args.lang)
        results.append(("cached SVGs", total, steps, built))
        total, steps, built = timed_build(series_id, args.lang)
        results.append(("cached PDF", total, steps, built))
        if args.keep:
            Path("briefing-bench.pdf").write_bytes(built[0].pdf)
    warm_build, pages = results[1][3]
    drawn = warm_build.charts.drawn + warm_build.charts.cached
    print(
        f"\nbriefing of the series: {pages} pages, {len(warm_build.pdf) // 1024} KB, "
        f"{drawn} charts, {args.lang}"
    )
    columns = ("cache check", "summaries", "charts", "parts (rest)", "html", "pdf")
    print(f"{'case':<28}{'total':>8}" + "".join(f"{c:>13}" for c in columns))
    for name, total, steps, _ in results:
        cells = "".join(f"{steps[c]:>12.2f}s" if c in steps else f"{'-':>13}" for c in columns)
        print(f"{name:<28}{total:>7.2f}s{cells}")
    warm = results[1][1]
    print(f"\ntarget: < 5 s with a warm browser -> {'met' if warm < 5 else 'NOT met'} "
          f"({warm:.2f} s)")  # fmt: skip


if __name__ == "__main__":
    main()
