"""Setting a password through a one-time link: first admin, invitation, reset; "forgot".

``survey-app init`` prints a setup link while no admin exists; admins invite
accounts (``admin``), and anyone may ask for a reset link by e-mail. The answer to
"forgot" is the same whether or not the address has an account, and a link that
does not work says only that (expired, used or unknown alike).
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_login import login_user
from sqlalchemy import select
from werkzeug.wrappers import Response as HttpResponse

from survey_app.accounts.access import Audience, allow
from survey_app.accounts.links import (
    RESETS_PER_HOUR,
    create_first_admin,
    find_link,
    issue_link,
    recent_resets,
    set_password_by_link,
)
from survey_app.accounts.mails import links_by_mail, mail_link_later
from survey_app.accounts.operations import AccountError, normalize_email
from survey_app.auth.password_forms import ForgotPasswordForm, NewPasswordForm, SetupForm
from survey_app.extensions import db
from survey_app.models import LinkPurpose, User

blueprint = Blueprint("onboarding", __name__)

Page = tuple[str, int] | HttpResponse


def _gone() -> tuple[str, int]:
    """The page of a link that does not work (any reason: expired, used, unknown)."""
    return render_template("auth/link_gone.html"), 404


def _logged_in(user: User, message: str) -> HttpResponse:
    """Start a fresh session for ``user`` and go to the start page."""
    db.session.commit()
    session.clear()
    login_user(user)
    flash(message)
    return redirect(url_for("facilitate.index"))


@blueprint.route("/setup/<token>", methods=["GET", "POST"])
@allow(Audience.everyone)
def setup(token: str) -> Page:
    """Create the first admin account (the link of ``survey-app init``)."""
    link = find_link(token, LinkPurpose.setup)
    if link is None:
        return _gone()
    form = SetupForm()
    if form.validate_on_submit():
        try:
            user = create_first_admin(
                link, form.email.data or "", form.name.data or "", form.password.data or ""
            )
        except AccountError as exc:
            form.email.errors = [*form.email.errors, str(exc)]
        else:
            return _logged_in(user, _("Your admin account is ready. Welcome!"))
    status = 422 if form.is_submitted() else 200
    return render_template("auth/setup.html", form=form), status


@blueprint.route("/invitation/<token>", methods=["GET", "POST"])
@allow(Audience.everyone)
def invitation(token: str) -> Page:
    """Choose the password of an account an admin made."""
    return _new_password(token, LinkPurpose.invitation)


@blueprint.route("/password/reset/<token>", methods=["GET", "POST"])
@allow(Audience.everyone)
def reset(token: str) -> Page:
    """Choose a new password with a reset link."""
    return _new_password(token, LinkPurpose.reset)


def _new_password(token: str, purpose: LinkPurpose) -> Page:
    link = find_link(token, purpose)
    if link is None or link.user is None:
        return _gone()
    account = link.user
    form = NewPasswordForm()
    if form.validate_on_submit():
        try:
            user = set_password_by_link(link, form.password.data or "")
        except AccountError as exc:
            form.password.errors = [*form.password.errors, str(exc)]
        else:
            return _logged_in(user, _("Your password is set."))
    status = 422 if form.is_submitted() else 200
    page = render_template("auth/new_password.html", form=form, account=account, purpose=purpose)
    return page, status


@blueprint.route("/password/forgot", methods=["GET", "POST"])
@allow(Audience.everyone)
def forgot() -> Page:
    """Ask for a reset link by e-mail (the same answer whether or not the account exists)."""
    form = ForgotPasswordForm()
    sent = False
    if links_by_mail() and form.validate_on_submit():
        email = normalize_email(form.email.data or "")
        user = db.session.scalar(select(User).filter_by(email=email))
        if user is not None and user.active and recent_resets(user) < RESETS_PER_HOUR:
            token = issue_link(LinkPurpose.reset, user)
            db.session.commit()
            mail_link_later(LinkPurpose.reset, user, token)
        sent = True
    status = 422 if form.is_submitted() and not sent else 200
    page = render_template("auth/forgot.html", form=form, sent=sent, mail_ready=links_by_mail())
    return page, status
