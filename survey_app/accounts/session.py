"""Flask-Login set-up: session cookies for people, bearer tokens for programs.

A bearer token is looked at under ``/api/v1`` only (the ``api`` blueprint): anywhere
else the request is what it would be without the header, so a token opens no page
and no form. Why a token was refused is kept in ``g`` for the 401 answer.
"""

from __future__ import annotations

from flask import Flask, Request, g

from survey_app.accounts.operations import load_session_user
from survey_app.accounts.tokens import TokenProblem, check_api_token, note_use
from survey_app.extensions import login_manager
from survey_app.models import User

#: The blueprint whose routes accept bearer tokens.
TOKEN_BLUEPRINT = "api"


def configure_login(app: Flask) -> None:
    """Bind Flask-Login to ``app`` with our loaders."""
    login_manager.init_app(app)
    # The session identifier carries a nonce instead; "strong" protection would
    # hash the client address into the session, and we keep no addresses.
    login_manager.session_protection = None
    login_manager.login_view = "auth.login"
    login_manager.user_loader(_load_user)
    login_manager.request_loader(_load_bearer)


def bearer_token(request: Request) -> str | None:
    """Return the token of an ``Authorization: Bearer`` header, if there is one."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


def token_problem() -> TokenProblem | None:
    """Return why this request's bearer token was refused (None: none was, or none given)."""
    problem = g.get("api_token_problem")
    return problem if isinstance(problem, TokenProblem) else None


def _load_user(session_id: str) -> User | None:
    return load_session_user(session_id)


def _load_bearer(request: Request) -> User | None:
    if request.blueprint != TOKEN_BLUEPRINT:
        return None
    token = bearer_token(request)
    if token is None:
        return None
    check = check_api_token(token, request.method)
    if check.problem is not None or check.token is None:
        g.api_token_problem = check.problem
        return None
    note_use(check.token)
    return check.user
