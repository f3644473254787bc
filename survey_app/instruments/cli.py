"""``survey-app instruments transfer``: give a questionnaire key to a series."""

from __future__ import annotations

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from survey_app.audit import record
from survey_app.extensions import db
from survey_app.instruments.ownership import owner_of, transfer_key
from survey_app.models import Series, User


@click.command("transfer")
@click.argument("key")
@click.option("--series", "slug", required=True, help="Short name of the series to own KEY.")
@with_appcontext
def transfer_command(key: str, slug: str) -> None:
    """Give KEY (every version) to series SLUG: its facilitators may publish new versions."""
    series = db.session.scalar(select(Series).filter_by(slug=slug))
    if series is None:
        raise click.UsageError(f"there is no series '{slug}'; `survey-app series list` lists them")
    before = describe_owner(key)
    if transfer_key(key, series) is None:
        raise click.UsageError(f"no questionnaire '{key}' is loaded")
    record("transfer_instrument", f"instrument {key}", series=series.slug)
    db.session.commit()
    click.echo(f"{key}: owned by series {series.slug} (was: {before})")


def describe_owner(key: str) -> str:
    """Say who owns ``key``, for the command line (series slug, account e-mail or nobody)."""
    owner = owner_of(key)
    if owner is not None and owner.series_id is not None:
        series = db.session.get(Series, owner.series_id)
        return f"series {series.slug}" if series else "nobody"
    if owner is not None and owner.user_id is not None:
        user = db.session.get(User, owner.user_id)
        return f"account {user.email}" if user else "nobody"
    return "nobody"
