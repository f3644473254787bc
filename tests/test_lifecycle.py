"""The data lifecycle: deleting responses, retention and purge, the audit log."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict

from survey_app.extensions import db
from survey_app.instruments.store import instrument_by_id
from survey_app.models import Answer, AuditEntry, Briefing, Response, Series, Workshop
from survey_app.responses.answers import answers_hash, read_answers
from survey_app.responses.operations import Outcome, replace_response
from survey_app.workshops.operations import delete_workshop
from survey_app.workshops.retention import delete_responses

from .briefing_helpers import fill
from .conftest import login
from .helpers import token_of
from .results_helpers import ALL_TYPES, answers_of


def counts(app, workshop_id: int) -> tuple[int, int]:
    with app.app_context():
        responses = db.session.scalar(
            select(func.count()).where(Response.workshop_id == workshop_id)
        )
        answers = db.session.scalar(select(func.count()).where(Answer.workshop_id == workshop_id))
        return responses, answers


def audit(app) -> list[tuple[str, str, str]]:
    with app.app_context():
        return [
            (e.actor, e.action, e.target)
            for e in db.session.scalars(select(AuditEntry).order_by(AuditEntry.id))
        ]


def test_delete_responses_keeps_the_workshop_and_is_audited(app, client, make_workshop, make_user):
    workshop = make_workshop(ALL_TYPES)
    fill(app, workshop)
    make_user("fac@example.org", "facilitator", workshop.series_id, "manage")
    login(client, "fac@example.org")
    page = client.get(f"/workshops/{workshop.id}/responses/delete").get_data(as_text=True)
    assert "15" in page
    url = f"/workshops/{workshop.id}/responses/delete"
    assert (
        client.post(url, data={"csrf_token": token_of(page), "confirm": "wrong"}).status_code == 422
    )
    assert counts(app, workshop.id)[0] == 15
    assert (
        client.post(url, data={"csrf_token": token_of(page), "confirm": workshop.title}).status_code
        == 302
    )
    assert counts(app, workshop.id) == (0, 0)
    with app.app_context():
        assert db.session.get(Workshop, workshop.id) is not None
    assert ("fac@example.org", "delete_responses", f"workshop {workshop.id}") in audit(app)


def test_retention_and_purge(app, client, runner, make_workshop, make_user):
    old = make_workshop(ALL_TYPES, state="closed")
    recent = make_workshop(ALL_TYPES, state="closed")
    running = make_workshop(ALL_TYPES)
    for workshop in (old, recent, running):
        fill(app, workshop)
    with app.app_context():
        db.session.get(Workshop, old.id).closed_at -= timedelta(days=40)
        db.session.commit()
    make_user("fac@example.org", "facilitator", old.series_id, "manage")
    login(client, "fac@example.org")
    page = client.get(f"/series/{old.series_id}").get_data(as_text=True)
    assert (
        client.post(
            f"/series/{old.series_id}/retention",
            data={"csrf_token": token_of(page), "retention_days": "abc"},
        ).status_code
        == 302
    )
    with app.app_context():
        assert db.session.get(Series, old.series_id).retention_days is None
    client.post(
        f"/series/{old.series_id}/retention",
        data={"csrf_token": token_of(page), "retention_days": "30"},
    )
    with app.app_context():
        assert db.session.get(Series, old.series_id).retention_days == 30
    dry = runner.invoke(args=["purge", "--dry-run"])
    assert f"would delete the responses of workshop {old.id}" in dry.output
    assert counts(app, old.id)[0] == 15
    done = runner.invoke(args=["purge"])
    assert done.exit_code == 0 and f"deleted 15 responses of workshop {old.id}" in done.output
    assert counts(app, old.id) == (0, 0)
    assert counts(app, recent.id)[0] == 15 and counts(app, running.id)[0] == 15
    assert ("command line", "purge", f"workshop {old.id}") in audit(app)
    assert "nothing to purge" in runner.invoke(args=["purge"]).output


def test_exports_and_briefings_are_audited_and_admins_read_the_log(
    app, client, runner, make_workshop, make_user, tmp_path
):
    workshop = make_workshop(ALL_TYPES)
    fill(app, workshop)
    make_user("fac@example.org", "facilitator", workshop.series_id, "manage")
    make_user("admin@example.org", "admin")
    login(client, "fac@example.org")
    assert client.get(f"/workshops/{workshop.id}/export.csv").status_code == 200
    runner.invoke(
        args=[
            "export",
            "--workshop",
            str(workshop.id),
            "--format",
            "json",
            "-o",
            str(tmp_path / "x.json"),
        ]
    )
    entries = audit(app)
    assert ("fac@example.org", "export", f"workshop {workshop.id}") in entries
    assert ("command line", "export", f"workshops {workshop.id}") in entries
    assert client.get("/admin/audit").status_code == 403
    admin = app.test_client()
    login(admin, "admin@example.org")
    log = admin.get("/admin/audit").get_data(as_text=True)
    assert "fac@example.org" in log and "export" in log


def store_briefing(app, workshop_ids: list[int], series_id: int | None = None) -> int:
    """Store a briefing record with PDF bytes as a build leaves it (no build: fast)."""
    with app.app_context():
        record = Briefing(
            source="command line", series_id=series_id, workshop_ids=sorted(workshop_ids),
            language="de", template="briefing", tables_only=True, instrument_key="all-types",
            instrument_version=1, min_group_size=5, data_hash="0" * 32,
            scope_key=f"{workshop_ids}:{series_id}", cache_key="-", pages=1, size=4,
            pdf=b"%PDF",
        )  # fmt: skip
        db.session.add(record)
        db.session.commit()
        return record.id


def stored_briefings(app) -> set[int]:
    with app.app_context():
        return set(db.session.scalars(select(Briefing.id)))


def delete_the_responses(app, runner, workshop: Workshop) -> None:
    with app.app_context():
        delete_responses(db.session.get(Workshop, workshop.id))
        db.session.commit()


def purge_the_responses(app, runner, workshop: Workshop) -> None:
    with app.app_context():
        db.session.get(Workshop, workshop.id).closed_at -= timedelta(days=40)
        db.session.get(Series, workshop.series_id).retention_days = 30
        db.session.commit()
    result = runner.invoke(args=["purge"])
    assert f"deleted 15 responses of workshop {workshop.id}" in result.output, result.output


def delete_the_workshop(app, runner, workshop: Workshop) -> None:
    with app.app_context():
        delete_workshop(db.session.get(Workshop, workshop.id))
        db.session.commit()


def edit_a_response(app, runner, workshop: Workshop) -> None:
    with app.app_context():
        response = db.session.scalars(select(Response).filter_by(workshop_id=workshop.id)).first()
        pairs = answers_of("religion", ["rooms"], "no")
        read = read_answers(instrument_by_id(workshop.instrument_version_id), MultiDict(pairs))
        outcome = replace_response(response, "de", read.rows, answers_hash(read.rows))
        assert outcome is Outcome.updated
        db.session.commit()


@pytest.mark.parametrize(
    "remove", [delete_the_responses, purge_the_responses, delete_the_workshop, edit_a_response]
)
def test_deleting_or_changing_responses_deletes_the_briefings_that_hold_them(
    app, runner, make_workshop, remove
):
    workshop = make_workshop(ALL_TYPES, state="closed")
    neighbour = make_workshop(ALL_TYPES)  # same series, still open
    elsewhere = make_workshop(ALL_TYPES, series="elsewhere")
    fill(app, workshop)
    series = workshop.series_id
    gone = {
        store_briefing(app, [workshop.id]),
        store_briefing(app, [workshop.id, elsewhere.id]),
        store_briefing(app, [workshop.id, neighbour.id], series),
        store_briefing(app, [neighbour.id], series),  # the series before the workshop joined
    }
    kept = {store_briefing(app, [neighbour.id]), store_briefing(app, [elsewhere.id])}
    remove(app, runner, workshop)
    assert stored_briefings(app) == kept
    assert gone.isdisjoint(stored_briefings(app))
