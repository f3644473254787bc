"""A questionnaire's page with its owner; who may publish; admins give keys to series.

The rules are in ``survey_app.instruments.ownership``; this module shows them and
lets an admin give a key to another series.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response as HttpResponse

from survey_app.accounts.access import Audience, allow, readable_series_ids
from survey_app.audit import record
from survey_app.extensions import db
from survey_app.facilitate.forms import OWNED_BY_ACCOUNT, InstrumentOwnerForm
from survey_app.facilitate.views import blueprint
from survey_app.i18n import choose_language
from survey_app.instruments.completeness import translation_completeness
from survey_app.instruments.ownership import (
    managed_series_ids,
    may_publish,
    owner_of,
    transfer_key,
)
from survey_app.instruments.store import instrument_of
from survey_app.models import InstrumentVersion, Role, Series, User
from survey_app.workshops.queries import versions_of


@dataclass(frozen=True)
class Ownership:
    """Who owns a key, as the current user may see it, and whether it may publish."""

    #: The owning series (None: an account or nobody owns the key).
    series: Series | None
    #: Whether the current user may read the owning series (else it is not named).
    series_shown: bool
    #: The owning account (None: a series or nobody owns the key).
    account: User | None
    #: Whether the current user may publish new versions of the key.
    may_publish: bool


def ownership_of(key: str) -> Ownership:
    """Return who owns ``key``, as the current user may see it."""
    owner = owner_of(key)
    series = db.session.get(Series, owner.series_id) if owner and owner.series_id else None
    account = db.session.get(User, owner.user_id) if owner and owner.user_id else None
    readable = readable_series_ids(current_user)
    shown = series is not None and (readable is None or series.id in readable)
    return Ownership(series, shown, account, may_publish(current_user, key))


def series_choices(user: User) -> list[tuple[int, str]]:
    """Return the series ``user`` may give a new key to: those it manages (admins: all)."""
    query = select(Series.id, Series.title).order_by(Series.created_at.desc(), Series.id.desc())
    if user.role is not Role.admin:
        query = query.where(Series.id.in_(managed_series_ids(user)))
    return [(series_id, title) for series_id, title in db.session.execute(query)]


def default_owner(choices: list[tuple[int, str]]) -> int:
    """Return the owner an upload form offers first: the uploader's team if it has one."""
    return choices[0][0] if choices and current_user.role is not Role.admin else OWNED_BY_ACCOUNT


def publishing_refusal(key: str) -> str:
    """Say in the interface language why the current user may not publish ``key``."""
    owner = owner_of(key)
    if owner is not None and owner.series_id is not None:
        reason = _(
            "%(key)s belongs to another team: only the facilitators who manage its "
            "series, and admins, may publish new versions of it.",
            key=key,
        )
    elif owner is not None and owner.user_id is not None:
        reason = _(
            "%(key)s belongs to the account that stored it first: only that account, "
            "and admins, may publish new versions of it.",
            key=key,
        )
    else:
        reason = _(
            "%(key)s has no owner yet: only the facilitators who manage a series whose "
            "workshops use it, and admins, may publish new versions of it.",
            key=key,
        )
    advice = _(
        "Nothing was stored. To publish a questionnaire of your own, give it a key of its own."
    )
    return f"{reason} {advice}"


@blueprint.get("/instruments/<int:version_id>")
@allow(Audience.staff)
def instrument_page(version_id: int) -> str:
    """Show a version with its phone-sized preview in a chosen language (``?language=``).

    Not ``?lang=``: that would switch this page's own interface language too.
    """
    return _instrument_page(db.get_or_404(InstrumentVersion, version_id), None)


@blueprint.post("/instruments/<int:version_id>/owner")
@allow(Audience.admin)
def transfer_instrument(version_id: int) -> HttpResponse | tuple[str, int]:
    """Give the version's key (every version of it) to another series."""
    version = db.get_or_404(InstrumentVersion, version_id)
    form = InstrumentOwnerForm(series=series_choices(current_user))
    if not form.validate_on_submit():
        return _instrument_page(version, form), 422
    series = db.get_or_404(Series, form.series_id.data)
    transfer_key(version.key, series)
    record("transfer_instrument", f"instrument {version.key}", series=series.slug)
    db.session.commit()
    flash(_("%(key)s now belongs to the series %(title)s.", key=version.key, title=series.title))
    return redirect(url_for(".instrument_page", version_id=version.id), 303)


def _instrument_page(version: InstrumentVersion, form: InstrumentOwnerForm | None) -> str:
    instrument = instrument_of(version)
    language = choose_language(instrument.languages, request.args.get("language"))
    ownership = ownership_of(version.key)
    if form is None and current_user.role is Role.admin:
        current = ownership.series.id if ownership.series else None
        form = InstrumentOwnerForm(series=series_choices(current_user), series_id=current)
    return render_template(
        "facilitate/instrument.html",
        version=version,
        instrument=instrument,
        language=language,
        versions=versions_of(version.key),
        completeness=translation_completeness(instrument),
        ownership=ownership,
        owner_form=form,
    )
