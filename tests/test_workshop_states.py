"""Workshop states: the model refuses a transition, the operations write the audit log."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from survey_app.extensions import db
from survey_app.models import AuditEntry, InvalidTransition, Workshop, WorkshopState
from survey_app.workshops.operations import close_workshop, delete_workshop, open_workshop
from survey_app.workshops.retention import delete_responses, set_retention

from .conftest import login
from .results_helpers import ALL_TYPES


def test_a_workshop_opens_closes_and_opens_again(app, make_workshop):
    workshop = make_workshop(ALL_TYPES, state="draft")
    with app.app_context():
        workshop = db.session.get(Workshop, workshop.id)
        open_workshop(workshop)
        opened = workshop.opened_at
        assert workshop.accepts_responses and opened is not None
        close_workshop(workshop)
        assert workshop.state is WorkshopState.closed and workshop.closed_at is not None
        open_workshop(workshop)
        assert workshop.state is WorkshopState.open
        assert workshop.opened_at == opened and workshop.closed_at is None


@pytest.mark.parametrize(
    ("start", "wanted"),
    [
        ("draft", WorkshopState.closed),
        ("draft", WorkshopState.draft),
        ("open", WorkshopState.draft),
        ("closed", WorkshopState.draft),
    ],
)
def test_the_model_refuses_a_transition(app, make_workshop, start, wanted):
    workshop = make_workshop(ALL_TYPES, state=start)
    with app.app_context():
        workshop = db.session.get(Workshop, workshop.id)
        with pytest.raises(InvalidTransition):
            workshop.state = wanted
        with pytest.raises(InvalidTransition):
            workshop.move_to(wanted)
        assert workshop.state.value == start


def test_closing_a_draft_over_http_is_a_conflict(app, client, make_workshop, make_user):
    app.config["WTF_CSRF_ENABLED"] = False
    workshop = make_workshop(ALL_TYPES, state="draft")
    make_user("fac@example.org", series_id=workshop.series_id)
    login(client, "fac@example.org")
    assert client.post(f"/workshops/{workshop.id}/close").status_code == 409
    with app.app_context():
        assert db.session.get(Workshop, workshop.id).state is WorkshopState.draft


def test_closing_a_draft_on_the_command_line_fails(app, runner, make_workshop):
    workshop = make_workshop(ALL_TYPES, state="draft")
    result = runner.invoke(args=["workshops", "close", str(workshop.id)])
    assert result.exit_code != 0 and "cannot become closed" in result.output


def test_the_operations_write_the_audit_log(app, make_workshop):
    workshop = make_workshop(ALL_TYPES)
    with app.app_context():
        workshop = db.session.get(Workshop, workshop.id)
        target, series = f"workshop {workshop.id}", f"series {workshop.series.slug}"
        delete_responses(workshop)
        set_retention(workshop.series, 30)
        delete_workshop(workshop)
        db.session.commit()
        entries = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
        assert [(e.actor, e.action, e.target, e.detail) for e in entries] == [
            (
                "command line",
                "delete_responses",
                target,
                {"title": "Test workshop", "responses": 0},
            ),
            ("command line", "set_retention", series, {"days": 30}),
            ("command line", "delete_workshop", target, {"title": "Test workshop", "responses": 0}),
        ]
