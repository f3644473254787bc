"""Pages of the data lifecycle: deleting responses, retention periods, the audit log."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from werkzeug.wrappers import Response as HttpResponse

from survey_app.accounts.access import Audience, allow, series_with_access, workshop_with_access
from survey_app.extensions import db
from survey_app.facilitate.forms import ConfirmForm
from survey_app.facilitate.views import blueprint, title_confirmed
from survey_app.ids import whole_number
from survey_app.models import AccessLevel, AuditEntry
from survey_app.workshops import retention
from survey_app.workshops.queries import response_counts

#: What the audit log calls each recorded action (an unknown one shows its code).
AUDIT_ACTIONS = {
    "export": _l("Export"),
    "briefing": _l("Briefing"),
    "briefing_text": _l("Summary page of the briefing"),
    "transfer_instrument": _l("Questionnaire given to a series"),
    "upload_instrument": _l("Questionnaire stored"),
    "api_token_created": _l("API token created"),
    "api_token_revoked": _l("API token revoked"),
    "api_tokens_revoked": _l("API tokens revoked"),
    "set_group_size": _l("Smallest group shown changed"),
    "set_room_group_size": _l("Smallest group on the room's screens changed"),
    "delete_workshop": _l("Workshop deleted"),
    "delete_responses": _l("Responses deleted"),
    "purge": _l("Responses deleted after the retention period"),
    "set_retention": _l("Retention period changed"),
}


@blueprint.route("/workshops/<int:workshop_id>/responses/delete", methods=["GET", "POST"])
@allow(Audience.staff)
def delete_workshop_responses(workshop_id: int) -> str | HttpResponse | tuple[str, int]:
    """Delete a workshop's responses after its title was typed to confirm."""
    workshop = workshop_with_access(workshop_id, AccessLevel.manage)
    form = ConfirmForm()
    if title_confirmed(form, workshop):
        retention.delete_responses(workshop)
        db.session.commit()
        flash(_("The responses were deleted."))
        return redirect(url_for(".workshop_page", workshop_id=workshop.id))
    count = response_counts([workshop.id]).get(workshop.id, 0)
    status = 422 if request.method == "POST" else 200
    return render_template(
        "facilitate/delete_responses.html", form=form, workshop=workshop, count=count
    ), status


@blueprint.post("/series/<int:series_id>/retention")
@allow(Audience.staff)
def set_retention(series_id: int) -> HttpResponse:
    """Set after how many days past closing a workshop's responses are purged (empty: never)."""
    series = series_with_access(series_id, AccessLevel.manage)
    raw = request.form.get("retention_days", "").strip()
    days = whole_number(raw, 1, 36500)
    if raw and days is None:
        flash(_("Please give a number of days between 1 and 36500, or leave it empty."))
    else:
        retention.set_retention(series, days)
        db.session.commit()
        flash(_("Retention period saved."))
    return redirect(url_for(".series_page", series_id=series.id))


@blueprint.get("/admin/audit")
@allow(Audience.admin)
def audit_log() -> str:
    """Show the newest 300 audit entries."""
    entries = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(300)).all()
    return render_template("facilitate/audit.html", entries=entries, actions=AUDIT_ACTIONS)
