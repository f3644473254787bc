"""Facilitator pages: series, workshops, join codes, QR codes and posters."""

from __future__ import annotations

from collections.abc import Callable

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response as HttpResponse
from wtforms.fields.choices import SelectChoice

from survey_app.accounts.access import (
    Audience,
    allow,
    readable_series_ids,
    require_series,
    series_level,
    workshop_with_access,
)
from survey_app.briefing.background import build_ahead
from survey_app.extensions import db
from survey_app.facilitate.burst_panel import burst_panel
from survey_app.facilitate.forms import (
    ConfirmForm,
    SeriesForm,
    SeriesSettingsForm,
    WorkshopForm,
)
from survey_app.instruments.store import instrument_of
from survey_app.models import (
    AccessLevel,
    InstrumentVersion,
    InvalidTransition,
    Role,
    Series,
    Workshop,
)
from survey_app.results import ResultSettings
from survey_app.site_settings import default_time_zone
from survey_app.workshops import operations
from survey_app.workshops.joining import join_url, qr_svg
from survey_app.workshops.pacing import pace_overview
from survey_app.workshops.queries import (
    instrument_choices,
    response_counts,
    version_warning,
    visible_series,
    workshops_without_series,
)
from survey_app.workshops.thresholds import (
    group_size_floor,
    room_group_size_range,
    series_group_size_range,
)

blueprint = Blueprint("facilitate", __name__)


@blueprint.get("/")
@allow(Audience.everyone)
def home() -> HttpResponse:
    """Send staff to their workshops and everyone else to the join page."""
    if current_user.is_authenticated:
        return redirect(url_for(".index"))
    return redirect(url_for("participate.join"))


@blueprint.get("/workshops")
@allow(Audience.account)
def index() -> str:
    """List the series the user may see, with their workshops and response counts."""
    series = visible_series(readable_series_ids(current_user))
    loose = workshops_without_series() if current_user.role is Role.admin else []
    ids = [w.id for s in series for w in s.workshops] + [w.id for w in loose]
    return render_template(
        "facilitate/index.html",
        series=series,
        loose=loose,
        counts=response_counts(ids),
        can_create=current_user.role in (Role.admin, Role.facilitator),
    )


@blueprint.route("/series/new", methods=["GET", "POST"])
@allow(Audience.staff)
def new_series() -> str | HttpResponse:
    """Create a series of workshops."""
    allowed = series_group_size_range(group_size_floor(current_app.config))
    form = SeriesForm(
        allowed=allowed, data={"min_group_size": allowed[0], "time_zone": default_time_zone()}
    )
    if form.validate_on_submit():
        if operations.slug_taken(form.slug.data or ""):
            form.slug.errors.append(_("This short name is taken."))
        else:
            series = operations.create_series(
                form.slug.data or "",
                form.title.data or "",
                form.description.data or "",
                current_user,
                form.min_group_size.data,
                form.time_zone.data or default_time_zone(),
            )
            db.session.commit()
            return redirect(url_for(".series_page", series_id=series.id))
    return render_template("facilitate/series_form.html", form=form, series=None)


@blueprint.route("/series/<int:series_id>/edit", methods=["GET", "POST"])
@allow(Audience.staff)
def edit_series(series_id: int) -> str | HttpResponse:
    """Change a series' title, description and the k of everything published from it."""
    series = db.get_or_404(Series, series_id)
    require_series(series.id, AccessLevel.manage)
    allowed = series_group_size_range(group_size_floor(current_app.config))
    form = SeriesSettingsForm(obj=series, allowed=allowed)
    if form.validate_on_submit():
        operations.update_series(
            series,
            form.title.data or "",
            form.description.data or "",
            form.min_group_size.data,
            form.time_zone.data,
        )
        db.session.commit()
        return redirect(url_for(".series_page", series_id=series.id))
    return render_template("facilitate/series_form.html", form=form, series=series)


@blueprint.get("/series/<int:series_id>")
@allow(Audience.account)
def series_page(series_id: int) -> str:
    """Show a series with its workshops."""
    series = db.get_or_404(Series, series_id)
    require_series(series.id, AccessLevel.read)
    return render_template(
        "facilitate/series.html",
        series=series,
        counts=response_counts([w.id for w in series.workshops]),
        manage=series_level(current_user, series.id) is AccessLevel.manage,
        versions=version_warning(series.workshops),
        published_k=ResultSettings.published(current_app.config, series).min_group_size,
    )


@blueprint.route("/series/<int:series_id>/workshops/new", methods=["GET", "POST"])
@allow(Audience.staff)
def new_workshop(series_id: int) -> str | HttpResponse:
    """Create a workshop in a series from a loaded questionnaire."""
    series = db.get_or_404(Series, series_id)
    require_series(series.id, AccessLevel.manage)
    form = WorkshopForm(allowed=room_group_size_range(group_size_floor(current_app.config), series))
    form.instrument_version_id.choices = instrument_choices()
    if form.validate_on_submit():
        version = db.get_or_404(InstrumentVersion, form.instrument_version_id.data)
        workshop = operations.create_workshop(
            version,
            form.title.data or "",
            series,
            form.municipality.data or "",
            form.date.data,
            results_for_participants=bool(form.results_for_participants.data),
            room_min_group_size=form.room_min_group_size.data,
            paced=bool(form.paced.data),
            expected_participants=form.expected_participants.data,
        )
        db.session.commit()
        return redirect(url_for(".workshop_page", workshop_id=workshop.id))
    return render_template("facilitate/workshop_form.html", form=form, series=series, workshop=None)


@blueprint.get("/workshops/<int:workshop_id>")
@allow(Audience.account)
def workshop_page(workshop_id: int) -> str:
    """Show a workshop: state, join code, QR code, responses."""
    workshop = workshop_with_access(workshop_id, AccessLevel.read)
    return render_template(
        "facilitate/workshop.html",
        workshop=workshop,
        count=response_counts([workshop.id]).get(workshop.id, 0),
        url=join_url(workshop),
        qr=qr_svg(join_url(workshop), scale=6),
        manage=series_level(current_user, workshop.series_id) is AccessLevel.manage,
        published_k=ResultSettings.published(current_app.config, workshop.series).min_group_size,
        room_k=ResultSettings.for_room(current_app.config, workshop).min_group_size,
        pace=pace_overview(workshop, instrument_of(workshop.instrument_version))
        if workshop.paced
        else None,
        **burst_panel(workshop),
    )


@blueprint.route("/workshops/<int:workshop_id>/edit", methods=["GET", "POST"])
@allow(Audience.staff)
def edit_workshop(workshop_id: int) -> str | HttpResponse:
    """Change a workshop's title, municipality, date, participants' results and room k."""
    workshop = workshop_with_access(workshop_id, AccessLevel.manage)
    allowed = room_group_size_range(group_size_floor(current_app.config), workshop.series)
    form = WorkshopForm(obj=workshop, allowed=allowed)
    version = workshop.instrument_version
    form.instrument_version_id.choices = [SelectChoice(version.id, version.title)]
    if form.validate_on_submit():
        operations.update_workshop(
            workshop,
            form.title.data or "",
            form.municipality.data or "",
            form.date.data,
            bool(form.results_for_participants.data),
            form.room_min_group_size.data,
            bool(form.paced.data),
            form.expected_participants.data,
        )
        db.session.commit()
        return redirect(url_for(".workshop_page", workshop_id=workshop.id))
    return render_template(
        "facilitate/workshop_form.html", form=form, series=workshop.series, workshop=workshop
    )


@blueprint.post("/workshops/<int:workshop_id>/open")
@allow(Audience.staff)
def open_workshop(workshop_id: int) -> HttpResponse:
    """Open a workshop for responses."""
    workshop = workshop_with_access(workshop_id, AccessLevel.manage)
    _change_state(operations.open_workshop, workshop)
    db.session.commit()
    flash(_("The workshop is open: participants can answer now."))
    return redirect(url_for(".workshop_page", workshop_id=workshop.id))


@blueprint.post("/workshops/<int:workshop_id>/close")
@allow(Audience.staff)
def close_workshop(workshop_id: int) -> HttpResponse:
    """Close a workshop; it keeps its results."""
    workshop = workshop_with_access(workshop_id, AccessLevel.manage)
    _change_state(operations.close_workshop, workshop)
    closed = (workshop.id, workshop.series_id)
    db.session.commit()
    build_ahead(*closed)
    flash(_("The workshop is closed."))
    return redirect(url_for(".workshop_page", workshop_id=closed[0]))


@blueprint.route("/workshops/<int:workshop_id>/delete", methods=["GET", "POST"])
@allow(Audience.staff)
def delete_workshop(workshop_id: int) -> str | HttpResponse | tuple[str, int]:
    """Delete a workshop and its responses after the title was typed to confirm."""
    workshop = workshop_with_access(workshop_id, AccessLevel.manage)
    form = ConfirmForm()
    count = response_counts([workshop.id]).get(workshop.id, 0)
    if title_confirmed(form, workshop):
        series_id = workshop.series_id
        operations.delete_workshop(workshop)
        db.session.commit()
        flash(_("The workshop and its responses were deleted."))
        if series_id:
            return redirect(url_for(".series_page", series_id=series_id))
        return redirect(url_for(".index"))
    status = 422 if request.method == "POST" else 200
    return render_template(
        "facilitate/delete.html", form=form, workshop=workshop, count=count
    ), status


@blueprint.get("/workshops/<int:workshop_id>/qr.svg")
@allow(Audience.account)
def workshop_qr(workshop_id: int) -> HttpResponse:
    """Return the join QR code as SVG."""
    workshop = workshop_with_access(workshop_id, AccessLevel.read)
    return HttpResponse(qr_svg(join_url(workshop), scale=10), mimetype="image/svg+xml")


@blueprint.get("/workshops/<int:workshop_id>/poster")
@allow(Audience.account)
def workshop_poster(workshop_id: int) -> str:
    """Show a printable A4 poster with the join code and QR code."""
    workshop = workshop_with_access(workshop_id, AccessLevel.read)
    url = join_url(workshop)
    languages = instrument_of(workshop.instrument_version).languages
    return render_template(
        "facilitate/poster.html",
        workshop=workshop,
        url=url,
        qr=qr_svg(url, scale=12),
        languages=languages,
    )


@blueprint.get("/workshops/<int:workshop_id>/count.json")
@allow(Audience.account)
def workshop_count(workshop_id: int) -> dict[str, object]:
    """Return the number of responses so far (polled by the workshop page)."""
    workshop = workshop_with_access(workshop_id, AccessLevel.read)
    return {
        "n_responses": response_counts([workshop.id]).get(workshop.id, 0),
        "state": workshop.state.value,
    }


def title_confirmed(form: ConfirmForm, workshop: Workshop) -> bool:
    """Say whether a posted confirmation repeats the workshop's title (else note the error)."""
    if not form.validate_on_submit():
        return False
    if (form.confirm.data or "").strip() == workshop.title.strip():
        return True
    form.confirm.errors.append(_("The title does not match."))
    return False


def _change_state(change: Callable[[Workshop], None], workshop: Workshop) -> None:
    """Open or close ``workshop``; a transition the model refuses answers 409."""
    try:
        change(workshop)
    except InvalidTransition:
        abort(409)
