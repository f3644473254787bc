"""The data lifecycle: deleting responses, retention and purge, the audit log."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import func, select

from survey_app.extensions import db
from survey_app.models import Answer, AuditEntry, Response, Series, Workshop

from .briefing_helpers import fill
from .conftest import login
from .results_helpers import ALL_TYPES


def token_of(page: str) -> str:
    return re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', page).group(1)


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
