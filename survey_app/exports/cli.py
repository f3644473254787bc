"""``survey-app export``: raw data with a codebook, from the shell."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext

from survey_app.audit import record
from survey_app.database import read_transaction, write_transaction
from survey_app.exports.build import (
    DELIMITERS,
    FORMATS,
    ExportError,
    build_export,
)
from survey_app.extensions import db
from survey_app.facilitate.queries import series_by_reference
from survey_app.models import Workshop


@click.command("export")
@click.option(
    "--workshop", "workshop_ids", multiple=True, type=int, help="Workshop id (repeatable)."
)
@click.option("--series", "series_ref", default=None, help="Series slug or id.")
@click.option("--format", "file_format", required=True, type=click.Choice(list(FORMATS)))
@click.option("--lang", default=None, help="Language of labels (default: the instrument's first).")
@click.option("--delimiter", default="comma", type=click.Choice(list(DELIMITERS)), help="CSV only.")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def export_command(
    workshop_ids: tuple[int, ...],
    series_ref: str | None,
    file_format: str,
    lang: str | None,
    delimiter: str,
    output: Path,
) -> None:
    """Export the responses of workshops or a series: one row per response, with a codebook."""
    if bool(workshop_ids) == bool(series_ref):
        raise click.UsageError("give either --workshop ID (one or more) or --series SLUG")
    with read_transaction(db.session):  # no write lock while reading every answer
        if series_ref:
            series = series_by_reference(series_ref)
            if series is None:
                raise click.UsageError(f"there is no series '{series_ref}'")
            workshops = list(series.workshops)
        else:
            workshops = [
                w for w in (db.session.get(Workshop, i) for i in workshop_ids) if w is not None
            ]
            if len(workshops) != len(workshop_ids):
                raise click.UsageError("some of these workshops do not exist")
        try:
            export = build_export(workshops, file_format, lang, delimiter)
        except ExportError as exc:
            raise click.UsageError(str(exc)) from None
    output.write_bytes(export.content)
    target = (
        f"series {series_ref}" if series_ref else "workshops " + ", ".join(map(str, workshop_ids))
    )
    with write_transaction(db.session):
        record("export", target, format=file_format, file=str(output))
    click.echo(f"wrote {output} ({len(export.content)} bytes)")
