"""``survey-app purge`` (responses past their retention period), ``survey-app series``
and ``survey-app workshops set-room-k`` (small-group thresholds)."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import select

from survey_app.extensions import db
from survey_app.ids import MAX_ID, whole_number
from survey_app.models import Series, Workshop
from survey_app.workshops.operations import set_room_group_size, set_series_group_size
from survey_app.workshops.retention import purge_responses, workshops_past_retention
from survey_app.workshops.thresholds import (
    ThresholdError,
    group_size_floor,
    published_group_size,
    room_group_size,
)


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
        count = purge_responses(workshop)
        click.echo(f"deleted {count} responses of workshop {workshop.id} ({workshop.title})")
    db.session.commit()
    if not due:
        click.echo("nothing to purge")


@click.group("series")
def series_group() -> None:
    """Show series and set the smallest group they publish (k)."""


@series_group.command("list")
@with_appcontext
def list_series_command() -> None:
    """Print each series: slug, k of published results, title."""
    floor = group_size_floor(current_app.config)
    for series in db.session.scalars(select(Series).order_by(Series.slug)):
        click.echo(f"{series.slug}\tk={published_group_size(floor, series)}\t{series.title}")


@series_group.command("set-k")
@click.argument("slug")
@click.argument("k", type=int)
@with_appcontext
def set_k_command(slug: str, k: int) -> None:
    """Set the smallest group shown in everything published from series SLUG.

    K may not be below the server's floor (SURVEY_MIN_GROUP_SIZE).
    """
    series = db.session.scalar(select(Series).filter_by(slug=slug))
    if series is None:
        raise click.UsageError(f"there is no series '{slug}'")
    try:
        set_series_group_size(series, k)
    except ThresholdError as exc:
        raise click.ClickException(str(exc)) from None
    db.session.commit()
    click.echo(f"series {slug}: groups smaller than {k} are not published")


@click.command("set-room-k")
@click.argument("workshop_id", type=click.IntRange(1, MAX_ID))
@click.argument("k")
@with_appcontext
def set_room_k_command(workshop_id: int, k: str) -> None:
    """Set the smallest group shown on a workshop's own screens in the room.

    K is from 2 to the series' published k, or "none" for the published k.
    Published results (viewers, API, briefings) keep the series' k.
    """
    workshop = db.session.get(Workshop, workshop_id)
    if workshop is None:
        raise click.UsageError(f"there is no workshop {workshop_id}")
    room_k = whole_number(k, 0, MAX_ID)
    if k.lower() != "none" and room_k is None:
        raise click.UsageError('K is a whole number or "none"')
    try:
        set_room_group_size(workshop, room_k)
    except ThresholdError as exc:
        raise click.ClickException(str(exc)) from None
    db.session.commit()
    shown = room_group_size(group_size_floor(current_app.config), workshop)
    click.echo(f"workshop {workshop.id}: groups smaller than {shown} are not shown in the room")
