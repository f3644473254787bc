"""The fixed part of the participant form; the questions are read by their types."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField
from wtforms.validators import InputRequired, Length

from survey_app.participate.operations import is_submission_id


class ParticipationForm(FlaskForm):
    """CSRF token, submission id, language and consent of a questionnaire post."""

    submission_id = HiddenField(validators=[InputRequired(), Length(max=36)])
    lang = HiddenField()
    consent = StringField()

    def submission_id_is_valid(self) -> bool:
        """Say whether the posted submission id is a UUID."""
        return is_submission_id(self.submission_id.data or "")

    def csrf_is_valid(self) -> bool:
        """Validate the form; say whether only the CSRF token let it down."""
        self.validate()
        return "csrf_token" not in self.errors


class JoinForm(FlaskForm):
    """The code a participant types at ``/j``."""

    class Meta:
        csrf = False  # a GET form that only redirects

    code = StringField(validators=[InputRequired(), Length(min=4, max=12)])
