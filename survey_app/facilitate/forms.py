"""Forms of the facilitator pages."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, DateField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional, Regexp


class SeriesForm(FlaskForm):
    """A new series of workshops."""

    title = StringField("Title", validators=[InputRequired(), Length(max=300)])
    slug = StringField(
        "Short name",
        validators=[
            InputRequired(),
            Length(max=64),
            Regexp(r"^[a-z0-9][a-z0-9-]*$", message="Lower-case letters, digits and hyphens."),
        ],
    )
    description = TextAreaField("Description", validators=[Optional(), Length(max=5000)])


class WorkshopForm(FlaskForm):
    """Create or edit a workshop."""

    instrument_version_id = SelectField("Questionnaire", coerce=int)
    title = StringField("Title", validators=[InputRequired(), Length(max=300)])
    municipality = StringField("Municipality", validators=[Optional(), Length(max=200)])
    date = DateField("Date", validators=[Optional()])
    results_for_participants = BooleanField("Show participants the results after they answer")


class ConfirmForm(FlaskForm):
    """A confirmation that must repeat the thing's title."""

    confirm = StringField("Type the title to confirm", validators=[InputRequired()])


class InstrumentUploadForm(FlaskForm):
    """A questionnaire file to check and store: YAML or an XLSForm."""

    file = FileField("Questionnaire file", validators=[FileRequired()])
