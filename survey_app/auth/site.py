"""``/admin/settings``: the public address and the time zone of new series, for admins."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response as HttpResponse
from wtforms import SelectField, StringField
from wtforms.validators import Length, Optional

from survey_app.accounts.access import Audience, allow
from survey_app.audit import record
from survey_app.extensions import db
from survey_app.site_settings import (
    PUBLIC_ADDRESS,
    TIME_ZONE,
    SettingError,
    base_url,
    check_time_zone,
    clean_address,
    configured_address,
    default_time_zone,
    is_local,
    store,
    stored,
    time_zones,
)

blueprint = Blueprint("settings", __name__)


class SiteSettingsForm(FlaskForm):
    """The settings an admin may change here."""

    public_address = StringField(
        _l("Public address"),
        validators=[Optional(), Length(max=500)],
        description=_l(
            "What join links, QR codes, posters and e-mailed links start with, e.g."
            " https://umfrage.example.de. Empty: the address this page was opened under."
        ),
        render_kw={"inputmode": "url", "dir": "ltr", "spellcheck": "false"},
    )
    time_zone = SelectField(_l("Time zone of new series"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.time_zone.choices = [(name, name) for name in time_zones()]


@blueprint.route("/admin/settings", methods=["GET", "POST"])
@allow(Audience.admin)
def site_settings() -> str | HttpResponse | tuple[str, int]:
    """Show and change the site's settings (one fixed by the environment is shown only)."""
    fixed = configured_address()
    form = SiteSettingsForm(
        data={"public_address": stored(PUBLIC_ADDRESS) or "", "time_zone": default_time_zone()}
    )
    if form.validate_on_submit():
        try:
            address = clean_address(form.public_address.data) if form.public_address.data else None
        except SettingError:
            form.public_address.errors = [_address_problem()]
        else:
            if fixed is None:
                store(PUBLIC_ADDRESS, address)
            store(TIME_ZONE, check_time_zone(form.time_zone.data or ""))
            record("settings.change", "site", address=address or "", time_zone=form.time_zone.data)
            db.session.commit()
            flash(_("Settings saved."))
            return redirect(url_for(".site_settings"))
    status = 422 if request.method == "POST" else 200
    page = render_template(
        "auth/settings.html",
        form=form,
        fixed_address=fixed,
        links_start=base_url(),
        links_local=is_local(base_url()),
    )
    return page, status


def _address_problem() -> str:
    """The message for an address that is not one."""
    return _(
        "Please give an address that starts with https:// (or http://) and a host name,"
        " without a user name, “?” or “#”, e.g. https://umfrage.example.de."
    )
