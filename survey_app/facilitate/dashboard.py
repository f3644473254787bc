"""Live results: the dashboard, the presenter view and the JSON they poll."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from flask import abort, current_app, jsonify, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response as HttpResponse

from survey_app.accounts.access import Audience, allow, workshop_and_level
from survey_app.definition.model import Instrument, Question, text_in
from survey_app.extensions import db
from survey_app.facilitate.views import blueprint
from survey_app.i18n import choose_language
from survey_app.instruments.store import instrument_by_id
from survey_app.models import DEFAULT_TIME_ZONE, AccessLevel, Workshop
from survey_app.questions import question_type, summary_table
from survey_app.results import ResultSettings
from survey_app.results.deciding import RETRY_AFTER, pending_decision
from survey_app.results.display import web_writer
from survey_app.results.figures import arrivals_figure, figure_for
from survey_app.results.scoped import closed_data_version, data_version, summarize_selection
from survey_app.results.selection import Selection, select_workshops
from survey_app.results.wall import WALL_SIZE, approved_texts, review_version, word_cloud
from survey_app.security import allow_chart_styles
from survey_app.workshops.joining import join_url, qr_svg
from survey_app.workshops.queries import version_warning

#: How often the pages ask for new results, in milliseconds.
POLL_INTERVAL_MS = 4000


@dataclass(frozen=True)
class Screen:
    """What one live screen shows: which workshops, in which language, with which k."""

    workshop: Workshop
    instrument: Instrument
    selection: Selection
    group: tuple[str, str] | None
    language: str
    settings: ResultSettings

    @property
    def time_zone(self) -> str:
        """The IANA zone in which times are shown: the series', else the default."""
        series = self.workshop.series
        return series.time_zone if series is not None else DEFAULT_TIME_ZONE

    @property
    def threshold(self) -> str:
        """Say which groups this screen leaves out (shown, so that the room knows)."""
        return _(
            "Groups smaller than %(k)d are not shown on this screen.",
            k=self.settings.min_group_size,
        )


@blueprint.get("/workshops/<int:workshop_id>/live")
@allow(Audience.account)
def live(workshop_id: int) -> str:
    """Show the live dashboard of a workshop (or of its whole series)."""
    screen = _screen(workshop_id)
    workshop, instrument = screen.workshop, screen.instrument
    published = ResultSettings.published(current_app.config, workshop.series).min_group_size
    allow_chart_styles()
    return render_template(
        "facilitate/live.html",
        workshop=workshop,
        instrument=instrument,
        questions=_answerable(instrument),
        language=screen.language,
        groups=_breakdown_groups(instrument, screen.language),
        poll_ms=POLL_INTERVAL_MS,
        versions=version_warning(workshop.series.workshops) if workshop.series else None,
        threshold=screen.threshold,
        published_k=published if screen.settings.room else None,
    )


@blueprint.get("/workshops/<int:workshop_id>/present")
@allow(Audience.account)
def present(workshop_id: int) -> str:
    """Show the presenter view: big type, one question at a time, the join QR code."""
    screen = _screen(workshop_id)
    allow_chart_styles()
    url = join_url(screen.workshop)
    # a paced room follows the slides of those who run it (the room's own screen)
    paces = screen.workshop.paced and screen.settings.room
    return render_template(
        "facilitate/present.html",
        pace_url=url_for(".pace", workshop_id=workshop_id) if paces else None,
        pace_state_url=url_for(".pace_json", workshop_id=workshop_id) if paces else None,
        workshop=screen.workshop,
        instrument=screen.instrument,
        questions=_answerable(screen.instrument),
        language=screen.language,
        url=url,
        qr=qr_svg(url, scale=5, fluid=True),
        poll_ms=POLL_INTERVAL_MS,
        threshold=screen.threshold,
    )


@blueprint.get("/workshops/<int:workshop_id>/results.json")
@allow(Audience.account)
def results_json(workshop_id: int) -> HttpResponse:
    """Return figures and tables; 304 while nothing changed (ETag over the data)."""
    screen = _screen(workshop_id)
    selection, settings = screen.selection, screen.settings
    k = settings.min_group_size
    etag = "-".join(
        [
            _watched_version(screen),
            review_version(db.session, selection.ids) if _wall_keys(screen) else "",
            "s" if selection.series is not None else "w",
            str(screen.group),
            screen.language,
            f"{k}{'r' if settings.room else 'p'}",
        ]
    )
    if etag in request.if_none_match:
        response = HttpResponse(status=304)
        response.set_etag(etag)
        return response
    if pending_decision(selection, settings) is not None:  # decided in the background
        preparing = jsonify({"preparing": True, "retry_after": RETRY_AFTER})
        preparing.status_code = 202
        preparing.headers["Cache-Control"] = "private, no-store"
        preparing.headers["Retry-After"] = str(RETRY_AFTER)
        return preparing
    summary = summarize_selection(selection, settings)
    response = HttpResponse(mimetype="application/json")
    response.set_data(_payload(summary, screen))
    response.set_etag(etag)
    response.headers["Cache-Control"] = "private, no-cache"
    return response


def _watched_version(screen: Screen) -> str:
    """Return the version of the data the screen's results depend on (its ETag's part).

    The room's screen: its workshop's responses. Published results: the responses of
    every closed workshop of the series, and which those are (a workshop closing
    changes the series' results and the protection of every workshop in it).
    """
    if not screen.settings.closed_only:
        return data_version(screen.selection.ids)
    return closed_data_version(screen.workshop.series_id, screen.selection.ids)


def _screen(workshop_id: int) -> Screen:
    """Return what the request asks a live screen of the workshop to show, and with which k.

    The room's own k only for accounts that manage the workshop's series (its
    facilitators and admins) looking at the workshop alone; published k otherwise.
    Costs no query beyond loading the workshop with its series and the access check.
    """
    workshop, level = workshop_and_level(workshop_id)
    # By id: reads the version's hash, not its whole text (polled every few seconds).
    instrument = instrument_by_id(workshop.instrument_version_id)
    group = _group_argument(instrument)
    if request.args.get("scope") == "series" and workshop.series_id is not None:
        selection = select_workshops(db.session, series=workshop.series_id, group=group)
    else:
        selection = select_workshops(db.session, workshop_ids=[workshop.id], group=group)
    settings = ResultSettings.for_screen(
        current_app.config, selection, workshop, in_room=level is AccessLevel.manage
    )
    language = choose_language(instrument.languages, request.args.get("lang"))
    return Screen(workshop, instrument, selection, group, language, settings)


def _payload(summary: dict[str, Any], screen: Screen) -> str:
    language, k = screen.language, screen.settings.min_group_size
    writer = web_writer(language, k)
    # published results of workshops all still open: nothing yet, which is no "0 answers"
    waiting = bool(summary.get("open_workshops")) and not summary.get("n_responses")
    walls = _walls(screen)
    questions = []
    for question in summary["questions"]:
        table = summary_table(question, writer)
        questions.append(
            {
                "key": question["key"],
                "figure": figure_for(question, language, k),
                "table": render_template(
                    "facilitate/_summary_table.html",
                    q=question,
                    table=table,
                    k=k,
                    waiting=waiting,
                ),
                "wall": walls.get(question["key"], ""),
            }
        )
    body = {
        # A breakdown group too small to show (or hidden to protect one) has no size.
        "n_responses": "–" if waiting else summary.get("n_responses", "–"),
        "arrivals": arrivals_figure(summary.get("arrivals", []), language, screen.time_zone),
        "questions": questions,
        "min_group_size": k,
        "threshold": " ".join([screen.threshold, *_still_open(summary, screen)]),
    }
    return json.dumps(body, ensure_ascii=False, separators=(",", ":"))


def _still_open(summary: dict[str, Any], screen: Screen) -> list[str]:
    """Name the workshops these published results leave out until they close."""
    waiting = set(summary.get("open_workshops", ()))
    titles = [w.title for w in screen.selection.workshops if w.id in waiting]
    if not titles:
        return []
    return [_("Not included until closed (still open): %(titles)s.", titles=", ".join(titles))]


def _wall_keys(screen: Screen) -> list[str]:
    """Return the free-text questions whose wall this screen shows.

    Only the room's own screen (its facilitators, the whole workshop or series, no
    breakdown group: a group's approved answers would say who wrote them).
    """
    if not screen.settings.room or screen.group is not None:
        return []
    return [q.key for q in screen.instrument.questions() if question_type(q.type).free_text]


def _walls(screen: Screen) -> dict[str, str]:
    """Return ``{question key: HTML}`` of each wall: approved answers and their word cloud."""
    keys = _wall_keys(screen)
    if not keys:
        return {}
    texts = approved_texts(db.session, screen.selection.ids, keys)
    k = screen.settings.min_group_size
    return {
        key: render_template(
            "facilitate/_wall.html",
            texts=texts[key],
            cloud=word_cloud(texts[key], screen.instrument.languages, k),
            k=k,
            wall_size=WALL_SIZE,
        )
        for key in keys
    }


def _answerable(instrument: Instrument) -> list[Question]:
    """Return the questions that have results (participants answer them)."""
    return [q for q in instrument.questions() if question_type(q.type).answerable]


def _breakdown_groups(instrument: Instrument, language: str) -> list[tuple[str, str]]:
    """Return ``("question:option", "Question: Option")`` for every breakdown group."""
    groups = []
    for question in instrument.questions():
        if question.breakdown:
            for option in question.options:
                label = f"{text_in(question.label, language)}: {text_in(option.label, language)}"
                groups.append((f"{question.key}:{option.key}", label))
    return groups


def _group_argument(instrument: Instrument) -> tuple[str, str] | None:
    raw = request.args.get("group", "")
    if not raw:
        return None
    question_key, _, option_key = raw.partition(":")
    try:
        question = instrument.question(question_key)
    except KeyError:
        abort(400)
    if not question.breakdown or option_key not in {o.key for o in question.options}:
        abort(400)
    return (question_key, option_key)
