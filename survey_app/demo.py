"""A demo series with simulated responses, so that a fresh install shows a living system."""

from __future__ import annotations

import itertools
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
from survey_app.models import (
    AccessLevel,
    Answer,
    AnswerTheme,
    InstrumentVersion,
    ReviewState,
    Role,
    TextReview,
    Theme,
    User,
    Workshop,
)
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
#: The demo codebook: (theme, keywords in the sample texts' languages).
DEMO_THEMES = [
    ("Verlässliche Förderung", "förderung, destek, دعم, funding"),
    ("Bezahlbare Räume", "räume, mekan, مقر"),
    ("Ansprechperson in der Verwaltung", "ansprechperson, muhatap, البلدية, contact person"),
    ("Anerkennung des Ehrenamts", "anerkennung, ehrenamt"),
]
#: Translations the demo facilitator added to approved quotes in other languages.
DEMO_TRANSLATIONS = {
    "Daha fazla mali destek ve kalıcı mekanlar.": (
        "Mehr finanzielle Unterstützung und dauerhafte Räume."
    ),
    "Belediyede bir muhatap kişi.": "Eine Ansprechperson in der Stadtverwaltung.",
    "دعم مالي مستدام ومقر دائم لجمعيتنا.": (
        "Dauerhafte finanzielle Unterstützung und feste Räume für unseren Verein."
    ),
    "التواصل المباشر مع البلدية.": "Direkter Kontakt zur Stadtverwaltung.",
    "Long-term funding and a contact person in the city administration.": (
        "Langfristige Förderung und eine Ansprechperson in der Stadtverwaltung."
    ),
}
#: Quotes approved per free-text question (the first answer of each sample text).
DEMO_QUOTES_PER_QUESTION = 5


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
    for title, municipality, offset, share, _open in DEMO_WORKSHOPS:
        workshop = create_workshop(
            snapshot, title, series, municipality, start + timedelta(days=offset)
        )
        open_workshop(workshop)
        opening = datetime.combine(workshop.date or start, time(10, 0))
        for _ in range(round(total_responses * share)):
            arrival = opening + timedelta(minutes=rng.triangular(0, 90, 25))
            _simulate_response(workshop, instrument, rng, arrival)
        workshops.append(workshop)
    code_demo_texts(series.id, [w.id for w in workshops])
    for workshop, (*_, stays_open) in zip(workshops, DEMO_WORKSHOPS, strict=True):
        if not stays_open:
            close_workshop(workshop)
            # closed the evening of its day, as a real workshop would be
            evening = datetime.combine(workshop.date or start, time(18, 0))
            workshop.closed_at = workshop.first_closed_at = evening
    return workshops


def code_demo_texts(series_id: int, workshop_ids: list[int]) -> None:
    """Code the demo's free-text answers with the demo codebook and approve a few quotes.

    Every answer gets the themes whose keywords it contains (as the moderation page
    suggests them). Per question, ``DEMO_QUOTES_PER_QUESTION`` sample texts are
    approved, in every language and from the workshops in turn, those not in German
    with the facilitator's German translation.
    """
    themes = [Theme(series_id=series_id, label=name, keywords=words) for name, words in DEMO_THEMES]
    db.session.add_all(themes)
    db.session.flush()
    rows = db.session.execute(
        select(Answer.id, Answer.question_key, Answer.value_text, Answer.workshop_id)
        .where(Answer.workshop_id.in_(workshop_ids), Answer.value_text.is_not(None))
        .order_by(Answer.id)
    )
    found: dict[tuple[str, str], dict[int, int]] = {}
    for answer_id, key, text, workshop_id in rows:
        lowered = (text or "").lower()
        db.session.add_all(
            AnswerTheme(answer_id=answer_id, theme_id=theme.id)
            for theme in themes
            if any(word in lowered for word in theme.keyword_list())
        )
        found.setdefault((key, text or ""), {}).setdefault(workshop_id, answer_id)
    keys = list(dict.fromkeys(key for key, _ in found))
    mixed = itertools.zip_longest(*SAMPLE_TEXTS.values())
    samples = [text for row in mixed for text in row if text is not None]
    for index, key in enumerate(keys):
        chosen = [t for t in samples[index:] + samples[:index] if (key, t) in found]
        for turn, text in enumerate(chosen[:DEMO_QUOTES_PER_QUESTION]):
            where = found[(key, text)]
            answer_id = where.get(workshop_ids[turn % len(workshop_ids)]) or min(where.values())
            translation = DEMO_TRANSLATIONS.get(text, "")
            db.session.add(
                TextReview(
                    answer_id=answer_id,
                    state=ReviewState.approved,
                    translation=translation,
                    translation_language="de" if translation else "",
                )
            )
    db.session.flush()


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
