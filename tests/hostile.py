"""A workshop world in which every text anybody controls is a hostile payload.

The corpus (tests/fixtures/hostile-input.json) goes into everything an instrument
author (questionnaire title, descriptions, labels, help, option and item labels,
units, info text, consent), a facilitator (series titles, workshop titles, places,
theme names and keywords) and participants (free text, "other" text, numbers)
control. Used by tests/test_hostile_input.py and tests/test_hostile_pages.py.
"""

from __future__ import annotations

import itertools
import json
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from flask import Flask
from werkzeug.datastructures import MultiDict

from survey_app import create_app
from survey_app.extensions import db

CORPUS_FILE = Path(__file__).resolve().parent / "fixtures" / "hostile-input.json"
FACILITATOR = "fac@example.org"


def corpus() -> list[str]:
    """Every payload of the corpus, in file order."""
    data = json.loads(CORPUS_FILE.read_text(encoding="utf-8"))
    return [payload for key, values in data.items() if key != "about" for payload in values]


def shown(payload: str) -> str:
    """The payload as a page shows it: control characters gone, whitespace collapsed."""
    text = re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]", "", payload)
    return " ".join(text.split())


def hostile_instrument(payloads: list[str]) -> dict:
    """An instrument of every question type whose texts are the payloads (each used once)."""
    texts = iter(itertools.cycle(payloads))

    def options(count: int, prefix: str) -> list[dict[str, str]]:
        return [{"key": f"{prefix}{n}", "label": next(texts)[:500]} for n in range(count)]

    def question(key: str, kind: str, **more: object) -> dict[str, object]:
        return {"key": key, "type": kind, "label": next(texts), "help": next(texts), **more}

    share = len(payloads) // 5
    return {
        "format": 1,
        "key": "hostile",
        "version": 1,
        "languages": ["en"],
        "title": next(texts),
        "description": next(texts),
        "consent": next(texts),
        "sections": [
            {
                "key": "choices",
                "title": next(texts),
                "questions": [
                    question("org", "single_choice", other=True, options=options(share, "o")),
                    question("fields", "multi_choice", other=True, options=options(share, "f")),
                    question("needs", "ranking", rank=3, options=options(share // 2, "n")),
                ],
            },
            {
                "key": "scales",
                "title": next(texts),
                "questions": [
                    question("support", "likert", scale="agree5", items=options(share // 2, "i")),
                    question("members", "number", min=-1000, max=100000, unit=next(texts)),
                    question("overall", "rating", max=5),
                ],
            },
            {
                "key": "words",
                "title": next(texts),
                "questions": [
                    question("wish", "short_text"),
                    question("expectations", "long_text", max_length=5000),
                    {"key": "note", "type": "info", "text": next(texts)},
                ],
            },
        ],
    }


@dataclass
class HostileWorld:
    """The app, its data and a logged-in facilitator client."""

    app: Flask
    payloads: list[str]
    workshop_id: int
    series_id: int
    code: str
    staff: object  # FlaskClient of the facilitator
    #: A closed workshop of the series with the same answers (what is published).
    closed_id: int = 0


def build_world(app: Flask, folder: Path) -> HostileWorld:
    """Load the hostile instrument, create series and workshops, submit hostile answers."""
    from survey_app.accounts.operations import create_user, grant_series_access
    from survey_app.instruments.store import store_instrument_file
    from survey_app.models import AccessLevel, Role, Theme, Workshop
    from survey_app.workshops.operations import (
        close_workshop,
        create_workshop,
        get_or_create_series,
    )
    from survey_app.workshops.operations import open_workshop as open_for_answers

    from .conftest import PASSWORD, login

    payloads = corpus()
    path = folder / "hostile.yaml"
    path.write_text(yaml.safe_dump(hostile_instrument(payloads), allow_unicode=True))
    with app.app_context():
        snapshot, _ = store_instrument_file(str(path))
        main = get_or_create_series("hostile", payloads[-1][:300])
        for number, payload in enumerate(payloads):
            series = main if number % 10 else get_or_create_series(f"s{number}", payload[:300])
            place = payloads[(number + 7) % len(payloads)][:200]
            create_workshop(snapshot, payload[:300], series, place)
        workshop = create_workshop(snapshot, payloads[0], main, payloads[1][:200])
        workshop.results_for_participants = True
        open_for_answers(workshop)
        done = create_workshop(snapshot, payloads[0], main, payloads[1][:200])
        done.results_for_participants = True
        open_for_answers(done)
        for number, payload in enumerate(payloads):
            db.session.add(
                Theme(series_id=main.id, label=f"{number} {payload}"[:200], keywords=payload[:2000])
            )
        user = create_user(FACILITATOR, PASSWORD, Role.facilitator)
        grant_series_access(user, main.id, AccessLevel.manage)
        db.session.commit()
        world_ids = (workshop.id, main.id, workshop.join_code)
        done_id, done_code = done.id, done.join_code
    staff = app.test_client()
    assert login(staff, FACILITATOR).status_code == 302
    world = HostileWorld(app, payloads, *world_ids, staff, done_id)
    published = HostileWorld(app, payloads, done_id, main.id, done_code, staff)
    for number, payload in enumerate(payloads):
        assert submit_hostile(world, number, payload).status_code == 200, number
        assert submit_hostile(published, number, payload).status_code == 200, number
    with app.app_context():  # published results cover closed workshops only
        close_workshop(db.session.get(Workshop, done_id))
        db.session.commit()
    return world


def hostile_answers(number: int, payload: str) -> list[tuple[str, str]]:
    """Valid answers whose free texts are ``payload``."""
    return [
        ("consent", "yes"),
        ("q.org", "other"),
        ("q.org.other", payload[:200]),
        ("q.fields", f"f{number % 5}"),
        ("q.fields", "other"),
        ("q.fields.other", payload[:200]),
        ("q.needs.1", f"n{number % 7}"),
        ("q.support.i0", "agree"),
        ("q.members", str(number - 100)),
        ("q.overall", str(1 + number % 5)),
        ("q.wish", payload[:2000]),
        ("q.expectations", payload),
    ]


def submit_hostile(world: HostileWorld, number: int, payload: str, **replace: str):
    """Post one participant's hostile answers through the form (CSRF token and all)."""
    from .helpers import open_form

    client = world.app.test_client()
    fields = open_form(client, world.code)
    answers = [(k, replace.get(k, v)) for k, v in hostile_answers(number, payload)]
    return client.post(f"/j/{world.code}", data=MultiDict([*fields.items(), *answers]))


@pytest.fixture(scope="session")
def hostile_sqlite(sqlite_template, tmp_path_factory) -> Iterator[HostileWorld]:
    """The hostile world on a fresh SQLite database (built once per test process)."""
    from .conftest import _test_config

    folder = tmp_path_factory.mktemp("hostile")
    shutil.copy(sqlite_template, folder / "survey.sqlite3")
    config = _test_config(f"sqlite:///{folder / 'survey.sqlite3'}", folder / "instance")
    config["BROWSER_PATH"] = shutil.which("chromium") or "/usr/bin/chromium"
    app = create_app(config)
    yield build_world(app, folder)
    with app.app_context():
        db.engine.dispose()
