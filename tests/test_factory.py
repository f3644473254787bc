"""The app factory: configuration, secret key, SQLite settings."""

from __future__ import annotations

from sqlalchemy import text

from survey_app import create_app
from survey_app.extensions import db


def test_config_from_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("SURVEY_DATABASE_URL", f"sqlite:///{tmp_path}/env.sqlite3")
    monkeypatch.setenv("SURVEY_MIN_GROUP_SIZE", "7")
    app = create_app({"INSTANCE_PATH": str(tmp_path / "i")})
    assert app.config["SQLALCHEMY_DATABASE_URI"].endswith("env.sqlite3")
    assert app.config["MIN_GROUP_SIZE"] == 7


def test_secret_key_is_generated_once_into_instance_folder(monkeypatch, tmp_path):
    monkeypatch.delenv("SURVEY_SECRET_KEY", raising=False)
    first = create_app({"INSTANCE_PATH": str(tmp_path)})
    second = create_app({"INSTANCE_PATH": str(tmp_path)})
    assert len(first.config["SECRET_KEY"]) == 64
    assert first.config["SECRET_KEY"] == second.config["SECRET_KEY"]
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_sqlite_runs_in_wal_with_foreign_keys(tmp_path):
    app = create_app(
        {
            "INSTANCE_PATH": str(tmp_path),
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x.sqlite3",
        }
    )
    with app.app_context():
        assert db.session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert db.session.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert db.session.execute(text("PRAGMA busy_timeout")).scalar() == 30000
        db.engine.dispose()


def test_the_database_and_instance_folder_are_this_users_only(tmp_path):
    """The SQLite file, its WAL and the instance folder: no other local user reads them."""
    import os
    import stat

    instance = tmp_path / "instance"
    app = create_app(
        {
            "INSTANCE_PATH": str(instance),
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x.sqlite3",
        }
    )
    with app.app_context():
        db.session.execute(text("CREATE TABLE t (x INTEGER)"))
        db.session.execute(text("INSERT INTO t VALUES (1)"))
        db.session.commit()
        modes = {
            name: stat.S_IMODE(os.stat(tmp_path / name).st_mode)
            for name in ("x.sqlite3", "x.sqlite3-wal", "x.sqlite3-shm")
        }
        db.engine.dispose()
    assert modes == {"x.sqlite3": 0o600, "x.sqlite3-wal": 0o600, "x.sqlite3-shm": 0o600}
    assert stat.S_IMODE(os.stat(instance).st_mode) == 0o700


def test_csrf_is_on_by_default(tmp_path):
    app = create_app({"INSTANCE_PATH": str(tmp_path)})
    assert app.config.get("WTF_CSRF_ENABLED", True) is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True


def test_security_headers_on_pages(client):
    answer = client.get("/j")
    csp = answer.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert answer.headers["X-Content-Type-Options"] == "nosniff"
    assert answer.headers["Referrer-Policy"] == "same-origin"
    assert "Strict-Transport-Security" not in answer.headers
    secure = client.get("/j", base_url="https://survey.example")
    assert secure.headers["Strict-Transport-Security"].startswith("max-age=")


def test_participant_pages_have_no_inline_script_or_style(client, make_workshop):
    workshop = make_workshop("needs-expectations")
    html = client.get(f"/j/{workshop.join_code}").get_data(as_text=True)
    assert "<script>" not in html and "<style" not in html
    assert " style=" not in html and " onclick=" not in html


def test_access_log_keeps_no_edit_secrets_or_addresses():
    from types import SimpleNamespace

    from gunicorn.config import Config

    from survey_app.serving import RedactingLogger, redact

    assert (
        redact("POST /j/ABC123/edit/0b8c2b7e-58e4/deadbeef?lang=de HTTP/1.1")
        == "POST /j/ABC123/edit/…?lang=de HTTP/1.1"
    )
    logger = RedactingLogger(Config())
    request = SimpleNamespace(
        method="GET", path="/j/ABC123/edit/sid/token", query="", version=(1, 1), headers=[]
    )
    response = SimpleNamespace(status="200 OK", sent=10, headers=[])
    environ = {
        "REMOTE_ADDR": "203.0.113.9", "HTTP_USER_AGENT": "Agent/1", "HTTP_REFERER": "http://x/",
        "REQUEST_METHOD": "GET", "RAW_URI": "/j/ABC123/edit/sid/token", "PATH_INFO": "/j/ABC123/edit/sid/token",
        "QUERY_STRING": "", "SERVER_PROTOCOL": "HTTP/1.1",
    }  # fmt: skip
    from datetime import timedelta

    atoms = logger.atoms(response, request, environ, timedelta(milliseconds=5))
    text = " ".join(str(v) for v in atoms.values())
    assert "203.0.113.9" not in text and "Agent/1" not in text and "token" not in text


def test_gunicorn_messages_keep_no_address():
    from survey_app.serving import redact_message

    assert (
        redact_message("Invalid request from ip=203.0.113.9: Invalid HTTP method")
        == "Invalid request from ip=-: Invalid HTTP method"
    )
    assert redact_message("Invalid request from ip=::1: bad") == "Invalid request from ip=-: bad"
    assert (
        redact_message("Error handling request /j/AB/edit/sid/tok")
        == "Error handling request /j/AB/edit/…"
    )
