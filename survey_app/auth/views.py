"""``/login`` and ``/logout``."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, current_app, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user
from werkzeug.wrappers import Response as HttpResponse

from survey_app.accounts.access import Audience, allow
from survey_app.accounts.limits import (
    attempt_keys,
    forget_account_failures,
    login_blocked,
    record_failure,
    window,
)
from survey_app.accounts.operations import authenticate, end_sessions
from survey_app.accounts.sso import sso_settings
from survey_app.auth.forms import LoginForm
from survey_app.extensions import db

blueprint = Blueprint("auth", __name__)


def safe_next(target: str | None) -> str:
    """Return ``target`` if it is a path on this site, else the start page."""
    if target:
        parts = urlsplit(target)
        if (
            not parts.scheme
            and not parts.netloc
            and target.startswith("/")
            and not target.startswith("//")
        ):
            return target
    return url_for("facilitate.index")


def sso_button_label() -> str | None:
    """Return the single sign-on button's text (None: single sign-on is off)."""
    settings = sso_settings(current_app.config)
    if settings is None:
        return None
    return settings.label or _("Sign in with single sign-on")


def login_page(form: LoginForm) -> str:
    """Render the login page: the password form, and the single sign-on button if on."""
    return render_template("auth/login.html", form=form, sso_label=sso_button_label())


@blueprint.route("/login", methods=["GET", "POST"])
@allow(Audience.everyone)
def login() -> str | HttpResponse | tuple[str, int] | tuple[str, int, dict[str, str]]:
    """Log a facilitator, viewer or admin in."""
    form = LoginForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        keys = attempt_keys(form.email.data or "", request.remote_addr)
        if login_blocked(keys):
            minutes = int(window().total_seconds() // 60)
            form.password.errors.append(
                _(
                    "Too many failed logins. Please wait %(minutes)d minutes and try again.",
                    minutes=minutes,
                )
            )
            page = login_page(form)
            return page, 429, {"Retry-After": str(minutes * 60)}
        user = authenticate(form.email.data or "", form.password.data or "")
        if user is not None:
            forget_account_failures(keys)
            session.clear()  # a new session: nothing from before the login survives
            login_user(user)
            db.session.commit()
            return redirect(safe_next(form.next.data))
        record_failure(keys)
        db.session.commit()
        form.password.errors.append(_("E-mail or password is wrong."))
        return login_page(form), 401
    status = 400 if request.method == "POST" else 200
    return login_page(form), status


@blueprint.post("/logout")
@allow(Audience.account)
def logout() -> HttpResponse:
    """Log out and end this account's sessions everywhere."""
    end_sessions(current_user)
    db.session.commit()
    logout_user()
    session.clear()
    return redirect(url_for("auth.login"))
