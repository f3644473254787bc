"""Unusual bursts of responses on the workshop page: setting them aside and restoring them."""

from __future__ import annotations

from datetime import datetime

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from werkzeug.wrappers import Response as HttpResponse

from survey_app.accounts.access import Audience, allow, workshop_with_access
from survey_app.extensions import db
from survey_app.facilitate.burst_panel import MINUTE_FORMAT
from survey_app.facilitate.views import blueprint
from survey_app.models import AccessLevel, SetAside
from survey_app.responses.bursts import restore_set_aside, set_aside_burst


@blueprint.post("/workshops/<int:workshop_id>/bursts/set-aside")
@allow(Audience.staff)
def set_aside(workshop_id: int) -> HttpResponse:
    """Set aside the responses of an unusual burst (kept, but counted nowhere)."""
    workshop = workshop_with_access(workshop_id, AccessLevel.manage)
    first, last = _minute(request.form.get("from")), _minute(request.form.get("to"))
    digest = request.form.get("answers") or None
    if first is None or last is None or last < first or (digest and len(digest) != 64):
        abort(400, description=_("This burst could not be read. Please reload the page."))
    batch = set_aside_burst(workshop, first, last, digest)
    db.session.commit()
    if batch is None:
        flash(_("Those responses were set aside already."))
    else:
        flash(
            ngettext(
                "%(num)d response was set aside. It is kept and can be restored.",
                "%(num)d responses were set aside. They are kept and can be restored.",
                batch.responses,
            )
        )
    return redirect(url_for(".workshop_page", workshop_id=workshop.id))


@blueprint.post("/workshops/<int:workshop_id>/set-aside/<int:batch_id>/restore")
@allow(Audience.staff)
def restore(workshop_id: int, batch_id: int) -> HttpResponse:
    """Count a set-aside batch's responses again."""
    workshop = workshop_with_access(workshop_id, AccessLevel.manage)
    batch = db.session.get(SetAside, batch_id)
    if batch is None or batch.workshop_id != workshop.id:
        abort(404)
    restored = restore_set_aside(workshop, batch)
    db.session.commit()
    flash(ngettext("%(num)d response counts again.", "%(num)d responses count again.", restored))
    return redirect(url_for(".workshop_page", workshop_id=workshop.id))


def _minute(raw: str | None) -> datetime | None:
    """Return a minute sent by the page's form, or None if it is not one."""
    try:
        return datetime.strptime(raw or "", MINUTE_FORMAT)
    except ValueError:
        return None
