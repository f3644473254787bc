"""Every route, as every kind of visitor, with hostile values everywhere: never a 5xx.

Each URL variable in turn, every query argument the app reads (and some it does not),
every form field and a JSON body get numbers past the id range (2**31 on PostgreSQL,
2**63 on SQLite), negative numbers, digits that are not ASCII (``²``, ``①``), words,
very long strings and NUL bytes. Whatever the answer, it is below 500; an answer of
400 or more has written nothing to the database (nothing saved before an error).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import quote

import plotly
import pytest
from sqlalchemy import event

from survey_app.extensions import db

from .conftest import FIXTURES, login

ROLES = ("anonymous", "participant", "viewer", "facilitator", "admin")
#: What hostile visitors type. In URLs ``%00`` stays escaped (a NUL byte once decoded).
HOSTILE = ("2147483648", "9223372036854775808", "-1", "²", "①", "x", "9" * 4000, "%00")
#: Query arguments the app reads, and some that only look like ids or switches.
QUERY_NAMES = (
    "code", "lang", "language", "next", "new", "scope", "group", "question", "q", "state",
    "against", "breakdown", "delimiter", "workshop_id", "series_id", "id", "page", "format",
    "_anchor", "_method", "_external", "_scheme",
)  # fmt: skip
#: Form fields of every form of the app (and of hand-read forms).
FORM_NAMES = (
    "theme", "answer", "state", "retention_days", "label", "keywords", "move", "question",
    "language", "translation", "submission_id", "lang", "consent", "check", "email",
    "password", "next", "level", "name", "expires_days", "title", "description",
    "min_group_size", "time_zone", "slug", "instrument_version_id", "municipality", "date",
    "results_for_participants", "room_min_group_size", "paced", "confirm", "owner",
    "series_id", "user_id", "role", "messages", "recommendations", "q.org_type", "q.members",
    "q.budget", "q.top_needs.1", "q.agreement.heard", "active", "workshop_id", "id",
)  # fmt: skip
LOGOUTS = frozenset({"auth.logout", "account.logout_everywhere"})
WRITES = re.compile(r"\s*(INSERT|UPDATE|DELETE)\b", re.I)
#: Writes an error answer may make: a refused login, or a refused current password, is
#: counted (the login limit).
THROTTLE = re.compile(r"\s*(INSERT INTO|DELETE FROM|UPDATE) login_throttle\b")
COUNTED = {"auth.login": THROTTLE, "account.change_password": THROTTLE}


@pytest.fixture
def world(app, make_workshop, make_user):
    """A series with answers, themes, a token; accounts of each role; a participant."""
    from survey_app.accounts.tokens import issue_api_token
    from survey_app.models import Answer, ApiToken, Theme, User

    app.config["WTF_CSRF_ENABLED"] = False  # the values, not the token, are under test
    workshop = make_workshop(FIXTURES / "all-types.yaml", series="mine")
    viewer_id = make_user("viewer@example.org", "viewer", workshop.series_id, "read")
    make_user("fac@example.org", "facilitator", workshop.series_id, "manage")
    make_user("admin@example.org", "admin")
    participant = app.test_client()
    page = participant.get(f"/j/{workshop.join_code}").get_data(as_text=True)
    submission = re.search(r'name="submission_id" type="hidden" value="([^"]+)"', page).group(1)
    thanks = participant.post(
        f"/j/{workshop.join_code}",
        data={"submission_id": submission, "q.org_type": "other", "q.org_type.other": "Chor",
              "q.top_needs.1": "rooms", "q.agreement.heard": "no", "consent": "yes"},
    ).get_data(as_text=True)  # fmt: skip
    edit_path = re.search(r'<p class="edit-link"><a href="([^"?]+)', thanks).group(1)
    with app.app_context():
        answer_id = db.session.scalars(
            db.select(Answer.id).where(Answer.value_text.is_not(None))
        ).first()
        db.session.add(Theme(series_id=workshop.series_id, label="Singing", keywords="chor"))
        facilitator = db.session.scalar(db.select(User).where(User.email == "fac@example.org"))
        issue_api_token(facilitator, "walk")
        token_id = db.session.scalar(db.select(ApiToken.id))
        db.session.commit()
    _, code, _, submission_id, edit_token = edit_path.strip("/").split("/")
    values = {
        "code": code, "workshop_id": workshop.id, "series_id": workshop.series_id,
        "version": plotly.__version__, "user_id": viewer_id, "file_format": "csv",
        "answer_id": answer_id, "version_id": workshop.instrument_version_id, "key": "0" * 32,
        "token_id": token_id, "submission_id": submission_id, "token": edit_token,
        "batch_id": 1,
        "filename": "staff.css",
    }  # fmt: skip
    return {"values": values, "participant": participant}


def client_for(app, world, role: str):
    """A client of ``role``: logged in for staff, with a submission for the participant."""
    if role == "participant":
        return world["participant"]
    client = app.test_client()
    if role in ("viewer", "facilitator", "admin"):
        email = {"viewer": "viewer", "facilitator": "fac", "admin": "admin"}[role]
        assert login(client, f"{email}@example.org").status_code == 302
    return client


def path_of(rule, values: dict[str, object]) -> str:
    """The rule's path with ``values`` put in (already quoted)."""
    path = rule.rule
    for name in rule.arguments:
        path = re.sub(rf"<(?:\w+:)?{name}>", str(values[name]).replace("\\", "\\\\"), path)
    return path


def in_url(value: str) -> str:
    """``value`` quoted for a URL, ``%00`` left as typed."""
    return value if value == "%00" else quote(value, safe="")


def typed(value: str) -> str:
    """``value`` as a form field carries it (``%00`` as the NUL byte it stands for)."""
    return "\x00" if value == "%00" else value


def requests_for(rule, values: dict[str, object]) -> Iterator[tuple[str, str, dict]]:
    """Every hostile request to ``rule``: (method, URL, keyword arguments of ``open``)."""
    methods = sorted(rule.methods - {"HEAD", "OPTIONS"})
    valid = path_of(rule, values)
    for value in HOSTILE:
        for name in rule.arguments:
            path = path_of(rule, {**values, name: in_url(value)})
            for method in methods:
                yield method, path, {}
        query = "&".join(f"{name}={in_url(value)}" for name in QUERY_NAMES)
        for method in methods:
            yield method, f"{valid}?{query}", {}
            if method == "POST":
                form = dict.fromkeys(FORM_NAMES, typed(value))
                yield method, valid, {"data": form}
                number = (
                    int(value)
                    if value.lstrip("-").isascii() and value.lstrip("-").isdigit()
                    else value
                )
                yield method, valid, {"json": dict.fromkeys(FORM_NAMES, number)}


@contextmanager
def committed_writes(app) -> Iterator[list[str]]:
    """List the INSERT, UPDATE and DELETE statements committed while open."""
    with app.app_context():
        engine = db.engine
    committed: list[str] = []

    def note(connection, cursor, statement, parameters, context, executemany) -> None:  # type: ignore[no-untyped-def]
        if WRITES.match(statement):
            connection.info.setdefault("writes", []).append(statement)

    def commit(connection) -> None:  # type: ignore[no-untyped-def]
        committed.extend(connection.info.pop("writes", []))

    def rollback(connection) -> None:  # type: ignore[no-untyped-def]
        connection.info.pop("writes", None)

    hooks = {"before_cursor_execute": note, "commit": commit, "rollback": rollback}
    for name, hook in hooks.items():
        event.listen(engine, name, hook)
    try:
        yield committed
    finally:
        for name, hook in hooks.items():
            event.remove(engine, name, hook)


def judge(endpoint: str, status: int, committed: list[str], logged) -> str | None:  # type: ignore[no-untyped-def]
    """Say what is wrong with an answer: a 5xx, or an error after a committed write."""
    counted = COUNTED.get(endpoint)
    written = [w for w in committed if not (counted and counted.match(w))]
    if status >= 500:
        error = next((r.exc_text for r in logged if r.exc_text), "").splitlines()[-1:]
        return f"({endpoint}) {status} {error} after writing {written[:2]}"
    if status >= 400 and written:
        return f"({endpoint}) {status} after writing {written[:2]}"
    return None


@pytest.mark.parametrize("role", ROLES)
def test_no_route_answers_hostile_values_with_a_server_error(app, world, role, caplog):
    caplog.set_level(logging.ERROR)
    client = client_for(app, world, role)
    failures = []
    rules = sorted(app.url_map.iter_rules(), key=lambda rule: rule.endpoint in LOGOUTS)
    with committed_writes(app) as committed:
        for rule in rules:
            for method, url, kwargs in requests_for(rule, world["values"]):
                committed.clear()
                caplog.clear()
                answer = client.open(url, method=method, **kwargs)
                failure = judge(rule.endpoint, answer.status_code, committed, caplog.records)
                if failure:
                    failures.append(f"{method} {url[:100]} {str(kwargs)[:60]}: {failure}")
                if rule.endpoint in LOGOUTS and role in ("viewer", "facilitator", "admin"):
                    client = client_for(app, world, role)
    assert not failures, "\n".join(failures)
