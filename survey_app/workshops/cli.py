"""``survey-app purge``: delete the responses whose retention period has run out."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from survey_app.extensions import db
from survey_app.workshops.retention import purge_responses, workshops_past_retention


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
