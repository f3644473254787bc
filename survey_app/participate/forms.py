"""The join form and the CSRF check of a questionnaire post."""

from __future__ import annotations

from flask import current_app
from flask_wtf import FlaskForm
from flask_wtf.csrf import validate_csrf
from wtforms import StringField, ValidationError
from wtforms.validators import InputRequired, Length


def csrf_token_is_valid(token: str | None) -> bool:
    """Say whether a posted CSRF token belongs to this session and has not expired."""
    if not current_app.config.get("WTF_CSRF_ENABLED", True):
        return True
    try:
        validate_csrf(token)
    except ValidationError:
        return False
    return True


class JoinForm(FlaskForm):
    """The code a participant types at ``/j``."""

    class Meta:
        csrf = False  # a GET form that only redirects

    code = StringField(validators=[InputRequired(), Length(min=4, max=12)])
