"""Transactions: participants' posts read without the write lock and write briefly;
commands read and write in explicit transactions, on SQLite and PostgreSQL alike."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from flask import g
from sqlalchemy import create_engine, select, update
from sqlalchemy.exc import OperationalError

from survey_app.database import (
    read_transaction,
    reads_first,
    transaction_mode,
    write_transaction,
    writing_session,
)
from survey_app.extensions import db
from survey_app.models import Workshop


def test_a_post_reads_deferred_and_writes_immediate(app, make_workshop):
    workshop = make_workshop()
    seen = []

    @reads_first
    def view() -> None:
        seen.append(transaction_mode())
        loaded = db.session.get(Workshop, workshop.id)
        with write_transaction(db.session):
            seen.append(transaction_mode())
            loaded.title = "Renamed"
        seen.append(transaction_mode())
        seen.append(loaded.title)  # still loaded: the commits expired nothing

    with app.test_request_context("/", method="POST"):
        view()
        assert db.session().expire_on_commit is True
        assert g.sqlite_begin == "DEFERRED"
    assert seen == ["DEFERRED", "IMMEDIATE", "DEFERRED", "Renamed"]
    with app.app_context():
        assert db.session.get(Workshop, workshop.id).title == "Renamed"


def test_a_failed_write_is_rolled_back(app, make_workshop):
    workshop = make_workshop()
    with app.test_request_context("/", method="POST"):
        loaded = db.session.get(Workshop, workshop.id)
        try:
            with write_transaction(db.session):
                loaded.title = "Never stored"
                db.session.flush()
                raise RuntimeError("boom")
        except RuntimeError:
            pass
    with app.app_context():
        assert db.session.get(Workshop, workshop.id).title == "Test workshop"


def test_sqlite_writers_queue_on_a_lock_file(app, make_workshop):
    workshop = make_workshop()
    with app.test_request_context("/", method="POST"):
        url = db.engine.url
        with write_transaction(db.session):
            db.session.get(Workshop, workshop.id).title = "Queued"
    if url.get_backend_name() == "sqlite":
        assert Path(f"{url.database}-writer.lock").exists()


def other_connection(app):
    """Return an engine of its own on the app's database that waits at most briefly for locks."""
    with app.app_context():
        url = db.engine.url
    if url.get_backend_name() == "sqlite":
        return create_engine(url, connect_args={"timeout": 0.3})
    return create_engine(url)


def rename_elsewhere(engine, workshop_id: int, title: str) -> None:
    """Rename a workshop through another connection, committed at once."""
    with engine.begin() as connection:
        connection.execute(update(Workshop).where(Workshop.id == workshop_id).values(title=title))


def title_elsewhere(engine, workshop_id: int) -> str:
    """Read a workshop's title through another connection."""
    with engine.connect() as connection:
        return connection.scalar(select(Workshop.title).where(Workshop.id == workshop_id))


def test_a_read_transaction_lets_other_connections_write(app, make_workshop):
    """A command reads without the write lock: a second connection writes meanwhile."""
    workshop = make_workshop()
    other = other_connection(app)
    try:
        with app.app_context():
            with read_transaction(db.session):
                assert transaction_mode() == "DEFERRED"
                assert db.session.get(Workshop, workshop.id).title == "Test workshop"
                assert db.session().in_transaction()
                rename_elsewhere(other, workshop.id, "Written meanwhile")  # no lock to wait for
            assert not db.session().in_transaction()  # ended (rolled back) by the block
            assert transaction_mode() == "IMMEDIATE"  # a command's default again
            assert db.session.get(Workshop, workshop.id).title == "Written meanwhile"
    finally:
        other.dispose()


def test_a_read_transaction_needs_no_transaction_in_progress(app, make_workshop):
    workshop = make_workshop()
    with app.app_context():
        db.session.get(Workshop, workshop.id)
        with pytest.raises(RuntimeError), read_transaction(db.session):
            pass
        db.session.rollback()
        with read_transaction(db.session):
            db.session.get(Workshop, workshop.id)


def test_a_write_transaction_commits_once_at_the_end(app, make_workshop):
    """Outside a request, as a command writes: what the block wrote is seen after it only."""
    workshop = make_workshop()
    other = other_connection(app)
    try:
        with app.app_context():
            with write_transaction(db.session):
                assert transaction_mode() == "IMMEDIATE"
                db.session.get(Workshop, workshop.id).title = "Written"
                db.session.flush()
                assert title_elsewhere(other, workshop.id) == "Test workshop"
            assert title_elsewhere(other, workshop.id) == "Written"
    finally:
        other.dispose()


def test_a_write_transaction_takes_the_sqlite_write_lock_at_once(app, make_workshop):
    """BEGIN IMMEDIATE on SQLite: after a mere read, other writers wait (here: give up).

    On PostgreSQL an ordinary transaction: writers of other rows go on.
    """
    workshop = make_workshop()
    second = make_workshop()
    other = other_connection(app)
    try:
        with app.app_context():
            sqlite = db.engine.url.get_backend_name() == "sqlite"
            with write_transaction(db.session):
                db.session.get(Workshop, workshop.id)  # only a read so far
                if sqlite:
                    with pytest.raises(OperationalError, match="locked"):
                        rename_elsewhere(other, second.id, "Never written")
                else:
                    rename_elsewhere(other, second.id, "Written meanwhile")
            expected = "Test workshop" if sqlite else "Written meanwhile"
            assert db.session.get(Workshop, second.id).title == expected
    finally:
        other.dispose()


def test_a_writing_session_beside_a_read_reads_then_writes(app, make_workshop):
    """A session of its own for a write during a read transaction (a release recorded
    while a briefing is read): on SQLite it holds the write lock from its first read,
    so another writer cannot commit between its read and its write (which would end
    in "database is locked"); the other writer waits (here: gives up)."""
    workshop = make_workshop()
    second = make_workshop()
    other = other_connection(app)
    try:
        with app.app_context(), read_transaction(db.session):
            sqlite = db.engine.url.get_backend_name() == "sqlite"
            with writing_session(db.session()) as own:
                assert own.get(Workshop, workshop.id).title == "Test workshop"  # a read first
                if sqlite:
                    with pytest.raises(OperationalError, match="locked"):
                        rename_elsewhere(other, second.id, "Never written")
                own.get(Workshop, workshop.id).title = "Written by its own session"
                own.commit()
            assert title_elsewhere(other, workshop.id) == "Written by its own session"
    finally:
        other.dispose()


def test_a_read_in_a_thread_of_a_command_is_deferred(app, make_workshop):
    """Each thread's app context chooses its own mode."""
    make_workshop()
    seen = []

    def read() -> None:
        with app.app_context(), read_transaction(db.session):
            seen.append(transaction_mode())
            db.session.scalar(select(Workshop.id))

    with app.app_context():
        worker = threading.Thread(target=read)
        worker.start()
        worker.join()
        seen.append(transaction_mode())
    assert seen == ["DEFERRED", "IMMEDIATE"]
