"""The ``survey-app`` commands (DESIGN section 9)."""

from __future__ import annotations

import re
import subprocess
import sys

from sqlalchemy import func, select

from survey_app.extensions import db
from survey_app.models import InstrumentVersion, Response, Series, Workshop, WorkshopState

from .conftest import FIXTURES, INSTRUMENTS, ROOT


def test_init_loads_instruments_and_is_repeatable(app, runner):
    first = runner.invoke(args=["init"])
    assert first.exit_code == 0, first.output
    assert re.search(r"needs-expectations v\d+ loaded", first.output)
    second = runner.invoke(args=["init"])
    assert re.search(r"needs-expectations v\d+ unchanged", second.output)
    with app.app_context():
        keys = set(db.session.scalars(select(InstrumentVersion.key)))
    assert {"needs-expectations", "workshop-feedback"} <= keys


def test_validate_ok_and_errors_with_exit_code(runner, tmp_path):
    ok = runner.invoke(
        args=["instruments", "validate", str(INSTRUMENTS / "needs-expectations.yaml")]
    )
    assert ok.exit_code == 0
    assert re.search(r"needs-expectations v\d+", ok.output)
    broken = tmp_path / "broken.yaml"
    broken.write_text(
        (FIXTURES / "all-types.yaml")
        .read_text()
        .replace("rank: 3", "rank: 9")
        .replace("max: 5", "max: 99")
    )
    result = runner.invoke(args=["instruments", "validate", str(broken)])
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 2
    assert all(
        re.match(rf"{re.escape(str(broken))}:\d+: sections\[\d\]\.questions\[\d+\]\.\w+: ", line)
        for line in lines
    )
    assert "Traceback" not in result.output


def test_changed_file_needs_new_version(app, runner, tmp_path):
    path = tmp_path / "mine.yaml"
    path.write_text((FIXTURES / "all-types.yaml").read_text())
    assert runner.invoke(args=["instruments", "load", str(path)]).exit_code == 0
    path.write_text(path.read_text().replace("Wichtigste Bedarfe", "Die wichtigsten Bedarfe"))
    refused = runner.invoke(args=["instruments", "load", str(path)])
    assert refused.exit_code == 1
    assert "give the changed file a new version number" in refused.output
    path.write_text(path.read_text().replace("version: 1", "version: 2"))
    assert runner.invoke(args=["instruments", "load", str(path)]).exit_code == 0
    with app.app_context():
        versions = db.session.execute(
            select(InstrumentVersion.version, InstrumentVersion.source)
        ).all()
    assert sorted(v for v, _ in versions) == [1, 2]
    assert "Die wichtigsten Bedarfe" not in dict(versions)[1]


def test_workshop_lifecycle_commands(app, runner):
    runner.invoke(args=["init"])
    created = runner.invoke(
        args=["workshops", "create", "--instrument", "needs-expectations", "--title", "Essen",
              "--series", "nrw-2026", "--municipality", "Essen", "--date", "2026-12-01"]
    )  # fmt: skip
    assert created.exit_code == 0, created.output
    workshop_id, code = created.output.split()
    assert re.fullmatch(r"[ACDEFGHJKMNPQRTUVWXY34679]{6}", code)
    assert runner.invoke(args=["workshops", "open", workshop_id]).exit_code == 0
    with app.app_context():
        workshop = db.session.get(Workshop, int(workshop_id))
        assert workshop.state is WorkshopState.open and workshop.series.slug == "nrw-2026"
        assert str(workshop.date) == "2026-12-01"
    assert runner.invoke(args=["workshops", "close", workshop_id]).exit_code == 0
    with app.app_context():
        assert db.session.get(Workshop, int(workshop_id)).state is WorkshopState.closed
    missing = runner.invoke(args=["workshops", "open", "999"])
    assert missing.exit_code == 2 and "there is no workshop 999" in missing.output
    unknown = runner.invoke(args=["workshops", "create", "--instrument", "nope", "--title", "x"])
    assert unknown.exit_code == 2 and "no instrument 'nope' is loaded" in unknown.output


def test_demo_creates_series_with_responses(app, runner):
    runner.invoke(args=["init"])
    result = runner.invoke(args=["demo", "--responses", "60"])
    assert result.exit_code == 0, result.output
    password = re.search(r"e-mail facilitator@example.org  password (\S+)", result.output).group(1)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Series)) == 1
        workshops = db.session.scalars(select(Workshop)).all()
        assert len(workshops) == 4
        assert {w.state for w in workshops} == {WorkshopState.open, WorkshopState.closed}
        assert db.session.scalar(select(func.count()).select_from(Response)) == 60
    again = runner.invoke(args=["demo", "--if-empty"])
    assert (
        "Demo skipped" in again.output
        and "password" not in again.output.split("login")[1].split("(")[0]
    )
    from .conftest import login

    client = app.test_client()
    assert login(client, "facilitator@example.org", password).status_code == 302
    assert client.get("/workshops").status_code == 200
    assert "Lokaler Workshop Aachen" in client.get("/workshops").get_data(as_text=True)


def test_demo_without_its_questionnaire_says_what_to_do(app, runner, tmp_path):
    app.config["INSTRUMENTS_PATH"] = str(tmp_path / "elsewhere")
    result = runner.invoke(args=["demo", "--responses", "10"])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit), result.output
    assert "needs-expectations.yaml" in result.output and "SURVEY_INSTRUMENTS_PATH" in result.output
    assert "Traceback" not in result.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Workshop)) == 0


def test_console_script_validates(tmp_path):
    """The installed ``survey-app`` entry point runs and sets the exit code."""
    broken = tmp_path / "b.yaml"
    broken.write_text("format: 1\nkey: Bad\n")
    script = ROOT / ".venv" / "bin" / "survey-app"
    command = [str(script)] if script.exists() else [sys.executable, "-m", "survey_app.cli"]
    env = {"SURVEY_INSTANCE_PATH": str(tmp_path / "instance"), "PATH": "/usr/bin:/bin"}
    result = subprocess.run(
        [*command, "instruments", "validate", str(broken)], capture_output=True, text=True, env=env
    )
    assert result.returncode == 1
    assert f"{broken}:2: key: must be a key" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_database_without_tables_is_a_message_not_a_traceback(tmp_path):
    """Any command on a database that `init` never set up says to run it."""
    script = ROOT / ".venv" / "bin" / "survey-app"
    command = [str(script)] if script.exists() else [sys.executable, "-m", "survey_app.cli"]
    env = {
        "SURVEY_INSTANCE_PATH": str(tmp_path / "instance"),
        "SURVEY_DATABASE_URL": f"sqlite:///{tmp_path / 'empty.db'}",
        "PATH": "/usr/bin:/bin",
    }
    for args in (["briefing", "build", "--series", "x", "-o", str(tmp_path / "b.pdf")],
                 ["workshops", "open", "1"]):  # fmt: skip
        result = subprocess.run([*command, *args], capture_output=True, text=True, env=env)
        assert result.returncode == 1, result.stderr
        assert "run `survey-app init` first" in result.stderr
        assert "Traceback" not in result.stderr and "SELECT" not in result.stderr


def test_a_series_named_by_its_title_gets_a_short_name(app, runner, tmp_path):
    """`--series "Kick-off Köln 2026"` makes the series kick-off-koeln-2026 with that title,
    and the export finds it by its short name."""

    assert (
        runner.invoke(args=["instruments", "load", str(FIXTURES / "free-text.yaml")]).exit_code == 0
    )
    for _ in range(2):  # the second time, the same series
        made = runner.invoke(
            args=["workshops", "create", "--instrument", "free-text", "--title", "W",
                  "--series", "Kick-off Köln 2026"]
        )  # fmt: skip
        assert made.exit_code == 0, made.output
    with app.app_context():
        series = db.session.scalars(select(Series)).all()
        assert [(s.slug, s.title, len(s.workshops)) for s in series] == [
            ("kick-off-koeln-2026", "Kick-off Köln 2026", 2)
        ]
    target = tmp_path / "out.json"
    exported = runner.invoke(
        args=["export", "--series", "kick-off-koeln-2026", "--format", "json", "-o", str(target)]
    )
    assert exported.exit_code == 0, exported.output


def test_make_run_prints_links_with_the_port_it_serves_on():
    """`make run PORT=8102`: the demo's join links, the first admin's setup link (found:
    it pointed to port 8000) and the server agree on the port."""
    planned = subprocess.run(
        ["make", "-n", "run", "PORT=8102"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    [init] = [line for line in planned.splitlines() if "survey-app init" in line]
    [demo] = [line for line in planned.splitlines() if "survey-app demo" in line]
    [serve] = [line for line in planned.splitlines() if "survey-app serve" in line]
    assert "http://127.0.0.1:8102" in demo and "--port 8102" in serve
    assert "http://127.0.0.1:8102" in init
