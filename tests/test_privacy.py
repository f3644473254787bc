"""After a real run, neither the database nor the server's files hold an address or user agent.

Phones (with a distinctive user agent and an X-Forwarded-For address) submit through
the real server; a facilitator fails a login, logs in, exports. Then every byte of
the database (the SQLite file and its WAL, or every row of the PostgreSQL schema)
and of the instance folder with the server log is searched. Response times are
kept to the minute.
"""

from __future__ import annotations

import http.client
import re
import socket
import subprocess
import urllib.parse
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from .support.live_server import BIN, ROOT, LiveServer
from .support.participants import HIDDEN, make_phones
from .test_load import postgres_or_skip

USER_AGENT = "ZebraProbe/9.7 (PrivacyTest; Linux) Quokka"
FORWARDED = "203.0.113.199"
SECRETS = [USER_AGENT, "ZebraProbe", "Quokka", FORWARDED, "203.0.113", "127.0.0.1"]
PASSWORD = "a long and careful password"


def request(server: LiveServer, method: str, path: str, body: str = "", cookie: str = ""):
    """One request as a phone behind a proxy would send it; return (status, cookie, text)."""
    headers = {"User-Agent": USER_AGENT, "X-Forwarded-For": FORWARDED, "X-Real-IP": FORWARDED}
    if body:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    if cookie:
        headers["Cookie"] = cookie
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    try:
        connection.request(method, path, body=body or None, headers=headers)
        answer = connection.getresponse()
        set_cookie = (answer.getheader("Set-Cookie") or "").split(";")[0]
        return answer.status, set_cookie or cookie, answer.read().decode("utf-8", "replace")
    finally:
        connection.close()


def run_everything(server: LiveServer) -> None:
    """Participants submit, a facilitator fails once, logs in, looks and exports."""
    code = server.open_workshop()
    for phone in make_phones(server.port, code, 6, seed=5):
        status, cookie, html = request(server, "GET", f"/j/{code}?lang=de")
        assert status == 200
        body = urllib.parse.urlencode([*HIDDEN.findall(html), ("lang", "de"), *phone.answers])
        assert request(server, "POST", f"/j/{code}", body, cookie)[0] == 200
    with socket.create_connection(("127.0.0.1", server.port), timeout=30) as raw:
        raw.sendall(b"NOT A REQUEST\r\n\r\n")  # gunicorn logs who sent it: not the address
        raw.recv(1024)
    subprocess.run(
        [str(BIN / "survey-app"), "users", "create", "--email", "admin@example.org",
         "--role", "admin", "--password-stdin"],
        input=PASSWORD + "\n", env=server.env, cwd=ROOT, check=True, capture_output=True, text=True,
    )  # fmt: skip
    for password, expected in (("wrong password, sorry", 401), (PASSWORD, 302)):
        status, cookie, html = request(server, "GET", "/login")
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)
        form = {"email": "admin@example.org", "password": password, "csrf_token": token}
        status, cookie, _ = request(server, "POST", "/login", urllib.parse.urlencode(form), cookie)
        assert status == expected
    for path in ("/workshops", "/workshops/1/live", "/workshops/1/results.json",
                 "/workshops/1/export.csv", "/workshops/1/export.xlsx", "/admin/audit"):  # fmt: skip
        assert request(server, "GET", path, cookie=cookie)[0] == 200, path


def database_bytes(server: LiveServer) -> bytes:
    """Every byte the database holds: the SQLite files, or every row of the PG schema."""
    if server.database_url.startswith("sqlite"):
        files = server.instance.glob("survey.sqlite3*")  # the database, its WAL and index
        return b"".join(path.read_bytes() for path in files)
    engine = create_engine(server.database_url)
    try:
        with engine.connect() as connection:
            tables = connection.execute(
                text(
                    "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
                )
            ).scalars()
            rows = [
                row
                for table in list(tables)
                for row in connection.execute(
                    text(f'SELECT CAST(t AS text) FROM "{table}" t')
                ).scalars()
            ]
    finally:
        engine.dispose()
    assert len(rows) > 50
    return "\n".join(rows).encode()


def instance_bytes(instance: Path) -> dict[str, bytes]:
    """Every other file of the instance folder (server log, caches), by name."""
    return {
        path.name: path.read_bytes()
        for path in instance.rglob("*")
        if path.is_file() and not path.name.startswith("survey.sqlite3")
    }


def minute_only(server: LiveServer) -> list[tuple]:
    """Return response times that carry seconds (there must be none)."""
    engine = create_engine(server.database_url)
    try:
        with engine.connect() as connection:
            times = connection.execute(text("SELECT submitted_at, updated_at FROM response")).all()
    finally:
        engine.dispose()
    assert len(times) == 6
    return [row for row in times for t in row if t is not None and str(t)[17:19] not in ("", "00")]


@pytest.mark.parametrize("database", ["sqlite", "postgresql"])
def test_no_address_or_user_agent_anywhere_after_a_real_run(database, live_servers):
    if database == "postgresql":
        postgres_or_skip()
    with live_servers(database, workers=2) as server:
        run_everything(server)
        server.stop()  # every log line written
        stored = database_bytes(server)
        files = instance_bytes(server.instance)
        assert minute_only(server) == []
    log = files["server.log"].decode()
    assert "GET /workshops/1/export.csv" in log  # the access log was written
    assert "Invalid request from ip=-" in log  # and gunicorn's own warning, without address
    # The server names its own listening address when it starts; nothing else may.
    startup = re.compile(r"(Serving on|Listening at:) http://127\.0\.0\.1:\d+")
    files["server.log"] = startup.sub("", log).encode()
    found = {
        (where, secret)
        for where, content in [("database", stored), *files.items()]
        for secret in SECRETS
        if secret.encode() in content
    }
    assert found == set()


def test_account_link_tokens_are_cut_out_of_log_lines():
    from survey_app.serving import redact

    for path in ("/setup/", "/invitation/", "/password/reset/"):
        line = f'"POST {path}Okx9xxlO-PcS4_Zq?lang=de HTTP/1.1" 302'
        assert redact(line) == f'"POST {path}…?lang=de HTTP/1.1" 302'
