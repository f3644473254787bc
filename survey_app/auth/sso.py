"""``/login/sso`` and its callback: single sign-on for staff with OpenID Connect.

Off (404) unless ``SURVEY_OIDC_ISSUER``, ``SURVEY_OIDC_CLIENT_ID`` and
``SURVEY_OIDC_CLIENT_SECRET`` are set. A sign-on logs in like a password: the session
identifier carries the account's nonce, so logging out (everywhere) ends it too.
"""

from __future__ import annotations

from typing import Any

from flask import abort, current_app, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import login_user
from werkzeug.wrappers import Response as HttpResponse

from survey_app.accounts.access import Audience, allow
from survey_app.accounts.identities import account_for_sign_on
from survey_app.accounts.sso import (
    SsoError,
    SsoProblem,
    begin_sign_on,
    finish_sign_on,
    sso_client,
    sso_settings,
)
from survey_app.auth.views import blueprint, safe_next
from survey_app.extensions import db
from survey_app.site_settings import base_url

#: Where the page to show after the sign-on waits in the session meanwhile.
NEXT_KEY = "sso_next"
#: The status of each refusal: the person may not (403), the request is spoiled (400),
#: the provider failed us (502).
STATUS = {
    SsoProblem.provider_refused: 403,
    SsoProblem.bad_state: 400,
    SsoProblem.provider_unreachable: 502,
    SsoProblem.invalid_token: 502,
    SsoProblem.unverified_email: 403,
    SsoProblem.unknown_email: 403,
    SsoProblem.disabled: 403,
    SsoProblem.subject_mismatch: 403,
    SsoProblem.subject_taken: 403,
}


def problem_text(problem: SsoProblem) -> str:
    """Return what a person is told about ``problem``, in their language."""
    texts = {
        SsoProblem.provider_refused: _(
            "The sign-in was cancelled or refused at the sign-in service. Please try again."
        ),
        SsoProblem.bad_state: _(
            "This sign-in link has expired or was already used. Please start again from"
            " the login page."
        ),
        SsoProblem.provider_unreachable: _(
            "The sign-in service cannot be reached just now. Please try again in a moment,"
            " or log in with your password."
        ),
        SsoProblem.invalid_token: _(
            "The answer of the sign-in service could not be verified. Please try again,"
            " or log in with your password."
        ),
        SsoProblem.unverified_email: _(
            "The sign-in service has not confirmed your e-mail address. Please confirm it"
            " there, or log in with your password."
        ),
        SsoProblem.unknown_email: _(
            "There is no account for this e-mail address. Accounts are not created at"
            " sign-in: please ask an administrator for an invitation."
        ),
        SsoProblem.disabled: _(
            "This account is deactivated. Please ask an administrator if you need it again."
        ),
        SsoProblem.subject_mismatch: _(
            "This account signed in before as another person of the sign-in service."
            " Please ask an administrator."
        ),
        SsoProblem.subject_taken: _(
            "Your sign-in belongs to another account here. Please ask an administrator."
        ),
    }
    return texts[problem]


def refusal(problem: SsoProblem) -> tuple[str, int]:
    """Return the page that says why nobody was logged in, and its status."""
    page = render_template("auth/sso_refused.html", message=problem_text(problem))
    return page, STATUS[problem]


def _redirect_uri() -> str:
    """Return the callback URL the provider sends people back to (as registered there):
    the public address (``site_settings``), else the address this page was opened under."""
    return base_url() + url_for("auth.sso_callback")


def _client_or_404() -> Any:
    client = sso_client()
    if client is None:
        abort(404)
    return client


@blueprint.get("/login/sso")
@allow(Audience.everyone)
def sso_start() -> HttpResponse | tuple[str, int]:
    """Send the person to the sign-in service.

    A link, not a form: the pages' Content-Security-Policy (``form-action 'self'``)
    would stop a browser following a form's redirect to the provider. Starting a
    sign-on changes nothing but this session's pending state.
    """
    client = _client_or_404()
    session[NEXT_KEY] = safe_next(request.args.get("next"))
    try:
        return begin_sign_on(client, _redirect_uri())
    except SsoError as error:
        return refusal(error.problem)


@blueprint.get("/login/sso/callback")
@allow(Audience.everyone)
def sso_callback() -> HttpResponse | tuple[str, int]:
    """Check the sign-in service's answer and log the matching account in."""
    client = _client_or_404()
    settings = sso_settings(current_app.config)
    assert settings is not None  # a client exists only with settings
    target = session.pop(NEXT_KEY, None)
    try:
        claims = finish_sign_on(client, settings.issuer, request.args.get("iss"))
        user = account_for_sign_on(settings.issuer, claims)
    except SsoError as error:
        db.session.rollback()
        return refusal(error.problem)
    session.clear()  # a new session: nothing from before the login survives
    login_user(user)
    db.session.commit()
    return redirect(safe_next(target))
