"""Helpers for driving the participant form over HTTP in tests."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

from flask.testing import FlaskClient

HIDDEN = re.compile(
    r'<input id="(csrf_token|submission_id|lang)" name="\1" type="hidden" value="([^"]*)">'
)


def hidden_fields(html: str) -> dict[str, str]:
    """Return the hidden fields the server put into a form page."""
    return {name: unescape(value) for name, value in HIDDEN.findall(html)}


def open_form(client: FlaskClient, code: str, lang: str | None = None) -> dict[str, str]:
    """GET the questionnaire and return its hidden fields."""
    url = f"/j/{code}" + (f"?lang={lang}" if lang else "")
    page = client.get(url)
    assert page.status_code == 200, page.status_code
    fields = hidden_fields(page.get_data(as_text=True))
    assert set(fields) == {"csrf_token", "submission_id", "lang"}
    return fields


def post_form(
    client: FlaskClient, code: str, fields: dict[str, str], answers: list[tuple[str, str]], **kwargs
):
    """POST the hidden fields plus ``answers`` to the questionnaire."""
    data = [*fields.items(), *answers]
    return client.post(f"/j/{code}", data=_multi(data), **kwargs)


def send_responses(app, code: str, responses: list[list[tuple[str, str]]], lang: str) -> None:  # type: ignore[no-untyped-def]
    """Send each of ``responses`` (answer pairs) from a phone of its own; each must be stored."""
    for answers in responses:
        phone = app.test_client()
        fields = open_form(phone, code, lang)
        answer = post_form(phone, code, fields, answers)
        assert answer.status_code == 200, answer.get_data(as_text=True)[:2000]


def read_statistical_file(content: bytes, suffix: str, folder: Path):  # type: ignore[no-untyped-def]
    """Return pyreadstat's (frame, metadata) of an SPSS (``sav``) or Stata (``dta``) file."""
    import pyreadstat

    path = folder / f"back.{suffix}"
    path.write_bytes(content)
    reader = pyreadstat.read_sav if suffix == "sav" else pyreadstat.read_dta
    return reader(str(path))


def _multi(pairs: list[tuple[str, str]]):
    from werkzeug.datastructures import MultiDict

    return MultiDict(pairs)


#: A valid response to tests/fixtures/all-types.yaml (its required questions and consent).
ALL_TYPES_ANSWERS = [
    ("q.org_type", "culture"),
    ("q.top_needs.1", "funding"),
    ("q.agreement.heard", "no"),
    ("q.members", "33"),
    ("consent", "yes"),
]


def token_of(page: str) -> str:
    """Return the CSRF token of the (first) form in a staff page."""
    found = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', page)
    assert found, "no CSRF token in the page"
    return found.group(1)


def new_api_token(runner, email: str, *options: str) -> str:  # type: ignore[no-untyped-def]
    """Return a new API token of an account, made with ``survey-app users token``."""
    made = runner.invoke(args=["users", "token", "--email", email, *options])
    assert made.exit_code == 0, made.output
    return made.output.strip()


def bearer(token: str) -> dict[str, str]:
    """Return the header that presents ``token``."""
    return {"Authorization": f"Bearer {token}"}
