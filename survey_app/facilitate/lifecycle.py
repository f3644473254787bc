"""The data lifecycle: deleting responses, retention periods, purging, the audit log."""

from __future__ import annotations

from datetime import timedelta

import click
from flask import flash, redirect, render_template, request, url_for
from flask.cli import with_appcontext
from flask_babel import gettext as _
from sqlalchemy import delete, func, select
from werkzeug.wrappers import Response as HttpResponse

from survey_app.accounts.access import Audience, allow, series_with_access, workshop_with_access
from survey_app.audit import record
from survey_app.extensions import db
from survey_app.facilitate.forms import ConfirmForm
from survey_app.facilitate.queries import response_counts
from survey_app.facilitate.views import blueprint, title_confirmed
from survey_app.models import (
    AccessLevel,
    Answer,
    AuditEntry,
    Response,
    Series,
    Workshop,
    WorkshopState,
)
from survey_app.models._time import utcnow
from survey_app.results.cache import forget_parts


def delete_responses(workshop: Workshop) -> int:
    """Delete every response of a workshop (the workshop stays); return how many."""
    count = db.session.scalar(select(func.count()).where(Response.workshop_id == workshop.id)) or 0
    db.session.execute(delete(Answer).where(Answer.workshop_id == workshop.id))
    db.session.execute(delete(Response).where(Response.workshop_id == workshop.id))
    forget_parts(db.session, workshop.id)  # SQLite may reuse the deleted ids
    return int(count)


def workshops_past_retention() -> list[Workshop]:
    """Return closed workshops whose series' retention period has run out and that hold data."""
    now = utcnow()
    candidates = db.session.scalars(
        select(Workshop)
        .join(Series, Series.id == Workshop.series_id)
        .where(Series.retention_days.is_not(None), Workshop.state == WorkshopState.closed)
        .where(Workshop.closed_at.is_not(None))
    )
    due = []
    for workshop in candidates:
        days = workshop.series.retention_days if workshop.series else None
        has_data = db.session.scalar(
            select(Response.id).where(Response.workshop_id == workshop.id).limit(1)
        )
        if days is not None and workshop.closed_at + timedelta(days=days) <= now and has_data:
            due.append(workshop)
    return due


@blueprint.route("/workshops/<int:workshop_id>/responses/delete", methods=["GET", "POST"])
@allow(Audience.staff)
def delete_workshop_responses(workshop_id: int) -> str | HttpResponse | tuple[str, int]:
    """Delete a workshop's responses after its title was typed to confirm."""
    workshop = workshop_with_access(workshop_id, AccessLevel.manage)
    form = ConfirmForm()
    if title_confirmed(form, workshop):
        count = delete_responses(workshop)
        record("delete_responses", f"workshop {workshop.id}", title=workshop.title, responses=count)
        db.session.commit()
        flash(_("The responses were deleted."))
        return redirect(url_for(".workshop_page", workshop_id=workshop.id))
    count = response_counts([workshop.id]).get(workshop.id, 0)
    status = 422 if request.method == "POST" else 200
    return render_template(
        "facilitate/delete_responses.html", form=form, workshop=workshop, count=count
    ), status


@blueprint.post("/series/<int:series_id>/retention")
@allow(Audience.staff)
def set_retention(series_id: int) -> HttpResponse:
    """Set after how many days past closing a workshop's responses are purged (empty: never)."""
    series = series_with_access(series_id, AccessLevel.manage)
    raw = request.form.get("retention_days", "").strip()
    if raw and (not raw.isdigit() or not 1 <= int(raw) <= 36500):
        flash(_("Please give a number of days between 1 and 36500, or leave it empty."))
    else:
        series.retention_days = int(raw) if raw else None
        record("set_retention", f"series {series.slug}", days=series.retention_days)
        db.session.commit()
        flash(_("Retention period saved."))
    return redirect(url_for(".series_page", series_id=series.id))


@blueprint.get("/admin/audit")
@allow(Audience.admin)
def audit_log() -> str:
    """Show the newest 300 audit entries."""
    entries = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(300)).all()
    return render_template("facilitate/audit.html", entries=entries)


@click.command("purge")
@click.option("--dry-run", is_flag=True, help="Only list what would be deleted.")
@with_appcontext
def purge_command(dry_run: bool) -> None:
    """Delete the responses of closed workshops whose retention period has run out."""
    due = workshops_past_retention()
    for workshop in due:
        if dry_run:
            click.echo(f"would delete the responses of workshop {workshop.id} ({workshop.title})")
            continue
        count = delete_responses(workshop)
        days = workshop.series.retention_days if workshop.series else None
        record("purge", f"workshop {workshop.id}", title=workshop.title, responses=count, days=days)
        click.echo(f"deleted {count} responses of workshop {workshop.id} ({workshop.title})")
    db.session.commit()
    if not due:
        click.echo("nothing to purge")
