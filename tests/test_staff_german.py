"""Staff pages in German: no English left on them, dates and numbers as German writes them.

Every staff page (every GET route outside the participants' pages and the API) is opened
by a viewer, a facilitator and an admin with ``Accept-Language: de``, and every form is
sent empty so that its errors show. A word on a German page must come from the German
catalogue, from Babel's German locale data (month names), from WTForms' German messages
or from the data the page shows (titles, e-mails, questionnaire texts): an English word
that was never marked for translation, or marked and not translated yet, fails the test.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Iterator
from html.parser import HTMLParser
from typing import Any

import pytest
import yaml
from babel import Locale
from babel.support import Translations
from sqlalchemy import select
from wtforms.i18n import messages_path

from survey_app.extensions import db
from survey_app.i18n import LANGUAGE_NAMES, local_message
from survey_app.instruments.xlsform import read_xlsform

from .conftest import FIXTURES, ROOT, login
from .staff_strings import catalog_strings, extracted_messages, untranslated
from .test_access_matrix import client_for, url_for_rule
from .test_access_matrix import world as world  # noqa: F401 - the fixture, shared

#: Blueprints of pages that are not staff pages (participants, API, library files).
NOT_STAFF = ("participate.", "api.", "vendor.", "static")
#: Names of formats and products, the same in every language.
NAMES = {"CSV", "PDF", "JSON", "API", "SPSS", "Stata", "XLSForm", "YAML", "QR", "UTC", "DOCX"}
#: Attributes a person reads (the value of buttons, too).
READ_ATTRIBUTES = ("title", "placeholder", "aria-label", "alt", "label")
#: Elements whose text is code or a person's own input, not the interface's words.
NOT_WORDS = {"script", "style", "code", "pre", "kbd", "samp", "textarea"}
WORD = re.compile(r"[^\W\d_]{2,}")
#: Addresses, paths, e-mail addresses and file names: not words of the interface.
NOT_PROSE = re.compile(r"\S*[/@]\S*|[\w.-]+\.(?:yaml|yml|xlsx|csv|json|md|pdf|docx|sav|dta|txt)\b")
ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
ENGLISH_DATE = re.compile(
    r"\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.? \d{1,2}\b"
    r"|\b\d{1,2} (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]* \d{4}\b"
)
#: A number with a decimal point ("4.0"), not part of a German date (05.03.2026).
POINT_DECIMAL = re.compile(r"(?<![\d.])\d+\.\d+(?![\d.])")

#: Pages do not depend on the database: SQLite only.
SQLITE = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


class ReadText(HTMLParser):
    """Collect the texts a person reads on a page: text nodes and read attributes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self.skipping: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for name in READ_ATTRIBUTES:
            if values.get(name):
                self.texts.append(str(values[name]))
        if tag == "input" and values.get("type") in ("submit", "button") and values.get("value"):
            self.texts.append(str(values["value"]))
        if tag in NOT_WORDS:
            self.skipping.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if self.skipping and self.skipping[-1] == tag:
            self.skipping.pop()

    def handle_data(self, data: str) -> None:
        text = " ".join(data.split())
        if text and not self.skipping:
            self.texts.append(text)


def read_texts(html: str) -> list[str]:
    """Return what a person reads on ``html``."""
    reader = ReadText()
    reader.feed(html)
    return reader.texts


def strings_in(value: Any) -> Iterator[str]:
    """Yield every string inside a stored value (JSON columns included)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():  # the keys name fields; no page shows them
            yield from strings_in(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from strings_in(item)


def stored_words(app) -> set[str]:
    """Return the words of everything stored: titles, e-mails, questionnaires, ..."""
    words: set[str] = set()
    with app.app_context():
        for table in db.metadata.sorted_tables:
            for row in db.session.execute(select(table)):
                for value in row:
                    for text in strings_in(value):
                        words.update(WORD.findall(text))
    return words


def german_words() -> set[str]:
    """Return the words German pages may use apart from the data they show."""
    words = set(NAMES)
    for text in catalog_strings("de"):
        words.update(WORD.findall(text))
    wtforms = Translations.load(messages_path(), ["de"], domain="wtforms")
    for message in getattr(wtforms, "_catalog", {}).values():
        words.update(WORD.findall(str(message)))
    locale = Locale.parse("de")
    for names in (locale.months, locale.days):
        for context in names.values():
            for width in context.values():
                for name in width.values():
                    words.update(WORD.findall(name))
    for name in LANGUAGE_NAMES.values():
        words.update(WORD.findall(name))
    from survey_app.facilitate.forms import time_zones

    for zone in time_zones():
        words.update(WORD.findall(zone))
    # the stock answer scales of questionnaires (data, in the questionnaire's languages)
    scales = yaml.safe_load((ROOT / "survey_app" / "questions" / "scales.yaml").read_text())
    for text in strings_in(scales):
        words.update(WORD.findall(text))
    return words


def problems_on(page: str, allowed: set[str]) -> list[str]:
    """Return the English words, ISO or English dates and point decimals on ``page``."""
    found = []
    for text in read_texts(page):
        prose = NOT_PROSE.sub(" ", text)
        english = sorted({word for word in WORD.findall(prose) if word not in allowed})
        if english:
            found.append(f"{' '.join(english)!r} in {text[:80]!r}")
        for pattern in (ISO_DATE, ENGLISH_DATE, POINT_DECIMAL):
            if pattern.search(text):
                found.append(f"{pattern.search(text).group(0)!r} in {text[:80]!r}")
    return found


def staff_rules(app, method: str) -> Iterable[Any]:
    """Yield the staff routes that answer ``method``."""
    for rule in app.url_map.iter_rules():
        if method in (rule.methods or ()) and not rule.endpoint.startswith(NOT_STAFF):
            yield rule


def path_of(rule, world) -> str | None:
    """Return a path of ``rule`` in ``world`` (None for arguments it does not know)."""
    try:
        return url_for_rule(rule, world)
    except KeyError:
        return None


@pytest.fixture
def german_world(app, world, add_responses):
    """The access matrix' world with answers, a closed workshop and an English number."""
    answers = [
        ("q.org_type", "culture"),
        ("q.fields", "youth"),
        ("q.members", "12"),
        ("q.budget", "2500.5"),
        ("q.agreement.heard", "yes"),
        ("q.top_needs.1", "rooms"),
        ("consent", "yes"),
    ]
    add_responses(world["workshop"], [[*answers, ("q.religion_detail", f"Text {n}")]
                                      for n in range(6)])  # fmt: skip
    return world


def html_of(answer) -> str | None:
    """Return the page of ``answer`` if it is a page."""
    if answer.status_code >= 300 or not answer.mimetype == "text/html":
        return None
    return answer.get_data(as_text=True)


@SQLITE
@pytest.mark.parametrize("visitor", ["anonymous", "viewer", "facilitator", "admin"])
def test_every_staff_page_and_form_error_is_german(app, german_world, visitor):
    app.config["WTF_CSRF_ENABLED"] = False
    allowed = german_words() | stored_words(app)
    client = client_for(app, german_world, visitor)
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "de-DE,de;q=0.9,en;q=0.5"
    failures, seen = [], 0
    for method in ("GET", "POST"):
        for rule in staff_rules(app, method):
            if rule.endpoint in ("auth.logout", "account.logout_everywhere"):
                continue
            path = path_of(rule, german_world)
            if path is None:
                continue
            page = html_of(client.open(path, method=method, data={}))
            if page is None:
                continue
            seen += 1
            assert '<html lang="de"' in page, path
            failures += [f"{method} {path}: {problem}" for problem in problems_on(page, allowed)]
    assert seen >= {"anonymous": 1, "viewer": 5, "facilitator": 15, "admin": 20}[visitor]
    assert failures == [], "\n".join(failures)


@SQLITE
def test_a_refused_login_and_a_broken_upload_are_german(app, german_world):
    allowed = german_words() | stored_words(app)
    app.config["WTF_CSRF_ENABLED"] = False
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "de"
    pages = [
        client.post("/login", data={"email": "admin@example.org", "password": "wrong"}),
        client.post("/login", data={"email": "x" * 300, "password": ""}),
    ]
    assert login(client, "admin@example.org").status_code == 302
    broken = {
        "broken.yaml": b"key: [unclosed",
        "no-questions.yaml": b"key: k1\ntitle: {en: T}\nlanguages: [en]\nquestions: []\n",
        "wrong-type.yaml": (FIXTURES / "all-types.yaml")
        .read_bytes()
        .replace(b"type: ", b"type: x", 1),
        "not-a-form.xlsx": b"PK\x03\x04 not really",
        "notes.txt": b"hello",
    }
    for name, content in broken.items():
        pages.append(
            client.post(
                "/instruments/upload",
                data={"file": (io.BytesIO(content), name), "owner": "0"},
                content_type="multipart/form-data",
            )
        )
    failures = []
    for answer in pages:
        page = answer.get_data(as_text=True)
        assert answer.status_code < 500
        failures += problems_on(page, allowed)
    assert failures == [], "\n".join(failures)


def test_every_message_of_the_staff_pages_has_german():
    """Marked strings, even those not merged into the catalogues yet, need German."""
    messages = extracted_messages()
    assert len(messages) > 400 and "E-mail" in messages and "Password" in messages
    missing = untranslated("de", messages)
    assert missing == []


@SQLITE
def test_validator_messages_are_german(app, german_world):
    app.config["WTF_CSRF_ENABLED"] = False
    client = client_for(app, german_world, "admin")
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "de"
    series_id = german_world["workshop"].series_id
    page = client.post(
        f"/series/{series_id}/workshops/new",
        data={
            "title": "",
            "room_min_group_size": "drei",
            "date": "30.11.",
            "municipality": "x" * 300,
        },  # noqa: E501
    ).get_data(as_text=True)
    errors = re.findall(r'<p class="error"[^>]*>([^<]*)</p>', page)
    assert len(errors) == 5
    assert "Dieses Feld wird benötigt." in errors
    assert problems_on(page, german_words() | stored_words(app)) == []
    app.config["WTF_CSRF_ENABLED"] = True  # a form without its token
    refused = client.post("/series/new", data={"title": "Neu"})
    assert refused.status_code == 400
    assert "Bitte gehen Sie zurück" in refused.get_data(as_text=True)


@SQLITE
def test_the_codebook_speaks_the_language_of_the_export(app, german_world):
    client = client_for(app, german_world, "admin")
    workshop_id = german_world["workshop"].id
    labels = {}
    for language in ("de", "ar"):
        exported = client.get(f"/workshops/{workshop_id}/export.json?lang={language}").get_json()
        labels[language] = {entry["column"]: entry["label"] for entry in exported["codebook"]}
    assert labels["de"]["_workshop"] == "Titel des Workshops"
    assert "Europe/Berlin für einen Workshop außerhalb einer Reihe" in labels["de"]["_time_zone"]
    assert labels["ar"]["_workshop"] == "Title of the workshop"  # staff texts: English in ar
    assert list(labels["de"]) == list(labels["ar"])  # the columns stay the columns


@SQLITE
def test_notes_on_a_converted_xlsform_are_german(app, german_world, tmp_path):
    from .test_library import upload
    from .test_xlsform import workbook

    app.config["WTF_CSRF_ENABLED"] = True  # upload() sends the form's token
    client = client_for(app, german_world, "admin")
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "de"
    survey = [
        ["type", "name", "label::Deutsch (de)", "relevant"],
        ["text", "a", "A", ""],
        ["geopoint", "ort", "Ort", ""],
        ["select_one fehlt", "b", "B", ""],
        ["begin_repeat", "r", "R", ""],
        ["integer", "c", "C", "${a} = 'x' or today() > 1"],
        ["end_repeat", "", "", ""],
    ]
    form = workbook(tmp_path / "notes.xlsx", survey, [["list_name", "name", "label::Deutsch (de)"]])
    answer = upload(client, form.read_bytes(), "notes.xlsx")
    assert answer.status_code == 302
    page = client.get(answer.headers["Location"]).get_data(as_text=True)
    flashed = re.findall(r"<p>(Nicht[^<]*|[^<]*weitere[r]? Hinweis[^<]*)</p>", page)
    assert len(flashed) == 4
    in_the_form = {"ort", "fehlt", "geopoint", "today"}
    allowed = german_words() | stored_words(app) | in_the_form
    assert problems_on(page, allowed) == []
    notes = read_xlsform(str(form), "notes.xlsx").notes  # all of them, as a page shows them
    assert len(notes) == 4
    with app.test_request_context(headers={"Accept-Language": "de"}):
        shown = "".join(f"<li>{local_message(note)}</li>" for note in notes)
    assert "nur teilweise übernommen" in shown or "nicht übernommen" in shown
    assert problems_on(shown, allowed) == []
