"""Live results: the dashboard, the presenter view and the JSON they poll."""

from __future__ import annotations

import json
from typing import Any

from flask import abort, current_app, render_template, request
from werkzeug.wrappers import Response as HttpResponse

from survey_app.accounts.access import Audience, allow, workshop_with_access
from survey_app.definition.model import Instrument, Question, text_in
from survey_app.extensions import db
from survey_app.facilitate.views import blueprint
from survey_app.i18n import choose_language
from survey_app.instruments.store import instrument_by_id
from survey_app.models import Workshop
from survey_app.questions import question_type, summary_table
from survey_app.results import ResultSettings
from survey_app.results.display import web_writer
from survey_app.results.figures import arrivals_figure, figure_for
from survey_app.results.scoped import data_version, summarize_selection
from survey_app.results.selection import select_workshops
from survey_app.security import allow_chart_styles
from survey_app.workshops.joining import join_url, qr_svg
from survey_app.workshops.queries import version_warning

#: How often the pages ask for new results, in milliseconds.
POLL_INTERVAL_MS = 4000


@blueprint.get("/workshops/<int:workshop_id>/live")
@allow(Audience.account)
def live(workshop_id: int) -> str:
    """Show the live dashboard of a workshop (or of its whole series)."""
    workshop, instrument = _readable(workshop_id)
    allow_chart_styles()
    return render_template(
        "facilitate/live.html",
        workshop=workshop,
        instrument=instrument,
        questions=_answerable(instrument),
        language=_language(instrument),
        groups=_breakdown_groups(instrument, _language(instrument)),
        poll_ms=POLL_INTERVAL_MS,
        versions=version_warning(workshop.series.workshops) if workshop.series else None,
    )


@blueprint.get("/workshops/<int:workshop_id>/present")
@allow(Audience.account)
def present(workshop_id: int) -> str:
    """Show the presenter view: big type, one question at a time, the join QR code."""
    workshop, instrument = _readable(workshop_id)
    allow_chart_styles()
    url = join_url(workshop)
    return render_template(
        "facilitate/present.html",
        workshop=workshop,
        instrument=instrument,
        questions=_answerable(instrument),
        language=_language(instrument),
        url=url,
        qr=qr_svg(url, scale=5),
        poll_ms=POLL_INTERVAL_MS,
    )


@blueprint.get("/workshops/<int:workshop_id>/results.json")
@allow(Audience.account)
def results_json(workshop_id: int) -> HttpResponse:
    """Return figures and tables; 304 while nothing changed (ETag over the data)."""
    workshop, instrument = _readable(workshop_id)
    group = _group_argument(instrument)
    if request.args.get("scope") == "series" and workshop.series_id is not None:
        selection = select_workshops(db.session, series=workshop.series_id, group=group)
    else:
        selection = select_workshops(db.session, workshop_ids=[workshop.id], group=group)
    whole_series = selection.series is not None
    language = _language(instrument)
    settings = ResultSettings.from_config(current_app.config)
    k = settings.min_group_size
    etag = f"{data_version(selection.ids)}-{'s' if whole_series else 'w'}-{group}-{language}-{k}"
    if etag in request.if_none_match:
        response = HttpResponse(status=304)
        response.set_etag(etag)
        return response
    summary = summarize_selection(selection, settings)
    response = HttpResponse(mimetype="application/json")
    response.set_data(_payload(summary, instrument, language, k))
    response.set_etag(etag)
    response.headers["Cache-Control"] = "private, no-cache"
    return response


def _payload(summary: dict[str, Any], instrument: Instrument, language: str, k: int) -> str:
    writer = web_writer(language, k)
    questions = []
    for question in summary["questions"]:
        table = summary_table(question, writer)
        questions.append(
            {
                "key": question["key"],
                "figure": figure_for(question, language, k),
                "table": render_template(
                    "facilitate/_summary_table.html", q=question, table=table, k=k
                ),
            }
        )
    body = {
        "n_responses": summary["n_responses"],
        "arrivals": arrivals_figure(summary.get("arrivals", []), language),
        "questions": questions,
    }
    return json.dumps(body, ensure_ascii=False, separators=(",", ":"))


def _answerable(instrument: Instrument) -> list[Question]:
    """Return the questions that have results (participants answer them)."""
    return [q for q in instrument.questions() if question_type(q.type).answerable]


def _readable(workshop_id: int) -> tuple[Workshop, Instrument]:
    workshop = workshop_with_access(workshop_id)
    # By id: reads the version's hash, not its whole text (polled every few seconds).
    return workshop, instrument_by_id(workshop.instrument_version_id)


def _language(instrument: Instrument) -> str:
    return choose_language(instrument.languages, request.args.get("lang"))


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
