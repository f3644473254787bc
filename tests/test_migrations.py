"""Migrations: the newest schema is what the models say, and upgrades keep existing data."""

from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text

from survey_app import create_app
from survey_app.extensions import db
from survey_app.instruments.store import store_instrument_file
from survey_app.migrate import alembic_config

from .conftest import FIXTURES, _test_config


def test_the_migrated_schema_is_what_the_models_say(app):
    with app.app_context(), db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, db.metadata) == []


def test_0010_keeps_every_link_and_gives_existing_series_the_servers_k(tmp_path):
    app = create_app(
        {**_test_config(f"sqlite:///{tmp_path / 'old.sqlite3'}", tmp_path), "MIN_GROUP_SIZE": 4}
    )
    with app.app_context():
        command.upgrade(alembic_config(), "0009")
        version, _ = store_instrument_file(str(FIXTURES / "all-types.yaml"))
        for statement in OLD_ROWS:
            db.session.execute(text(statement), {"version": version.id})
        db.session.commit()
        command.upgrade(alembic_config(), "head")
        assert db.session.execute(text(LINKED)).all() == [("W", "S", 1, 4, None)]
        db.session.execute(text("INSERT INTO series (slug, title, description, created_at) "
                                "VALUES ('s2', 'T', '', '2026-11-02 10:00:00')"))  # fmt: skip
        assert db.session.scalar(text("SELECT min_group_size FROM series WHERE slug = 's2'")) == 5
        db.session.rollback()
        command.downgrade(alembic_config(), "0009")
        assert "min_group_size" not in {c["name"] for c in inspect(db.engine).get_columns("series")}
        assert db.session.execute(text(LINKED_BEFORE)).all() == [("W", "S", 1)]
        db.session.commit()
        db.engine.dispose()


#: A series, its workshop and one response, as stored before 0010.
OLD_ROWS = [
    "INSERT INTO series (id, slug, title, description, created_at) "
    "VALUES (1, 's1', 'S', '', '2026-11-01 10:00:00')",
    "INSERT INTO workshop (id, series_id, instrument_version_id, title, municipality, join_code,"
    " state, created_at, results_for_participants)"
    " VALUES (1, 1, :version, 'W', '', 'ACDEFG', 'open', '2026-11-01 10:00:00', 0)",
    "INSERT INTO response (id, workshop_id, submission_id, language, submitted_at, revision,"
    " consented, answers_hash) VALUES (1, 1, 'a', 'de', '2026-11-01 10:05:00', 0, 1, 'h')",
]
#: Each workshop's title, its series' title and its responses (before 0010).
LINKED_BEFORE = (
    "SELECT workshop.title, series.title, count(response.id)"
    " FROM workshop JOIN series ON series.id = workshop.series_id"
    " JOIN response ON response.workshop_id = workshop.id GROUP BY workshop.id"
)
#: The same with both thresholds.
LINKED = LINKED_BEFORE.replace(
    "count(response.id)", "count(response.id), min_group_size, room_min_group_size"
)


def test_0021_adds_sso_identities_and_its_downgrade_keeps_the_accounts(tmp_path):
    app = create_app(_test_config(f"sqlite:///{tmp_path / 'sso.sqlite3'}", tmp_path))
    with app.app_context():
        command.upgrade(alembic_config(), "head")
        db.session.execute(text(ACCOUNT))
        db.session.execute(text(IDENTITY))
        db.session.commit()
        command.downgrade(alembic_config(), "0021-1")  # the revision before 0021
        assert "sso_identity" not in inspect(db.engine).get_table_names()
        assert db.session.scalar(text("SELECT email FROM user_account")) == "a@example.org"
        db.session.commit()
        command.upgrade(alembic_config(), "head")
        assert db.session.scalar(text("SELECT count(*) FROM sso_identity")) == 0
        db.session.commit()
        db.engine.dispose()


#: An account and its single sign-on subject.
ACCOUNT = (
    "INSERT INTO user_account (id, email, name, password_hash, role, active, session_nonce,"
    " created_at) VALUES (1, 'a@example.org', '', 'x', 'admin', 1, 'n', '2026-12-01 10:00:00')"
)
IDENTITY = (
    "INSERT INTO sso_identity (user_id, issuer, subject, linked_at)"
    " VALUES (1, 'https://id.example.org', 's', '2026-12-01 10:00:00')"
)
