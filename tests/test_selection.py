"""Which workshops: the same inputs select the same workshops on the pages, the API and
the command line; commands read without a request context."""

from __future__ import annotations

import click
import pytest
from flask import Flask, has_request_context
from sqlalchemy import func, select

from survey_app.api import views as api_views
from survey_app.briefing import cli as briefing_cli
from survey_app.database import transaction_mode
from survey_app.exports import cli as export_cli
from survey_app.extensions import db
from survey_app.facilitate import dashboard
from survey_app.models import AuditEntry, Briefing
from survey_app.results import Scope, selection
from survey_app.results.selection import (
    SelectionError,
    WorkshopOptions,
    parse_workshop_options,
    select_workshops,
)

from .briefing_helpers import fill
from .conftest import FIXTURES, login

ALL_TYPES = FIXTURES / "all-types.yaml"


@pytest.fixture
def tour(app, make_workshop):
    """Return two workshops of series "tour" and one of another series."""
    first = make_workshop("needs-expectations", series="tour")
    second = make_workshop("needs-expectations", series="tour")
    other = make_workshop("needs-expectations", series="other")
    return first, second, other


def test_command_line_options_are_checked_in_form():
    assert parse_workshop_options(("3", "1,2 ", ""), None) == WorkshopOptions((3, 1, 2))
    assert parse_workshop_options((), "tour") == WorkshopOptions((), "tour")
    assert WorkshopOptions((), "tour").describe() == "series tour"
    assert WorkshopOptions((3, 1)).describe() == "workshops 3, 1"
    for workshops, series, message in [
        ((), None, "give either"),
        (("1",), "tour", "give either"),
        (("1,x",), None, "takes workshop ids"),
    ]:
        with pytest.raises(click.UsageError, match=message):
            parse_workshop_options(workshops, series)


def test_a_series_by_slug_by_id_or_by_its_workshops_is_the_same_scope(app, tour):
    first, second, other = tour
    with app.app_context():
        by_id = select_workshops(db.session, series=first.series_id)
        by_slug = parse_workshop_options((), "tour").select(db.session)
        by_text_id = parse_workshop_options((), str(first.series_id)).select(db.session)
        by_ids = parse_workshop_options((f"{second.id},{first.id}", str(first.id)), None).select(
            db.session
        )
        assert by_id.scope == by_slug.scope == by_text_id.scope == by_ids.scope
        assert by_id.scope == Scope.of([first.id, second.id])
        assert by_id.series is not None and by_id.series.slug == "tour"
        assert by_ids.series is None and [w.id for w in by_ids.workshops] == [second.id, first.id]
        grouped = select_workshops(db.session, workshop_ids=[first.id], group=("q", "o"))
        assert grouped.scope == Scope.workshop(first.id).with_group("q", "o")
        assert by_id.version is not None and by_id.instrument is not None
        with pytest.raises(SelectionError, match="there is no series 'nope'"):
            select_workshops(db.session, series="nope")
        with pytest.raises(SelectionError, match="there is no workshop 998, 999"):
            select_workshops(db.session, workshop_ids=[first.id, 998, 999])
        with pytest.raises(ValueError):
            select_workshops(db.session, workshop_ids=[first.id], series=first.series_id)


def test_pages_api_and_commands_select_the_same_workshops(
    app, client, runner, tour, make_user, monkeypatch, tmp_path
):
    """Each way in resolves its inputs with ``select_workshops``: same inputs, same scope."""
    first, second, _ = tour
    make_user("fac@example.org", "facilitator", first.series_id, "manage")
    login(client, "fac@example.org")
    seen: dict[str, list[Scope]] = {}
    real = selection.select_workshops

    def spy(name: str):
        def select(*args, **kwargs):
            chosen = real(*args, **kwargs)
            seen.setdefault(name, []).append(chosen.scope)
            return chosen

        return select

    monkeypatch.setattr(api_views, "select_workshops", spy("api"))
    monkeypatch.setattr(dashboard, "select_workshops", spy("dashboard"))
    monkeypatch.setattr(selection, "select_workshops", spy("command line"))

    assert client.get(f"/api/v1/series/{first.series_id}/summary").status_code == 200
    assert client.get(f"/workshops/{first.id}/results.json?scope=series").status_code == 200
    assert client.get(f"/api/v1/workshops/{first.id}/summary").status_code == 200
    assert client.get(f"/workshops/{first.id}/results.json").status_code == 200
    target = str(tmp_path / "out.csv")
    for options in (["--series", "tour"], ["--workshop", f"{first.id},{second.id}"]):
        result = runner.invoke(args=["export", *options, "--format", "csv", "-o", target])
        assert result.exit_code == 0, result.output
    result = runner.invoke(args=["export", "--workshop", str(first.id), "--format", "csv",
                                 "-o", target])  # fmt: skip
    assert result.exit_code == 0, result.output

    series, one = Scope.of([first.id, second.id]), Scope.workshop(first.id)
    assert seen == {
        "api": [series, one],
        "dashboard": [series, one],
        "command line": [series, series, one],
    }


def test_commands_read_in_a_read_transaction_without_a_request_context(
    app, runner, make_workshop, monkeypatch, tmp_path
):
    workshop = make_workshop(ALL_TYPES)
    fill(app, workshop)

    def no_request(*args, **kwargs):
        raise AssertionError("a command faked a request context")

    monkeypatch.setattr(Flask, "test_request_context", no_request)
    monkeypatch.setattr(Flask, "request_context", no_request)
    seen = []

    def watched(build):
        def run(*args, **kwargs):
            seen.append((build.__name__, transaction_mode(), has_request_context()))
            return build(*args, **kwargs)

        return run

    monkeypatch.setattr(export_cli, "build_export", watched(export_cli.build_export))
    monkeypatch.setattr(briefing_cli, "get_briefing", watched(briefing_cli.get_briefing))
    exported = runner.invoke(args=["export", "--workshop", str(workshop.id), "--format",
                                   "json", "-o", str(tmp_path / "out.json")])  # fmt: skip
    assert exported.exit_code == 0, exported.output
    built = runner.invoke(args=["briefing", "build", "--workshop", str(workshop.id),
                                "--tables-only", "-o", str(tmp_path / "b.pdf")])  # fmt: skip
    assert built.exit_code == 0, built.output
    assert seen == [("build_export", "DEFERRED", False), ("get_briefing", "DEFERRED", False)]
    with app.app_context():  # both recorded afterwards, in write transactions
        assert db.session.scalar(select(func.count()).select_from(Briefing)) == 1
        exports = select(func.count()).where(AuditEntry.action == "export")
        assert db.session.scalar(exports) == 1
