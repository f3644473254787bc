"""Migration 0018: existing questionnaires get no owner; the teams using them go on publishing."""

from __future__ import annotations

from alembic import command
from sqlalchemy import inspect, text

from survey_app import create_app
from survey_app.extensions import db
from survey_app.migrate import alembic_config

from .conftest import FIXTURES, _test_config
from .test_token_migration import empty_database  # noqa: F401 - a fixture

#: A series with a workshop of a stored version, and two facilitators, as before 0018.
OLD_ROWS = [
    "INSERT INTO series (id, slug, title, description, created_at, min_group_size, time_zone)"
    " VALUES (1, 's1', 'S', '', '2026-11-01 10:00:00', 5, 'Europe/Berlin')",
    "INSERT INTO workshop (id, series_id, instrument_version_id, title, municipality, join_code,"
    " state, created_at, results_for_participants, paced, pace_state, pace_step)"
    " VALUES (1, 1, :version, 'W', '', 'ACDEFG', 'open', '2026-11-01 10:00:00', :no, :no,"
    " 'waiting', 0)",
    "INSERT INTO user_account (id, email, name, password_hash, role, active, session_nonce,"
    " created_at) VALUES (1, 'in@example.org', '', 'x', 'facilitator', :yes, 'n',"
    " '2026-11-01 10:00:00')",
    "INSERT INTO user_account (id, email, name, password_hash, role, active, session_nonce,"
    " created_at) VALUES (2, 'out@example.org', '', 'x', 'facilitator', :yes, 'n',"
    " '2026-11-01 10:00:00')",
    "INSERT INTO series_member (id, user_id, series_id, level) VALUES (1, 1, 1, 'manage')",
]


def test_0018_adds_owners_and_keeps_the_teams_using_a_key_publishing(
    empty_database,  # noqa: F811 - the fixture imported above
    tmp_path,
):
    from survey_app.instruments.ownership import may_publish, transfer_key
    from survey_app.instruments.store import store_instrument_file
    from survey_app.models import Series, User

    app = create_app(_test_config(empty_database, tmp_path))
    with app.app_context():
        command.upgrade(alembic_config(), "0017")
        assert "instrument_owner" not in inspect(db.engine).get_table_names()
        version, _ = store_instrument_file(str(FIXTURES / "all-types.yaml"))
        key = version.key
        for statement in OLD_ROWS:
            db.session.execute(text(statement), {"version": version.id, "yes": True, "no": False})
        db.session.commit()
        command.upgrade(alembic_config(), "head")
        assert db.session.scalar(text("SELECT count(*) FROM instrument_owner")) == 0
        inside = db.session.get(User, 1)
        outside = db.session.get(User, 2)
        assert may_publish(inside, key) and not may_publish(outside, key)
        transfer_key(key, db.session.get(Series, 1))
        db.session.commit()
        assert db.session.execute(text("SELECT key, series_id FROM instrument_owner")).all() == [
            (key, 1)
        ]
        db.session.execute(text("DELETE FROM series WHERE id = 1"))  # the owner set to NULL
        db.session.commit()
        assert db.session.scalar(text("SELECT series_id FROM instrument_owner")) is None
        db.session.rollback()  # no transaction of ours may hold the table being dropped
        command.downgrade(alembic_config(), "0017")
        assert "instrument_owner" not in inspect(db.engine).get_table_names()
        assert db.session.scalar(text("SELECT count(*) FROM instrument_version")) == 1
        db.session.commit()
        db.engine.dispose()
