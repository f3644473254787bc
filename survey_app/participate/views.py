"""Participant routes: ``/j``, ``/j/<CODE>`` (form and submit) and the edit link."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import NotFound
from werkzeug.wrappers import Response as HttpResponse

from survey_app.accounts.access import Audience, allow
from survey_app.database import reads_first, write_transaction
from survey_app.definition.model import Instrument
from survey_app.extensions import csrf, db
from survey_app.i18n import choose_language, page_language
from survey_app.instruments.store import instrument_by_hash
from survey_app.models import InstrumentVersion, Workshop
from survey_app.participate.forms import JoinForm, csrf_token_is_valid
from survey_app.participate.join_limits import count_miss, join_wait, too_many_lookups
from survey_app.participate.paced_page import (
    paced_edit_url,
    phone_submission_id,
    render_paced_page,
)
from survey_app.participate.participant_results import (
    participant_summary,
    participant_table,
    shown_from,
)
from survey_app.participate.sent import forget_sent, remember_sent, sent_here, sent_response
from survey_app.questions import question_type
from survey_app.responses.answers import (
    NOTHING_ANSWERED,
    answers_hash,
    cleared,
    form_values,
    read_answers,
)
from survey_app.responses.bursts import seconds_to_next_minute, store_limit
from survey_app.responses.forms import ParticipationForm
from survey_app.responses.operations import (
    Outcome,
    edit_token,
    is_submission_id,
    new_submission_id,
    replace_response,
    response_by_submission,
    stored_rows,
    submit_response,
    valid_edit_token,
)
from survey_app.results import ResultSettings
from survey_app.results.deciding import pending_decision
from survey_app.results.display import web_writer
from survey_app.results.scoped import summarize_selection
from survey_app.results.selection import select_workshops
from survey_app.workshops.operations import normalize_join_code, workshop_by_code

blueprint = Blueprint("participate", __name__)


@blueprint.get("/j")
@allow(Audience.everyone)
def join() -> str | HttpResponse | tuple[str, int] | tuple[str, int, dict[str, str]]:
    """Ask for the join code, or go to the workshop whose code was typed."""
    form = JoinForm(request.args)
    g.language = choose_language(
        current_app.config["SUPPORTED_UI_LANGUAGES"], request.args.get("lang")
    )
    if request.args.get("code") is not None:
        wait = join_wait()
        if wait is not None:
            return too_many_lookups(wait)
        if form.validate():
            code = normalize_join_code(form.code.data or "")
            if workshop_by_code(code) is not None:
                return redirect(url_for(".questionnaire", code=code, lang=request.args.get("lang")))
        count_miss()
        return render_template("participate/join.html", **_join_page(form, unknown=True)), 404
    return render_template("participate/join.html", **_join_page(form, unknown=False))


def _join_page(form: JoinForm, unknown: bool) -> dict[str, object]:
    """The join page's context: the form, and a switch to every interface language (the
    choice is carried to the questionnaire)."""
    languages = current_app.config["SUPPORTED_UI_LANGUAGES"]
    return {
        "form": form,
        "unknown": unknown,
        "languages": languages,
        "chosen": request.args.get("lang"),
    }


@blueprint.get("/j/<code>")
@allow(Audience.everyone)
def questionnaire(
    code: str,
) -> str | HttpResponse | tuple[str, int] | tuple[str, int, dict[str, str]]:
    """Show the questionnaire of an open workshop, in the participant's language."""
    wait = join_wait()
    if wait is not None:
        g.language = choose_language(
            current_app.config["SUPPORTED_UI_LANGUAGES"], request.args.get("lang")
        )
        return too_many_lookups(wait)
    try:
        workshop, instrument = workshop_and_instrument(code)
    except NotFound:
        count_miss()
        raise
    if workshop.join_code != code:
        kept = {k: v for k, v in request.args.items() if k == "lang"}  # never url_for's own
        return redirect(url_for(".questionnaire", code=workshop.join_code, **kept))
    if not workshop.accepts_responses:
        return render_template("participate/unavailable.html", workshop=workshop), 200
    secret = current_app.config["SECRET_KEY"]
    if workshop.paced:
        return render_paced_page(workshop, instrument, phone_submission_id(workshop), secret)
    begun = paced_edit_url(workshop, secret)
    if begun is not None:  # answers given while it was paced: their own response, edited
        return redirect(begun)
    if request.args.get("new") == "1":
        forget_sent(workshop)
    else:
        sent = sent_response(workshop)
        if sent is not None:  # Back or reload after sending: never a second response
            return _thanks(workshop, instrument, sent.submission_id, again=True)
    form = ParticipationForm(data={"submission_id": new_submission_id(), "lang": g.language})
    return _render_form(workshop, instrument, form, MultiDict(), {})


@blueprint.post("/j/<code>")
@allow(Audience.everyone)
@csrf.exempt
@reads_first
def submit(code: str) -> str | tuple[str, int] | tuple[str, int, dict[str, str]]:
    """Store the posted questionnaire once, or show it again with every value kept."""
    workshop, instrument = workshop_and_instrument(code, request.form.get("lang"))
    return _handle_post(workshop, instrument, edit=None)


@blueprint.route("/j/<code>/edit/<submission_id>/<token>", methods=["GET", "POST"])
@allow(Audience.everyone)
@csrf.exempt
@reads_first
def edit(
    code: str, submission_id: str, token: str
) -> str | tuple[str, int] | tuple[str, int, dict[str, str]]:
    """Let a participant change their own answers through the link they were given."""
    workshop, instrument = workshop_and_instrument(code, request.values.get("lang"))
    response = response_by_submission(submission_id)
    if (
        response is None
        or response.workshop_id != workshop.id
        or not valid_edit_token(current_app.config["SECRET_KEY"], submission_id, token)
    ):
        abort(404)
    if request.method == "POST":
        return _handle_post(workshop, instrument, edit=response)
    if not workshop.accepts_responses:
        return render_template("participate/unavailable.html", workshop=workshop), 200
    values = form_values(instrument, stored_rows(response))
    form = ParticipationForm(
        data={"submission_id": submission_id, "lang": g.language, "consent": "yes"}
    )
    return _render_form(workshop, instrument, form, values, {}, edit_url=request.path)


@blueprint.app_template_global()
def question_template(type_name: str) -> str:
    """Return the template that shows a question of this type in the form (the type says)."""
    return question_type(type_name).participant_template


@blueprint.get("/j/<code>/results")
@allow(Audience.everyone)
def results(code: str) -> str:
    """Show participants the results once the workshop has closed, if the facilitators allow it.

    Only what ``participant_summary`` keeps of the protected summary is shown.
    """
    workshop, instrument = workshop_and_instrument(code)
    if not workshop.results_for_participants:
        abort(404)
    if not workshop.shows_participant_results:
        return render_template(
            "participate/results.html", workshop=workshop, instrument=instrument, results=None
        )
    selection = select_workshops(db.session, workshop_ids=[workshop.id])
    settings = ResultSettings.for_selection(current_app.config, selection)
    if pending_decision(selection, settings) is not None:  # decided in the background
        return render_template(
            "participate/results.html", workshop=workshop, instrument=instrument,
            results=None, preparing=True,
        )  # fmt: skip
    summary = participant_summary(summarize_selection(selection, settings))
    k = summary["min_group_size"]
    writer = web_writer(page_language(), k)
    not_shown = _("not shown (protects a small group)")
    results = [(q, participant_table(q, writer, not_shown)) for q in summary["questions"]]
    return render_template(
        "participate/results.html",
        workshop=workshop,
        instrument=instrument,
        results=results,
        shown_from=shown_from(k),
    )


def _handle_post(  # type: ignore[no-untyped-def]
    workshop: Workshop, instrument: Instrument, edit
) -> str | tuple[str, int] | tuple[str, int, dict[str, str]]:
    if not workshop.accepts_responses:
        return render_template("participate/unavailable.html", workshop=workshop), 403
    # No form object unless the page is shown again: building one costs more than
    # checking the two fields it guards.
    csrf_ok = csrf_token_is_valid(request.form.get("csrf_token"))
    submission_id = request.form.get("submission_id", "")
    if not is_submission_id(submission_id):
        submission_id = new_submission_id()
    if edit is not None:
        submission_id = edit.submission_id
    kept = cleared(request.form)
    if kept is not None:  # a "clear" button: the form back with that answer emptied
        form = ParticipationForm(data={"submission_id": submission_id})
        edit_url = request.path if edit is not None else None
        return _render_form(workshop, instrument, form, kept, {}, edit_url=edit_url)
    if edit is None:  # this browser sent before (Back, another tab): its response changes
        edit = sent_response(workshop)
        if edit is not None:
            submission_id = edit.submission_id
    answers = read_answers(instrument, request.form)
    errors = dict(answers.errors)
    consented = request.form.get("consent") == "yes"
    if instrument.consent and not consented:
        errors["consent"] = None  # shown by the template's own consent message
    if not errors and not answers.rows:
        errors[NOTHING_ANSWERED] = None  # an empty response is never stored or counted
    if errors or not csrf_ok:
        edit_url = request.path if edit is not None else None
        status = 422 if errors else 400
        form = ParticipationForm()
        form.submission_id.data = submission_id
        return _render_form(
            workshop, instrument, form, request.form, errors, expired=not csrf_ok, edit_url=edit_url
        ), status
    digest = answers_hash(answers.rows)
    with write_transaction(db.session):
        if edit is not None:
            outcome = replace_response(edit, g.language, answers.rows, digest)
        else:
            outcome = submit_response(
                workshop, submission_id, g.language, consented, answers.rows, digest,
                per_minute_limit=store_limit(workshop, current_app.config),
            )  # fmt: skip
    if outcome is Outcome.limited:  # shown again, filled in, to be sent in a minute
        form = ParticipationForm()
        form.submission_id.data = submission_id
        page = _render_form(workshop, instrument, form, request.form, {}, busy=True)
        return page, 429, {"Retry-After": str(seconds_to_next_minute())}
    if outcome is Outcome.conflict:
        return render_template("participate/conflict.html", workshop=workshop), 409
    if outcome is Outcome.repeated and edit is None and not sent_here(workshop, submission_id):
        # The same answers under the same id from elsewhere (a replay): no edit link.
        return _thanks(workshop, instrument, submission_id, link=False)
    remember_sent(workshop, submission_id)
    return _thanks(workshop, instrument, submission_id, updated=outcome is Outcome.updated)


def _thanks(
    workshop: Workshop,
    instrument: Instrument,
    submission_id: str,
    updated: bool = False,
    again: bool = False,
    link: bool = True,
) -> str:
    """Render the thank-you page, with the edit link unless ``link`` is false; ``again``
    for a browser that comes back after sending (with a way to start a new response)."""
    token = edit_token(current_app.config["SECRET_KEY"], submission_id)
    edit_link = url_for(
        ".edit", code=workshop.join_code, submission_id=submission_id, token=token, lang=g.language
    )
    return render_template(
        "participate/thanks.html",
        workshop=workshop,
        instrument=instrument,
        submission_id=submission_id,
        edit_link=edit_link if link else None,
        updated=updated,
        again=again,
    )


def workshop_and_instrument(
    code: str, asked_language: str | None = None
) -> tuple[Workshop, Instrument]:
    """Return the workshop of a join code and its questionnaire (404 if none); set the language."""
    # One query for the workshop and its questionnaire's hash (parsed once per process).
    found = db.session.execute(
        select(Workshop, InstrumentVersion.source_hash)
        .join(InstrumentVersion, InstrumentVersion.id == Workshop.instrument_version_id)
        .where(Workshop.join_code == normalize_join_code(code))
    ).first()
    if found is None:
        abort(404)
    workshop, source_hash = found
    instrument = instrument_by_hash(workshop.instrument_version_id, source_hash)
    g.default_language = instrument.default_language
    g.language = choose_language(instrument.languages, asked_language or request.args.get("lang"))
    return workshop, instrument


def _render_form(  # type: ignore[no-untyped-def]
    workshop: Workshop,
    instrument: Instrument,
    form: ParticipationForm,
    values: MultiDict[str, str],
    errors: dict,
    expired: bool = False,
    edit_url: str | None = None,
    busy: bool = False,
) -> str:
    form.lang.data = g.language
    return render_template(
        "participate/form.html",
        workshop=workshop,
        instrument=instrument,
        form=form,
        values=values,
        errors=errors,
        expired=expired,
        busy=busy,
        action=edit_url or url_for(".submit", code=workshop.join_code),
    )
