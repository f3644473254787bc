"""Transactions of the participants' posts: read without the write lock, write briefly."""

from __future__ import annotations

from pathlib import Path

from flask import g

from survey_app.database import reads_first, transaction_mode, write_transaction
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
