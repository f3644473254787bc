"""``survey-app briefing build`` and ``verify``: PDF briefings from the shell, and checks."""

from __future__ import annotations

import os
import time
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from survey_app.briefing.build import BriefingOptions, build_docx, get_briefing, template_path
from survey_app.briefing.charts import ChartExportError
from survey_app.briefing.context import BriefingError, BriefingScope, briefing_scope
from survey_app.briefing.records import record_briefing
from survey_app.briefing.render import DEFAULT_TEMPLATE, BriefingTemplateError
from survey_app.briefing.texts import BriefingTextsError, available_languages
from survey_app.briefing.verify import Verdict, verify_briefing
from survey_app.database import read_transaction, write_transaction
from survey_app.extensions import db
from survey_app.i18n import match_language
from survey_app.models.briefing import COMMAND_LINE
from survey_app.results import ResultSettings
from survey_app.results.selection import SelectionError, WorkshopOptions, workshop_options

#: What makes a build fail with a message instead of a traceback.
EXPECTED_ERRORS = (
    BriefingError,
    BriefingTemplateError,
    BriefingTextsError,
    ChartExportError,
    SelectionError,
)


@click.group("briefing")
def briefing_group() -> None:
    """Build PDF briefings and check them against the data."""


@briefing_group.command("build")
@workshop_options
@click.option("--lang", "language", default=None, help="Language (default: the questionnaire's).")
@click.option("--template", default=DEFAULT_TEMPLATE, show_default=True, help="Folder in reports/.")
@click.option("--breakdown", default=None, help="Add results by a breakdown question (its key).")
@click.option("--tables-only", is_flag=True, help="No charts (needs no browser).")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, writable=True))
@with_appcontext
def build_command(
    chosen: WorkshopOptions,
    language: str | None,
    template: str,
    breakdown: str | None,
    tables_only: bool,
    output: str,
) -> None:
    """Build the briefing of some workshops or of a series into a PDF file (or, with
    an output name ending in .docx, an editable Word document of the same parts)."""
    started = time.perf_counter()

    def say(message: str) -> None:
        click.echo(f"briefing: {message}", err=True)

    try:
        # A read transaction: a long build must not hold SQLite's write lock.
        with read_transaction(db.session):
            scope = briefing_scope(chosen.select(db.session()))
            settings = ResultSettings.for_selection(current_app.config, scope)
            options = BriefingOptions(
                _language(language, scope, template), template, breakdown, tables_only
            )
            say(
                f"{len(scope.ids)} workshop(s), {scope.version.key} v{scope.version.version}, "
                f"language {options.language}, template {template}"
            )
            target = Path(output).resolve()
            if target.suffix.lower() == ".docx":  # the editable copy: same parts and numbers
                document = build_docx(db.session(), scope, options, settings)
                _write(target, document)
                say(f"wrote {target} (DOCX, {len(document) // 1024} KB) "
                    f"in {time.perf_counter() - started:.1f} s")  # fmt: skip
                return
            built = get_briefing(
                db.session(),
                scope,
                options,
                settings,
                source=COMMAND_LINE,
                file_path=str(target),
                progress=say,
            )
    except EXPECTED_ERRORS as exc:
        raise click.ClickException(str(exc)) from None
    if not built.cached:
        with write_transaction(db.session):
            record_briefing(db.session(), built.record)
    _write(target, built.pdf)
    state = "from the cache" if built.cached else f"{built.record.pages} pages"
    say(
        f"wrote {target} ({state}, {len(built.pdf) // 1024} KB) "
        f"in {time.perf_counter() - started:.1f} s"
    )


@briefing_group.command("verify")
@click.argument("pdf", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def verify_command(pdf: Path) -> None:
    """Say whether a briefing PDF still matches the data (exit status 1 if not)."""
    try:
        with read_transaction(db.session):
            config = current_app.config
            result = verify_briefing(db.session(), pdf, config, config["SECRET_KEY"])
    except OSError as exc:
        raise click.ClickException(f"cannot read {pdf}: {exc.strerror or exc}") from None
    click.echo(f"{pdf}: {result.message}")
    if result.verdict is not Verdict.matches:
        click.get_current_context().exit(1)


def _language(asked: str | None, scope: BriefingScope, template: str) -> str:
    """Return the language asked for as the template names it (``DE``: ``de``, ``en-GB``:
    ``en``), else the default; an unknown one is refused later, naming those there are."""
    if not asked:
        return _default_language(scope, template)
    return match_language(available_languages(template_path(template)), asked) or asked


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
