"""A demo series with simulated responses, so that a fresh install shows a living system."""

from __future__ import annotations

import random
import secrets
import uuid
from datetime import date, datetime, time, timedelta
from pathlib import Path

from flask import current_app
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from survey_app.accounts.operations import create_user, grant_series_access
from survey_app.definition.model import Instrument
from survey_app.extensions import db
from survey_app.instruments.store import instrument_of, latest_version, store_instrument_file
from survey_app.models import AccessLevel, InstrumentVersion, Role, User, Workshop
from survey_app.questions import question_type
from survey_app.responses.answers import answers_hash, read_answers
from survey_app.responses.operations import submit_response
from survey_app.workshops.operations import (
    close_workshop,
    create_workshop,
    get_or_create_series,
    open_workshop,
)

DEMO_INSTRUMENT = "needs-expectations"
#: The facilitator account the demo creates (its password is printed once).
DEMO_FACILITATOR = "facilitator@example.org"
#: (title, municipality, days after the kick-off, share of all responses, open?)
DEMO_WORKSHOPS = [
    ("Kick-off: Netzwerkkonferenz der Migrantenorganisationen", "Düsseldorf", 0, 0.55, False),
    ("Lokaler Workshop Duisburg", "Duisburg", 21, 0.17, False),
    ("Lokaler Workshop Bielefeld", "Bielefeld", 35, 0.15, False),
    ("Lokaler Workshop Aachen", "Aachen", 49, 0.13, True),
]
SAMPLE_TEXTS = {
    "de": [
        "Verlässliche Förderung über mehrere Jahre statt Projektförderung für zwölf Monate.",
        "Räume für unsere Treffen, die wir uns leisten können.",
        "Eine feste Ansprechperson in der Stadtverwaltung.",
        "Mehr Anerkennung für die ehrenamtliche Arbeit unserer Mitglieder.",
    ],
    "tr": ["Daha fazla mali destek ve kalıcı mekanlar.", "Belediyede bir muhatap kişi."],
    "ar": ["دعم مالي مستدام ومقر دائم لجمعيتنا.", "التواصل المباشر مع البلدية."],
    "en": ["Long-term funding and a contact person in the city administration."],
}


def create_demo(total_responses: int, seed: int) -> list[Workshop]:
    """Create the demo series and its workshops with ``total_responses`` responses."""
    snapshot = _demo_instrument()
    instrument = instrument_of(snapshot)
    series = get_or_create_series(
        "demo-2026", "Bedarfe und Erwartungen von Migrantenorganisationen 2026"
    )
    rng = random.Random(seed)
    start = date.today() - timedelta(days=60)
    workshops = []
    for title, municipality, offset, share, stays_open in DEMO_WORKSHOPS:
        workshop = create_workshop(
            snapshot, title, series, municipality, start + timedelta(days=offset)
        )
        open_workshop(workshop)
        opening = datetime.combine(workshop.date or start, time(10, 0))
        for _ in range(round(total_responses * share)):
            arrival = opening + timedelta(minutes=rng.triangular(0, 90, 25))
            _simulate_response(workshop, instrument, rng, arrival)
        if not stays_open:
            close_workshop(workshop)
        workshops.append(workshop)
    return workshops


def create_demo_facilitator(series_id: int | None) -> str | None:
    """Create the demo facilitator for the demo series; return its new password."""
    if db.session.scalar(select(User.id).filter_by(email=DEMO_FACILITATOR)) is not None:
        return None
    password = secrets.token_urlsafe(12)
    user = create_user(DEMO_FACILITATOR, password, Role.facilitator, "Demo facilitator")
    if series_id is not None:
        grant_series_access(user, series_id, AccessLevel.manage)
    return password


def _demo_instrument() -> InstrumentVersion:
    snapshot = latest_version(DEMO_INSTRUMENT)
    if snapshot is None:
        path = Path(current_app.config["INSTRUMENTS_PATH"]) / f"{DEMO_INSTRUMENT}.yaml"
        snapshot, _ = store_instrument_file(str(path))
    return snapshot


def _simulate_response(
    workshop: Workshop, instrument: Instrument, rng: random.Random, arrival: datetime
) -> None:
    language = rng.choices(
        instrument.languages, weights=[70, 8, 12, 10][: len(instrument.languages)]
    )[0]
    form = simulated_form(instrument, language, rng)
    answers = read_answers(instrument, form)
    submit_response(
        workshop, str(uuid.UUID(int=rng.getrandbits(128))), language, True,
        answers.rows, answers_hash(answers.rows), arrival,
    )  # fmt: skip


def simulated_form(
    instrument: Instrument, language: str, rng: random.Random
) -> MultiDict[str, str]:
    """Return a plausible filled-in form: skewed choices, some questions skipped."""
    form: MultiDict[str, str] = MultiDict()
    texts = SAMPLE_TEXTS.get(language) or SAMPLE_TEXTS["en"]
    for question in instrument.questions():
        if not question.required and rng.random() < 0.12:
            continue
        for name, value in question_type(question.type).simulated_fields(question, rng, texts):
            form.add(name, value)
    return form
