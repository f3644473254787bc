"""``survey-app briefing build``: a PDF briefing of workshops or a series, from the shell."""

from __future__ import annotations

import os
import time
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from survey_app.briefing.build import BriefingOptions, get_briefing, reading, template_path
from survey_app.briefing.charts import ChartExportError
from survey_app.briefing.context import (
    BriefingError,
    BriefingScope,
    series_scope,
    workshops_scope,
)
from survey_app.briefing.records import record_briefing
from survey_app.briefing.render import DEFAULT_TEMPLATE, BriefingTemplateError
from survey_app.briefing.texts import BriefingTextsError, available_languages
from survey_app.extensions import db
from survey_app.facilitate.queries import series_by_reference
from survey_app.models.briefing import COMMAND_LINE

#: What makes a build fail with a message instead of a traceback.
EXPECTED_ERRORS = (BriefingError, BriefingTemplateError, BriefingTextsError, ChartExportError)


@click.group("briefing")
def briefing_group() -> None:
    """Build PDF briefings."""


@briefing_group.command("build")
@click.option(
    "--workshop",
    "workshops",
    multiple=True,
    help="Workshop id (repeat, or separate with commas, for several).",
)
@click.option("--series", "series_ref", default=None, help="Series slug or id.")
@click.option("--lang", "language", default=None, help="Language (default: the questionnaire's).")
@click.option("--template", default=DEFAULT_TEMPLATE, show_default=True, help="Folder in reports/.")
@click.option("--breakdown", default=None, help="Add results by a breakdown question (its key).")
@click.option("--tables-only", is_flag=True, help="No charts (needs no browser).")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, writable=True))
@with_appcontext
def build_command(
    workshops: tuple[str, ...],
    series_ref: str | None,
    language: str | None,
    template: str,
    breakdown: str | None,
    tables_only: bool,
    output: str,
) -> None:
    """Build the briefing of some workshops or of a series into a PDF file."""
    started = time.perf_counter()

    def say(message: str) -> None:
        click.echo(f"briefing: {message}", err=True)

    # current_app is typed as the app itself; at run time it is a proxy to it.
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    db.session.rollback()  # read in a read transaction (see ``reading``), not a write one
    try:
        with reading(app):
            scope = _scope(workshops, series_ref)
            options = BriefingOptions(
                language or _default_language(scope, template), template, breakdown, tables_only
            )
            say(
                f"{len(scope.ids)} workshop(s), {scope.version.key} v{scope.version.version}, "
                f"language {options.language}, template {template}"
            )
            target = Path(output).resolve()
            built = get_briefing(
                db.session(),
                scope,
                options,
                source=COMMAND_LINE,
                file_path=str(target),
                progress=say,
            )
    except EXPECTED_ERRORS as exc:
        raise click.ClickException(str(exc)) from None
    if not built.cached:
        db.session.rollback()  # end the reading transaction; record in a short one
        record_briefing(db.session(), built.record)
        db.session.commit()
    _write(target, built.pdf)
    state = "from the cache" if built.cached else f"{built.record.pages} pages"
    say(
        f"wrote {target} ({state}, {len(built.pdf) // 1024} KB) "
        f"in {time.perf_counter() - started:.1f} s"
    )


def _scope(workshops: tuple[str, ...], series_ref: str | None) -> BriefingScope:
    ids = [part.strip() for value in workshops for part in value.split(",") if part.strip()]
    if bool(ids) == bool(series_ref):
        raise click.UsageError("give either --workshop ID (one or more) or --series SLUG")
    if series_ref:
        series = series_by_reference(series_ref)
        if series is None:
            raise BriefingError(f"there is no series '{series_ref}'")
        return series_scope(db.session(), series)
    if not all(value.isdigit() for value in ids):
        raise click.UsageError("--workshop takes workshop ids (numbers)")
    return workshops_scope(db.session(), [int(value) for value in ids])


def _default_language(scope: BriefingScope, template: str) -> str:
    """Return the questionnaire's first language the template has texts for, else English."""
    available = available_languages(template_path(template))
    for language in (*scope.instrument.languages, "en"):
        if language in available:
            return language
    return available[0]


def _write(target: Path, pdf: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    temporary.write_bytes(pdf)
    temporary.replace(target)
