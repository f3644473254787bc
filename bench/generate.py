"""Large, realistic data sets by bulk inserts (no HTTP): a series of workshops and responses.

A few thousand questionnaires are simulated with ``survey_app.demo.simulated_form``
and read with ``read_answers`` (so rows are exactly what the form would store); each
generated response takes one of them with the answers to a few questions swapped in
from others (new combinations), spread unevenly over the workshops. Rows go in with
``COPY`` on PostgreSQL and ``executemany`` on SQLite, in one transaction.

As a function: ``generate_series(responses=100_000, workshops=20)`` inside an app
context. As a command (a fresh or existing database; ``survey-app init`` first):
``.venv/bin/python bench/generate.py --responses 100000 --workshops 20``
with ``SURVEY_DATABASE_URL`` / ``SURVEY_INSTANCE_PATH`` set as for ``survey-app``.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import func, select, text  # noqa: E402

from survey_app.demo import simulated_form  # noqa: E402
from survey_app.extensions import db  # noqa: E402
from survey_app.instruments.store import instrument_of, store_instrument_file  # noqa: E402
from survey_app.models import Answer, Response, Series, Workshop, WorkshopState  # noqa: E402
from survey_app.responses.answers import read_answers  # noqa: E402

INSTRUMENT = ROOT / "instruments" / "needs-expectations.yaml"
#: Distinct simulated questionnaires the responses are made of.
SAMPLES = 2000
#: Questions per response whose answers come from another sample.
SWAPS = 3
RESPONSE_COLUMNS = (
    "id", "workshop_id", "submission_id", "language", "submitted_at",
    "consented", "answers_hash", "revision",
)  # fmt: skip
ANSWER_COLUMNS = (
    "response_id", "workshop_id", "question_key", "item_key", "option_key",
    "value_num", "value_text",
)  # fmt: skip


@dataclass
class Generated:
    """What ``generate_series`` made."""

    series_id: int
    workshop_ids: list[int]
    responses: int
    answers: int
    seconds: float


def generate_series(
    responses: int = 100_000,
    workshops: int = 20,
    seed: int = 2026,
    slug: str = "bench",
    weights: list[float] | None = None,
    open_workshops: int | None = None,
) -> Generated:
    """Create a series of workshops holding ``responses`` responses; commit.

    ``open_workshops``: how many of them (the last ones) stay open; the others are
    closed, as after their events (published results cover closed workshops only).
    None: all open.
    """
    started = time.perf_counter()
    rng = random.Random(seed)
    snapshot, _ = store_instrument_file(str(INSTRUMENT))
    instrument = instrument_of(snapshot)
    series = Series(slug=slug, title=f"Benchmark: {workshops} workshops, {responses:,} responses")
    db.session.add(series)
    db.session.flush()
    created = []
    for index in range(workshops):
        workshop = Workshop(
            series_id=series.id, instrument_version_id=snapshot.id,
            title=f"Workshop {index + 1}", municipality=f"Stadt {index + 1}",
            date=date(2026, 3, 1) + timedelta(days=7 * index),
            join_code=_join_code(series.id, index),
            state=WorkshopState.open
            if open_workshops is None or index >= workshops - open_workshops
            else WorkshopState.closed,
        )  # fmt: skip
        db.session.add(workshop)
        created.append(workshop)
    db.session.flush()
    samples = _samples(instrument, rng)
    keys = [q.key for q in instrument.questions()]
    ids = [w.id for w in created]
    shares = weights or [rng.uniform(0.3, 3.0) for _ in created]
    first_id = (db.session.scalar(select(func.max(Response.id))) or 0) + 1
    moment = datetime(2026, 3, 1, 10, 0)
    response_rows: list[tuple[Any, ...]] = []
    answer_rows: list[tuple[Any, ...]] = []
    for response_id in range(first_id, first_id + responses):
        workshop_id = rng.choices(ids, shares)[0]
        language, base = samples[rng.randrange(len(samples))]
        chosen = dict(base)
        for key in rng.sample(keys, SWAPS):
            other = samples[rng.randrange(len(samples))][1]
            chosen.pop(key, None)
            if key in other:
                chosen[key] = other[key]
        response_rows.append((
            response_id, workshop_id, str(uuid.uuid4()), language,
            moment + timedelta(minutes=response_id % 90), True, f"{response_id:064x}", 0,
        ))  # fmt: skip
        for rows in chosen.values():
            for row in rows:
                answer_rows.append((response_id, workshop_id, *row))
    _bulk_insert(response_rows, answer_rows)
    db.session.commit()
    return Generated(series.id, ids, responses, len(answer_rows), time.perf_counter() - started)


def _join_code(series_id: int, index: int) -> str:
    """Return a 6-character code unique per (series, index), in the join alphabet."""
    alphabet = "ACDEFGHJKMNPQRTUVWXY"
    number = series_id * 1000 + index
    code = ""
    for _ in range(6):
        number, digit = divmod(number, len(alphabet))
        code += alphabet[digit]
    return code


def _samples(instrument: Any, rng: random.Random) -> list[tuple[str, dict[str, list[tuple]]]]:
    """Simulate questionnaires; return (language, {question: [answer columns]})."""
    languages = list(instrument.languages)
    weights = [70, 8, 12, 10][: len(languages)]
    samples = []
    for _ in range(SAMPLES):
        language = rng.choices(languages, weights=weights)[0]
        rows = read_answers(instrument, simulated_form(instrument, language, rng)).rows
        by_question: dict[str, list[tuple]] = {}
        for row in rows:
            by_question.setdefault(row.question_key, []).append(
                (row.question_key, row.item_key, row.option_key, row.value_num, row.value_text)
            )
        samples.append((language, by_question))
    return samples


def _bulk_insert(responses: list[tuple[Any, ...]], answers: list[tuple[Any, ...]]) -> None:
    """Insert rows through the session's connection: COPY on PostgreSQL, else executemany."""
    connection = db.session.connection()
    raw = connection.connection.driver_connection
    if connection.dialect.name == "postgresql":
        with raw.cursor() as cursor:
            for table, columns, rows in (
                ("response", RESPONSE_COLUMNS, responses),
                ("answer", ANSWER_COLUMNS, answers),
            ):
                with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
        for table in ("response", "answer"):
            connection.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT max(id) FROM {table}))"
                )
            )
        connection.execute(text("ANALYZE response"))
        connection.execute(text("ANALYZE answer"))
        return
    cursor = raw.cursor()
    for table, columns, rows in (
        (Response.__tablename__, RESPONSE_COLUMNS, responses),
        (Answer.__tablename__, ANSWER_COLUMNS, answers),
    ):
        marks = ", ".join("?" for _ in columns)
        sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"
        cursor.executemany(sql, [_sqlite_row(row) for row in rows] if table == "response" else rows)
    cursor.close()


def _sqlite_row(row: tuple[Any, ...]) -> tuple[Any, ...]:
    """Store the timestamp as SQLAlchemy does on SQLite (ISO text)."""
    values = list(row)
    values[4] = values[4].strftime("%Y-%m-%d %H:%M:%S.%f")
    return tuple(values)


def main() -> None:
    """Generate a series into the database configured by the environment."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--responses", type=int, default=100_000)
    parser.add_argument("--workshops", type=int, default=20)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--slug", default="bench")
    args = parser.parse_args()
    from survey_app import create_app

    with create_app().app_context():
        made = generate_series(args.responses, args.workshops, args.seed, args.slug)
    print(
        f"series {made.series_id}: {made.responses:,} responses, {made.answers:,} answer rows "
        f"in {len(made.workshop_ids)} workshops ({made.seconds:.1f} s); "
        f"workshops {' '.join(map(str, made.workshop_ids))}"
    )


if __name__ == "__main__":
    main()
