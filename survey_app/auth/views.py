"""``/login`` and ``/logout``."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import (
    Blueprint,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_user, logout_user
from werkzeug.wrappers import Response as HttpResponse

from survey_app.accounts.access import Audience, allow
from survey_app.accounts.limits import (
    Turn,
    attempt_keys,
    record_failure,
    record_success,
    take_turn,
)
from survey_app.accounts.operations import authenticate, end_sessions
from survey_app.accounts.sso import sso_settings
from survey_app.auth.forms import LoginForm
from survey_app.database import write_transaction
from survey_app.extensions import db
from survey_app.i18n import SESSION_LANGUAGE

blueprint = Blueprint("auth", __name__)


def safe_next(target: str | None) -> str:
    """Return ``target`` if it is a path on this site (no control characters: they
    would break the Location header), else the start page."""
    if target and not any(ord(char) < 32 or ord(char) == 127 for char in target):
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
        with write_transaction(db.session):
            turn = take_turn(keys)
        if not turn.allowed:
            form.password.errors.append(wait_message(turn))
            page = login_page(form)
            return page, 429, {"Retry-After": str(turn.wait_seconds)}
        user = authenticate(form.email.data or "", form.password.data or "")
        if user is not None:
            record_success(keys)
            language = session.get(SESSION_LANGUAGE)
            session.clear()  # a new session: nothing from before the login survives
            keep_language(language)
            login_user(user)
            db.session.commit()
            return redirect(safe_next(form.next.data))
        with write_transaction(db.session):
            record_failure(keys)
        form.password.errors.append(_("E-mail or password is wrong."))
        return login_page(form), 401
    status = 400 if request.method == "POST" else 200
    return login_page(form), status


def wait_message(turn: Turn) -> str:
    """Say how long to wait (login, password change): minutes for a network's window,
    seconds for a back-off."""
    if turn.network:
        minutes = max(1, -(-turn.wait_seconds // 60))
        return _(
            "Too many failed logins. Please wait %(minutes)d minutes and try again.",
            minutes=minutes,
        )
    return ngettext(
        "Too many failed logins. Please wait %(num)d second and try again.",
        "Too many failed logins. Please wait %(num)d seconds and try again.",
        turn.wait_seconds,
    )


@blueprint.post("/logout")
@allow(Audience.account)
def logout() -> HttpResponse:
    """Log out and end this account's sessions everywhere."""
    end_sessions(current_user)
    db.session.commit()
    logout_user()
    language = session.get(SESSION_LANGUAGE)
    session.clear()
    keep_language(language)
    return redirect(url_for("auth.login"))


@blueprint.post("/language")
@allow(Audience.everyone)
def choose_language() -> HttpResponse:
    """Keep the interface language chosen in the staff header for this session."""
    language = request.form.get("lang", "")
    if language not in current_app.config["STAFF_UI_LANGUAGES"]:
        abort(400, description=_("This language is not offered."))
    keep_language(language)
    return redirect(safe_next(request.form.get("next")), code=303)


def keep_language(language: object) -> None:
    """Remember ``language`` as this session's interface language (if it is one)."""
    if isinstance(language, str) and language in current_app.config["SUPPORTED_UI_LANGUAGES"]:
        session[SESSION_LANGUAGE] = language
