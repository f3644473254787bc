"""The ``survey-app`` command group (also available as ``flask --app survey_app``)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import FlaskGroup, with_appcontext
from sqlalchemy import select
from sqlalchemy.exc import OperationalError, ProgrammingError

from survey_app import create_app
from survey_app.accounts.cli import announce_setup_link, users_group
from survey_app.briefing.background import build_ahead
from survey_app.briefing.cli import briefing_group
from survey_app.definition.errors import InvalidInstrument
from survey_app.demo import DEMO_FACILITATOR, create_demo, create_demo_facilitator
from survey_app.exports.cli import export_command
from survey_app.extensions import db
from survey_app.ids import MAX_ID
from survey_app.instruments import parse_instrument_file, parse_instrument_text
from survey_app.instruments.cli import transfer_command
from survey_app.instruments.store import latest_version, store_instrument_file
from survey_app.instruments.xlsform import UnreadableXlsform, read_xlsform
from survey_app.jobs import JOBS_AT_START
from survey_app.models import InvalidTransition, Workshop
from survey_app.results.cli import audit_command
from survey_app.serving import gunicorn_arguments
from survey_app.site_settings import public_address
from survey_app.workshops.cli import purge_command, series_group, set_room_k_command
from survey_app.workshops.operations import (
    close_workshop,
    create_workshop,
    get_or_create_series,
    open_workshop,
)
from survey_app.workshops.operations import (
    series_slug as series_slug_of,
)
from survey_app.workshops.thresholds import ThresholdError


@click.command("init")
@with_appcontext
def init_command() -> None:
    """Create or upgrade the database and load the instruments folder."""
    from survey_app.migrate import upgrade_database

    upgrade_database()
    click.echo(f"Database ready: {_safe_url()}")
    folder = Path(current_app.config["INSTRUMENTS_PATH"])
    if folder.is_dir():
        files = sorted(str(p) for p in folder.glob("*.yaml")) + sorted(
            str(p) for p in folder.glob("*.yml")
        )
        _load_files(files)
    else:
        click.echo(
            f"No instruments folder at {folder}; load files with `survey-app instruments load`."
        )
    announce_setup_link(_base_url())


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option(
    "--workers", default=None, type=int, help="Worker processes (default: 2 x cores + 1)."
)
def serve_command(host: str, port: int, workers: int | None) -> None:
    """Serve the app with gunicorn."""
    count = workers or (os.cpu_count() or 1) * 2 + 1
    arguments = gunicorn_arguments(host, port, count)
    os.environ[JOBS_AT_START] = "1"  # each worker runs its share of background jobs
    click.echo(f"Serving on http://{host}:{port} with {count} workers")
    os.execvp(arguments[0], arguments)


@click.group("instruments")
def instruments_group() -> None:
    """Validate and load questionnaire files; give a questionnaire to a series."""


@instruments_group.command("validate")
@click.argument("paths", nargs=-1, required=True, type=click.Path(dir_okay=False))
def validate_command(paths: tuple[str, ...]) -> None:
    """Check files; print FILE:LINE errors and exit 1 if any is invalid."""
    failed = False
    for path in paths:
        try:
            instrument, _ = parse_instrument_file(path)
        except InvalidInstrument as exc:
            failed = True
            for problem in exc.problems:
                click.echo(str(problem), err=True)
            continue
        count = sum(1 for _ in instrument.questions())
        languages = ", ".join(instrument.languages)
        summary = f"{instrument.key} v{instrument.version}, {count} questions, {languages}"
        click.echo(f"{path}: ok ({summary})")
    if failed:
        sys.exit(1)


@instruments_group.command("load")
@click.argument("paths", nargs=-1, required=True, type=click.Path(dir_okay=False))
@with_appcontext
def load_command(paths: tuple[str, ...]) -> None:
    """Check files and snapshot them in the database."""
    if not _load_files(list(paths)):
        sys.exit(1)


@instruments_group.command("import-xlsform")
@click.argument("form", type=click.Path(exists=True, dir_okay=False))
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="YAML file (default: print).")
def import_xlsform_command(form: str, output: str | None) -> None:
    """Convert an XLSForm (ODK / KoboToolbox) into an instrument file; list what was lost."""
    try:
        conversion = read_xlsform(form)
    except UnreadableXlsform as exc:
        click.echo(f"{form}: not a readable XLSForm: {exc}", err=True)
        sys.exit(1)
    for note in conversion.notes:
        click.echo(f"{form}: not converted as is: {note}", err=True)
    text = conversion.yaml
    if output:
        try:
            Path(output).write_text(text, encoding="utf-8")
        except OSError as exc:
            raise click.ClickException(f"cannot write {output}: {exc.strerror or exc}") from None
        click.echo(f"wrote {output}", err=True)
    else:
        click.echo(text)
    try:
        parse_instrument_text(text, output or "<converted>")
    except InvalidInstrument as exc:
        for problem in exc.problems:
            click.echo(str(problem), err=True)
        click.echo("the converted file needs the changes above before it can be loaded", err=True)
        sys.exit(1)


def _load_files(paths: list[str]) -> bool:
    ok = True
    for path in paths:
        try:
            snapshot, created = store_instrument_file(path)
        except InvalidInstrument as exc:
            db.session.rollback()
            ok = False
            for problem in exc.problems:
                click.echo(str(problem), err=True)
            continue
        db.session.commit()
        state = "loaded" if created else "unchanged"
        click.echo(f"{path}: {snapshot.key} v{snapshot.version} {state}")
    return ok


@click.group("workshops")
def workshops_group() -> None:
    """Create, open and close workshops."""


@workshops_group.command("create")
@click.option(
    "--instrument", "instrument_key", required=True, help="Instrument key (newest version)."
)
@click.option("--title", required=True)
@click.option("--series", "series_slug", default=None, help="Series name; created if new.")
@click.option("--municipality", default="")
@click.option("--date", "on", default=None, type=click.DateTime(formats=["%Y-%m-%d"]))
@click.option(
    "--room-k",
    "room_k",
    default=None,
    type=int,
    help="Smallest group shown on the workshop's own screens in the room (2 to the series' k).",
)
@with_appcontext
def create_workshop_command(
    instrument_key: str,
    title: str,
    series_slug: str | None,
    municipality: str,
    on,  # type: ignore[no-untyped-def]
    room_k: int | None,
) -> None:
    """Create a draft workshop; print its id and join code."""
    snapshot = latest_version(instrument_key)
    if snapshot is None:
        raise click.UsageError(
            f"no instrument '{instrument_key}' is loaded; run `survey-app instruments load FILE`"
        )
    series = None
    if series_slug:  # a short name, or a title: "Kick-off Köln" is the series kick-off-koeln
        series = get_or_create_series(series_slug_of(series_slug), title=series_slug)
    try:
        workshop = create_workshop(
            snapshot, title, series, municipality, on.date() if on else None,
            room_min_group_size=room_k,
        )  # fmt: skip
    except ThresholdError as exc:
        raise click.ClickException(str(exc)) from None
    db.session.commit()
    click.echo(f"{workshop.id} {workshop.join_code}")


@workshops_group.command("open")
@click.argument("workshop_id", type=click.IntRange(1, MAX_ID))
@with_appcontext
def open_command(workshop_id: int) -> None:
    """Open a workshop for responses."""
    workshop = _workshop_or_fail(workshop_id)
    try:
        open_workshop(workshop)
    except InvalidTransition as exc:
        raise click.ClickException(str(exc)) from None
    db.session.commit()
    click.echo(f"workshop {workshop.id} is open: {_join_url(workshop)}")


@workshops_group.command("close")
@click.argument("workshop_id", type=click.IntRange(1, MAX_ID))
@with_appcontext
def close_command(workshop_id: int) -> None:
    """Close a workshop; it takes no more responses."""
    workshop = _workshop_or_fail(workshop_id)
    try:
        close_workshop(workshop)
    except InvalidTransition as exc:
        raise click.ClickException(str(exc)) from None
    closed = (workshop.id, workshop.series_id)
    db.session.commit()
    build_ahead(*closed)  # run by the server's job threads
    click.echo(f"workshop {closed[0]} is closed")


@click.command("demo")
@click.option("--responses", default=300, show_default=True, help="Simulated responses in all.")
@click.option("--if-empty", is_flag=True, help="Do nothing if any workshop exists.")
@click.option("--seed", default=2026, show_default=True)
@with_appcontext
def demo_command(responses: int, if_empty: bool, seed: int) -> None:
    """Create a demo series (kick-off and three municipal workshops) with responses."""
    if if_empty and db.session.scalar(select(Workshop.id).limit(1)) is not None:
        click.echo("Demo skipped: workshops exist already.")
        for workshop in db.session.scalars(select(Workshop).order_by(Workshop.id)):
            click.echo(f"{workshop.title}: {_join_url(workshop)} ({workshop.state.value})")
        login = f"{_base_url()}/login as {DEMO_FACILITATOR}"
        click.echo(f"Facilitator login: {login} (password printed when it was created;")
        click.echo(f"  set a new one with: survey-app users password --email {DEMO_FACILITATOR})")
        return
    try:
        workshops = create_demo(responses, seed)
    except InvalidInstrument as exc:
        db.session.rollback()
        raise click.ClickException(
            f"{exc}\nThe demo needs its questionnaire: run it in the project folder, set "
            "SURVEY_INSTRUMENTS_PATH to the folder of instrument files, or load "
            "needs-expectations.yaml with `survey-app instruments load FILE`."
        ) from None
    password = create_demo_facilitator(workshops[0].series_id)
    db.session.commit()
    for workshop in workshops:
        click.echo(f"{workshop.title}: {_join_url(workshop)} ({workshop.state.value})")
    if password:
        login = f"{_base_url()}/login  e-mail {DEMO_FACILITATOR}"
        click.echo(f"Facilitator login: {login}  password {password}")


def _workshop_or_fail(workshop_id: int) -> Workshop:
    workshop = db.session.get(Workshop, workshop_id)
    if workshop is None:
        raise click.UsageError(f"there is no workshop {workshop_id}")
    return workshop


def _base_url() -> str:
    return public_address() or "http://127.0.0.1:8000"


def _join_url(workshop: Workshop) -> str:
    return f"{_base_url()}/j/{workshop.join_code}"


def _safe_url() -> str:
    return db.engine.url.render_as_string(hide_password=True)


#: Commands added to the app's CLI (see ``create_app``).
COMMANDS = [
    init_command,
    serve_command,
    instruments_group,
    workshops_group,
    demo_command,
    users_group,
    series_group,
    briefing_group,
    export_command,
    purge_command,
    audit_command,
]


workshops_group.add_command(set_room_k_command)
instruments_group.add_command(transfer_command)


class SurveyCli(FlaskGroup):
    """The command group; a database that is missing its tables or cannot be reached
    is a clear message with what to do, never a traceback."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except (OperationalError, ProgrammingError) as exc:
            raise click.ClickException(database_problem(exc)) from None


def database_problem(exc: OperationalError | ProgrammingError) -> str:
    """Say what is wrong with the database in one line (no SQL, no password)."""
    text = str(exc.orig).strip().splitlines()[0] if exc.orig else type(exc).__name__
    if "no such table" in text or "does not exist" in text:
        return f"the database is not set up ({text}): run `survey-app init` first"
    return f"cannot use the database: {text}"


main = SurveyCli(
    name="survey-app",
    help="Workshop needs-and-expectations surveys.",
    create_app=create_app,
    add_default_commands=False,
    add_version_option=False,
)


if __name__ == "__main__":
    main()
