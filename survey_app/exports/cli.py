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
from survey_app.results.selection import SelectionError, WorkshopOptions, workshop_options


@click.command("export")
@workshop_options
@click.option("--format", "file_format", required=True, type=click.Choice(list(FORMATS)))
@click.option("--lang", default=None, help="Language of labels (default: the instrument's first).")
@click.option(
    "--delimiter",
    default="comma",
    type=click.Choice(list(DELIMITERS)),
    help="Separator of --format csv (csv-de always uses semicolons and decimal commas).",
)
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def export_command(
    chosen: WorkshopOptions,
    file_format: str,
    lang: str | None,
    delimiter: str,
    output: Path,
) -> None:
    """Export the responses of workshops or a series: one row per response, with a codebook.

    Formats: csv, csv-de (Excel with German settings), xlsx, json, sav (SPSS), dta (Stata).
    """
    with read_transaction(db.session):  # no write lock while reading every answer
        try:
            selection = chosen.select(db.session())
            export = build_export(list(selection.workshops), file_format, lang, delimiter)
        except (SelectionError, ExportError) as exc:
            raise click.UsageError(str(exc)) from None
    output.write_bytes(export.content)
    target = chosen.describe()
    with write_transaction(db.session):
        record("export", target, format=file_format, file=str(output))
    click.echo(f"wrote {output} ({len(export.content)} bytes)")
