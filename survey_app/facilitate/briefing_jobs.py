"""The page that follows a briefing build, and the state it asks for while it waits."""

from __future__ import annotations

import re
import time

from flask import abort, jsonify, make_response, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from werkzeug.wrappers import Response as HttpResponse

from survey_app.accounts.access import Audience, allow, series_with_access, workshop_with_access
from survey_app.facilitate.views import blueprint
from survey_app.jobs import DONE, FAILED, QUEUED, JobState, jobs

#: A briefing's cache key (the job's name).
KEY = re.compile(r"[0-9a-f]{32}")
#: The build's steps as a waiting reader sees them, in order.
STEPS = ("queued", "reading", "charts", "layout", "storing")


def waiting_page(state: JobState, title: str = "", back: str = "") -> HttpResponse:
    """Return the page that follows the build of ``state`` and then downloads it (202).

    ``title`` and ``back``: what the briefing covers and the page it was asked from.
    """
    page = render_template(
        "facilitate/briefing_wait.html",
        state=_told(state),
        title=title,
        back=back,
        language=state.payload.get("language", ""),
        breakdown=state.payload.get("breakdown") or "",
        # the status in the page's language, whatever the browser asks for
        status_url=url_for("facilitate.briefing_job", key=state.key, lang=str(get_locale())),
        download_url=request.full_path.rstrip("?"),
    )
    response = make_response(page, 503 if state.state == FAILED else 202)
    response.headers["Cache-Control"] = "private, no-store"
    return response


@blueprint.get("/briefings/jobs/<key>")
@allow(Audience.account)
def briefing_job(key: str) -> HttpResponse:
    """Return how far the build of a briefing got (JSON), for readers of its scope."""
    state = jobs().state(key) if KEY.fullmatch(key) else None
    if state is None:
        abort(404)
    series_id = state.payload.get("series_id")
    if series_id is not None:
        series_with_access(int(series_id))
    for workshop_id in state.payload.get("workshop_ids", []):
        workshop_with_access(int(workshop_id))
    response = jsonify(_told(state))
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _told(state: JobState) -> dict[str, object]:
    """What the page shows of a build: state, step (number and words), seconds since."""
    step = _step(state)
    words = {
        "queued": _("In the queue: the build starts as soon as a place is free."),
        "reading": _("Reading the published results."),
        "charts": _("Drawing the charts."),
        "layout": _("Laying out the pages."),
        "storing": _("Storing the PDF."),
    }
    message = words[step]
    shown = state.state
    if state.lost(time.time()):
        shown, message = "lost", _("The build stopped (the server was restarted). It starts again.")
    elif state.state == DONE:
        message = _("The briefing is ready. The download starts by itself.")
    elif state.state == FAILED:
        message = _("The briefing could not be built: %(error)s", error=state.error)
    return {
        "state": shown,
        "step": STEPS.index(step) + 1,
        "steps": len(STEPS),
        "message": message,
        "seconds": round(max(0.0, time.time() - state.updated), 1),
    }


def _step(state: JobState) -> str:
    """Name the step of a build from the state and its last progress message."""
    if state.state == QUEUED:
        return "queued"
    if state.state == DONE:
        return "storing"
    said = state.step.lower()
    for marker, step in (("storing", "storing"), ("rendering", "layout"), ("chart", "charts")):
        if marker in said:
            return step
    return "reading"
