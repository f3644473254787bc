"""Deny by default: every view states who may use it; series access is checked per request."""

from __future__ import annotations

import enum
from collections.abc import Callable
from typing import Any, TypeVar

from flask import Flask, abort, current_app, jsonify, redirect, request, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload
from werkzeug.wrappers import Response as HttpResponse

from survey_app.accounts.session import token_problem
from survey_app.accounts.tokens import TokenProblem
from survey_app.extensions import db
from survey_app.models import AccessLevel, Role, Series, SeriesMember, User, Workshop

View = TypeVar("View", bound=Callable[..., Any])
ACCESS_ATTRIBUTE = "survey_access"
#: Endpoints that Flask or extensions add, open to everyone.
BUILTIN_PUBLIC = frozenset({"static"})


class Audience(enum.Enum):
    """Who may call a view, before any per-series check."""

    everyone = "everyone"  #: participants, anonymous visitors
    account = "account"  #: any logged-in account (series checked in the view)
    staff = "staff"  #: facilitators and admins
    admin = "admin"  #: admins only


def allow(audience: Audience) -> Callable[[View], View]:
    """Declare who may call the decorated view."""

    def mark(view: View) -> View:
        setattr(view, ACCESS_ATTRIBUTE, audience)
        return view

    return mark


def audience_of(endpoint: str | None) -> Audience | None:
    """Return the declared audience of an endpoint (None if it declares none)."""
    if endpoint is None:
        return None
    if endpoint in BUILTIN_PUBLIC:
        return Audience.everyone
    view = current_app.view_functions.get(endpoint)
    return getattr(view, ACCESS_ATTRIBUTE, None)


def guard_request() -> Any:
    """Refuse a request unless the view's audience includes the current user."""
    if request.endpoint is None:
        return None  # 404 or 405 follows
    audience = audience_of(request.endpoint)
    if audience is None:
        current_app.logger.error("view %s declares no audience; refused", request.endpoint)
        abort(403)
    if audience is Audience.everyone:
        return None
    if not current_user.is_authenticated:
        if request.blueprint == "api":
            return refuse_api_request()
        if request.accept_mimetypes.best == "application/json":
            return jsonify(error="authentication required"), 401
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
    role = current_user.role
    if audience is Audience.admin and role is not Role.admin:
        abort(403)
    if audience is Audience.staff and role not in (Role.admin, Role.facilitator):
        abort(403)
    return None


#: What the API says about a refused bearer token (for programs: stable English).
TOKEN_ERRORS = {
    TokenProblem.unknown: "invalid API token",
    TokenProblem.expired: "the API token has expired",
    TokenProblem.revoked: "the API token was revoked",
    TokenProblem.scope: "the API token may only read",
}


def refuse_api_request() -> tuple[HttpResponse, int]:
    """Answer an API request without a working login: 401 (403 for a token's scope).

    The body says why a bearer token was refused (``reason``: ``expired``,
    ``revoked``, ``unknown``, ``scope``); ``WWW-Authenticate`` says it as RFC 6750 asks.
    """
    problem = token_problem()
    if problem is None:
        answer = jsonify(error="authentication required")
        answer.headers["WWW-Authenticate"] = "Bearer"
        return answer, 401
    status = 403 if problem is TokenProblem.scope else 401
    answer = jsonify(error=TOKEN_ERRORS[problem], reason=problem.value)
    code = "insufficient_scope" if status == 403 else "invalid_token"
    answer.headers["WWW-Authenticate"] = (
        f'Bearer error="{code}", error_description="{TOKEN_ERRORS[problem]}"'
    )
    return answer, status


def series_level(user: User, series_id: int | None) -> AccessLevel | None:
    """Return what ``user`` may do in a series (admins manage everything)."""
    if user.role is Role.admin:
        return AccessLevel.manage
    if series_id is None:
        return None
    level = db.session.scalar(
        select(SeriesMember.level).filter_by(user_id=user.id, series_id=series_id)
    )
    if level is AccessLevel.manage and user.role is Role.viewer:
        return AccessLevel.read  # a viewer account never manages
    return level


def require_series(series_id: int | None, level: AccessLevel) -> None:
    """Abort with 403 unless the current user has ``level`` in the series."""
    granted = series_level(current_user, series_id)
    if granted is None or (level is AccessLevel.manage and granted is not AccessLevel.manage):
        abort(403)


def readable_series_ids(user: User) -> list[int] | None:
    """Return the ids of series ``user`` may read; None means all (admin)."""
    if user.role is Role.admin:
        return None
    return list(db.session.scalars(select(SeriesMember.series_id).filter_by(user_id=user.id)))


def register(app: Flask) -> None:
    """Install the guard on ``app``."""
    app.before_request(guard_request)


def workshop_with_access(workshop_id: int, level: AccessLevel = AccessLevel.read) -> Workshop:
    """Return the workshop, or abort with 404 (none) or 403 (no ``level`` in its series)."""
    workshop = db.session.get(Workshop, workshop_id)
    if workshop is None:
        abort(404)
    require_series(workshop.series_id, level)
    return workshop


def series_with_access(series_id: int, level: AccessLevel = AccessLevel.read) -> Series:
    """Return the series, or abort with 404 (none) or 403 (no ``level`` in it)."""
    series = db.session.get(Series, series_id)
    if series is None:
        abort(404)
    require_series(series.id, level)
    return series


def workshop_and_level(workshop_id: int) -> tuple[Workshop, AccessLevel]:
    """Return the workshop with its series (one query) and what the current user may do.

    Aborts with 404 (no such workshop) or 403 (no access to its series), as
    ``workshop_with_access`` does; the live screens poll it every few seconds.
    """
    workshop = db.session.scalar(
        select(Workshop).options(joinedload(Workshop.series)).where(Workshop.id == workshop_id)
    )
    if workshop is None:
        abort(404)
    level = series_level(current_user, workshop.series_id)
    if level is None:
        abort(403)
    return workshop, level
