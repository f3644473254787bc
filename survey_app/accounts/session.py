"""Flask-Login set-up: session cookies for people, bearer tokens for programs."""

from __future__ import annotations

from flask import Flask, Request

from survey_app.accounts.operations import load_session_user, user_for_api_token
from survey_app.extensions import login_manager
from survey_app.models import User


def configure_login(app: Flask) -> None:
    """Bind Flask-Login to ``app`` with our loaders."""
    login_manager.init_app(app)
    # The session identifier carries a nonce instead; "strong" protection would
    # hash the client address into the session, and we keep no addresses.
    login_manager.session_protection = None
    login_manager.login_view = "auth.login"
    login_manager.user_loader(_load_user)
    login_manager.request_loader(_load_bearer)


def _load_user(session_id: str) -> User | None:
    return load_session_user(session_id)


def _load_bearer(request: Request) -> User | None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return user_for_api_token(token.strip())
