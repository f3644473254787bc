"""The fixed part of the participant form; the questions are read by their types."""

from __future__ import annotations

from flask import current_app
from flask_wtf import FlaskForm
from flask_wtf.csrf import validate_csrf
from wtforms import HiddenField, StringField, ValidationError
from wtforms.validators import InputRequired, Length


class ParticipationForm(FlaskForm):
    """CSRF token, submission id, language and consent of a questionnaire post."""

    submission_id = HiddenField(validators=[InputRequired(), Length(max=36)])
    lang = HiddenField()
    consent = StringField()


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
