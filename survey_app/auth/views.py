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
from survey_app.auth.forms import LoginForm
from survey_app.extensions import db
from survey_app.i18n import SESSION_LANGUAGE

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
            page = render_template("auth/login.html", form=form)
            return page, 429, {"Retry-After": str(minutes * 60)}
        user = authenticate(form.email.data or "", form.password.data or "")
        if user is not None:
            forget_account_failures(keys)
            language = session.get(SESSION_LANGUAGE)
            session.clear()  # a new session: nothing from before the login survives
            keep_language(language)
            login_user(user)
            db.session.commit()
            return redirect(safe_next(form.next.data))
        record_failure(keys)
        db.session.commit()
        form.password.errors.append(_("E-mail or password is wrong."))
        return render_template("auth/login.html", form=form), 401
    status = 400 if request.method == "POST" else 200
    return render_template("auth/login.html", form=form), status


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
