"""The fixed part of the participant form; the questions are read by their types."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField
from wtforms.validators import InputRequired, Length


class ParticipationForm(FlaskForm):
    """CSRF token, submission id, language and consent of a questionnaire post."""

    submission_id = HiddenField(validators=[InputRequired(), Length(max=36)])
    lang = HiddenField()
    consent = StringField()
