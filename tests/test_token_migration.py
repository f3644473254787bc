"""Migration 0017: tokens made before it keep working for 90 days, named, read-only."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from alembic import command
from sqlalchemy import create_engine, inspect, text

from survey_app import create_app
from survey_app.extensions import db
from survey_app.migrate import alembic_config

from .conftest import BACKENDS, POSTGRES_URL, _test_config

#: An account and two tokens as stored before 0017: one without a label, one of "sv_bench".
OLD_ROWS = [
    "INSERT INTO user_account (id, email, name, password_hash, role, active, session_nonce,"
    " created_at) VALUES (1, 'v@example.org', '', 'x', 'viewer', :yes, 'n',"
    " '2026-11-01 10:00:00')",
    "INSERT INTO api_token (id, user_id, token_hash, label, created_at) VALUES (1, 1,"
    " '9b4d48e6cc82ae3ef5e8ec3a13e5da55d6b8de2b1f5e2ea9c3a0bfb0c2f4c0a1', '',"
    " '2026-11-01 10:00:00')",
    "INSERT INTO api_token (id, user_id, token_hash, label, created_at) VALUES (2, 1,"
    " :bench_hash, 'bench', '2026-11-01 10:00:00')",
]


@pytest.fixture(params=BACKENDS)
def empty_database(request: pytest.FixtureRequest, tmp_path) -> Iterator[str]:
    """Yield the URL of an empty database (an SQLite file or a PostgreSQL schema of its own)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'old.sqlite3'}"
        return
    schema = f"token_migration_{os.getpid()}"
    try:
        engine = create_engine(POSTGRES_URL)
        with engine.begin() as connection:
            connection.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
            connection.execute(text(f"CREATE SCHEMA {schema}"))
    except Exception as exc:  # noqa: BLE001 - any connection failure means "no server"
        pytest.skip(f"PostgreSQL not reachable ({type(exc).__name__})")
    yield f"{POSTGRES_URL}?options=-csearch_path%3D{schema}"
    with engine.begin() as connection:
        connection.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
    engine.dispose()


def test_0017_keeps_existing_tokens_working_for_90_days(empty_database, tmp_path):
    from survey_app.accounts.tokens import check_api_token, token_digest

    app = create_app(_test_config(empty_database, tmp_path))
    with app.app_context():
        command.upgrade(alembic_config(), "0016")
        for statement in OLD_ROWS:
            db.session.execute(
                text(statement), {"yes": True, "bench_hash": token_digest("sv_bench")}
            )
        db.session.commit()
        command.upgrade(alembic_config(), "head")
        rows = db.session.execute(
            text(
                "SELECT name, scope, expires_at, last_used_on, revoked_at FROM api_token ORDER BY id"
            )
        ).all()
        assert [(r[0], r[1], r[3], r[4]) for r in rows] == [
            ("token", "read", None, None),
            ("bench", "read", None, None),
        ]
        for row in rows:
            expires = row[2] if isinstance(row[2], datetime) else datetime.fromisoformat(row[2])
            assert abs(
                expires - (datetime.now(UTC).replace(tzinfo=None) + timedelta(days=90))
            ) < timedelta(minutes=5)
        check = check_api_token("sv_bench")
        assert check.problem is None and check.user is not None
        db.session.execute(text("UPDATE api_token SET revoked_at = expires_at WHERE id = 2"))
        db.session.commit()
        command.downgrade(alembic_config(), "0016")
        columns = {c["name"] for c in inspect(db.engine).get_columns("api_token")}
        assert {"label", "last_used_at"} <= columns and "expires_at" not in columns
        # a revoked token does not come back to life before 0017
        assert db.session.execute(text("SELECT id, label FROM api_token")).all() == [(1, "token")]
        db.session.commit()
        db.engine.dispose()
