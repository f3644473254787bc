"""Recording actions on data in the audit log (the caller commits)."""

from __future__ import annotations

from typing import Any

from flask import has_request_context
from flask_login import current_user

from survey_app.extensions import db
from survey_app.models import AuditEntry


def record(action: str, target: str, **detail: Any) -> AuditEntry:
    """Add an audit entry for the current account (or the command line)."""
    user_id, actor = None, "command line"
    if has_request_context() and current_user and current_user.is_authenticated:
        user_id, actor = current_user.id, current_user.email
    entry = AuditEntry(user_id=user_id, actor=actor, action=action, target=target, detail=detail)
    db.session.add(entry)
    return entry
