"""The account's own page: password, API tokens, "log out everywhere"; admins: anyone's tokens."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user
from werkzeug.wrappers import Response as HttpResponse

from survey_app.accounts.access import Audience, allow
from survey_app.accounts.limits import attempt_keys, record_failure, record_success, take_turn
from survey_app.accounts.operations import (
    AccountError,
    check_password,
    log_out_everywhere,
    set_password,
)
from survey_app.accounts.tokens import (
    TokenError,
    find_token,
    issue_api_token,
    revoke_token,
    tokens_of,
)
from survey_app.auth.forms import TokenForm
from survey_app.auth.password_forms import ChangePasswordForm
from survey_app.auth.views import wait_message
from survey_app.database import write_transaction
from survey_app.extensions import db
from survey_app.models import Role, User
from survey_app.models._time import utcnow

blueprint = Blueprint("account", __name__)


def _page(
    form: TokenForm,
    new_token: str | None = None,
    status: int = 200,
    password_form: ChangePasswordForm | None = None,
) -> HttpResponse:
    """Render the account page; nothing of it is kept by browsers or proxies."""
    page = render_template(
        "auth/account.html",
        form=form,
        password_form=password_form or ChangePasswordForm(formdata=None),
        tokens=tokens_of(current_user),
        now=utcnow(),
        new_token=new_token,
    )
    response = HttpResponse(page, status=status, mimetype="text/html")
    response.headers["Cache-Control"] = "private, no-store"
    return response


@blueprint.get("/account")
@allow(Audience.account)
def page() -> HttpResponse:
    """Show the account's API tokens, a form for a new one and "log out everywhere"."""
    return _page(TokenForm(formdata=None))


@blueprint.post("/account/tokens")
@allow(Audience.account)
def create_token() -> HttpResponse:
    """Make an API token and show it, this once."""
    form = TokenForm()
    if form.validate_on_submit():
        try:
            token = issue_api_token(current_user, form.name.data or "", form.expires_days.data)
        except TokenError:  # the form allows only what the operation accepts
            abort(400)
        db.session.commit()
        return _page(TokenForm(formdata=None), new_token=token)
    return _page(form, status=422)


@blueprint.post("/account/tokens/<int:token_id>/revoke")
@allow(Audience.account)
def revoke(token_id: int) -> HttpResponse:
    """Revoke one of the account's tokens (admins: anyone's)."""
    token = find_token(token_id)
    own = token is not None and token.user_id == current_user.id
    if token is None or not (own or current_user.role is Role.admin):
        abort(404)  # another account's token: as if there were none
    if revoke_token(token):
        db.session.commit()
        flash(_("The API token “%(name)s” is revoked.", name=token.name))
    if own:
        return redirect(url_for(".page"))
    return redirect(url_for(".user_tokens", user_id=token.user_id))


@blueprint.post("/account/password")
@allow(Audience.account)
def change_password() -> HttpResponse:
    """Change the password (the current one asked again); other sessions and tokens end."""
    form = ChangePasswordForm()
    user: User = current_user._get_current_object()  # noqa: SLF001 - the account itself
    if form.validate_on_submit():
        # The current password is checked like a login: a stolen session cannot try
        # passwords faster than the login form lets anyone.
        keys = attempt_keys(user.email, request.remote_addr)
        with write_transaction(db.session):
            turn = take_turn(keys)
        if not turn.allowed:
            form.current_password.errors = [wait_message(turn)]
            return _page(TokenForm(formdata=None), status=429, password_form=form)
        if not check_password(user, form.current_password.data or ""):
            with write_transaction(db.session):
                record_failure(keys)
            form.current_password.errors = [_("This is not your current password.")]
        else:
            record_success(keys)
            try:
                set_password(user, form.password.data or "")
            except AccountError as exc:
                form.password.errors = [str(exc)]
            else:
                db.session.commit()
                session.clear()
                login_user(user)  # this browser stays logged in, with the new session id
                flash(
                    _(
                        "Your password is changed. Your other sessions are ended and your"
                        " API tokens revoked."
                    )
                )
                return redirect(url_for(".page"))
    return _page(TokenForm(formdata=None), status=422, password_form=form)


@blueprint.post("/account/logout-everywhere")
@allow(Audience.account)
def logout_everywhere() -> HttpResponse:
    """End every session of the account and revoke all its API tokens."""
    log_out_everywhere(current_user)
    db.session.commit()
    logout_user()
    session.clear()
    flash(_("You are logged out everywhere, and every API token of your account is revoked."))
    return redirect(url_for("auth.login"))


@blueprint.get("/admin/users/<int:user_id>/tokens")
@allow(Audience.admin)
def user_tokens(user_id: int) -> HttpResponse:
    """List any account's API tokens, to revoke them."""
    user = db.get_or_404(User, user_id)
    page = render_template("auth/user_tokens.html", user=user, tokens=tokens_of(user), now=utcnow())
    response = HttpResponse(page, mimetype="text/html")
    response.headers["Cache-Control"] = "private, no-store"
    return response
