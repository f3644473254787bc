"""Forms of the facilitator pages."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    Field,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
    ValidationError,
)

from survey_app.briefing.summary_page import split_messages
from survey_app.models import DEFAULT_TIME_ZONE
from survey_app.site_settings import time_zones
from survey_app.workshops.operations import SERIES_SLUG


class SeriesSettingsForm(FlaskForm):
    """A series' title, description and the k of everything published from it.

    ``allowed`` is the range of k (``workshops.thresholds.series_group_size_range``):
    from the server's floor (``MIN_GROUP_SIZE``) up; empty means the floor.
    """

    title = StringField(_l("Title"), validators=[InputRequired(), Length(max=300)])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=5000)])
    min_group_size = IntegerField(validators=[Optional()])
    time_zone = SelectField(default=DEFAULT_TIME_ZONE, validators=[Optional()])

    def __init__(self, *args: Any, allowed: tuple[int, int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.allowed = allowed
        self.time_zone.choices = [(name, name) for name in time_zones()]
        self.time_zone.label.text = _("Time zone")
        self.time_zone.description = _("Times of the series' workshops are shown in it.")
        self.min_group_size.label.text = _("Smallest group shown (k)")
        self.min_group_size.description = _(
            "Counts of 1 to k−1 are hidden in everything published from this series: "
            "dashboards of viewers, the API, briefings and the participants' results page. "
            "Empty: this server's minimum, %(floor)d.",
            floor=allowed[0],
        )

    def validate_min_group_size(self, field: Field) -> None:
        """Refuse a k below the server's floor (or an absurd one)."""
        low, high = self.allowed
        if field.data is not None and not low <= field.data <= high:
            raise ValidationError(
                _(
                    "Please give a whole number from %(low)d (this server's minimum) to %(high)d.",
                    low=low,
                    high=high,
                )
            )


class SeriesForm(SeriesSettingsForm):
    """A new series of workshops."""

    slug = StringField(
        _l("Short name"),
        validators=[
            InputRequired(),
            Length(max=64),
            Regexp(SERIES_SLUG, message=_l("Lower-case letters, digits and hyphens.")),
        ],
    )


class WorkshopForm(FlaskForm):
    """Create or edit a workshop.

    ``allowed`` is the range of the room's k
    (``workshops.thresholds.room_group_size_range``): from 2 up to the published k
    of the workshop's series, which is what an empty field means.
    """

    instrument_version_id = SelectField(_l("Questionnaire"), coerce=int)
    title = StringField(_l("Title"), validators=[InputRequired(), Length(max=300)])
    municipality = StringField(_l("Municipality"), validators=[Optional(), Length(max=200)])
    date = DateField(_l("Date"), validators=[Optional()])
    results_for_participants = BooleanField(_l("Show participants the results after they answer"))
    room_min_group_size = IntegerField(validators=[Optional()])
    paced = BooleanField()
    expected_participants = IntegerField(validators=[Optional(), NumberRange(min=1, max=100_000)])

    def __init__(self, *args: Any, allowed: tuple[int, int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.allowed = allowed
        self.expected_participants.label.text = _("People expected")
        self.expected_participants.description = _(
            "About how many people will answer. Far more responses per minute than this "
            "are flagged on the workshop page as an unusual burst. Empty: not said."
        )
        self.paced.label.text = _("Facilitator-paced: phones show the question the room is on")
        self.paced.description = _(
            "You move the room from question to question on the workshop page; "
            "each phone shows only the current question and follows your moves."
        )
        self.room_min_group_size.label.text = _("Smallest group shown on the room's screens")
        self.room_min_group_size.description = _(
            "Only for this workshop's presenter view and its facilitators' live dashboard, "
            "e.g. 3 in a small local workshop. Empty: the series' threshold, %(k)d. "
            "Viewers, the API, briefings and the participants' results page always use %(k)d.",
            k=allowed[1],
        )

    def validate_room_min_group_size(self, field: Field) -> None:
        """Refuse a room k below 2 or above the published k."""
        low, high = self.allowed
        if field.data is not None and not low <= field.data <= high:
            raise ValidationError(
                _(
                    "Please give a whole number from %(low)d to %(high)d "
                    "(the published threshold), or leave it empty.",
                    low=low,
                    high=high,
                )
            )


class ConfirmForm(FlaskForm):
    """A confirmation that must repeat the thing's title."""

    confirm = StringField(_l("Type the title to confirm"), validators=[InputRequired()])


#: The owner choice "no series": the uploading account owns a new key.
OWNED_BY_ACCOUNT = 0


class InstrumentUploadForm(FlaskForm):
    """A questionnaire file to check and store: YAML or an XLSForm.

    ``series`` are the series the uploader may give a new key to (those it manages;
    every series for an admin), as ``(id, title)``; ``owner`` is one of them or
    ``OWNED_BY_ACCOUNT``. New versions of a stored key keep the key's owner.
    """

    file = FileField(_l("Questionnaire file"), validators=[FileRequired()])
    owner = SelectField(coerce=int, default=OWNED_BY_ACCOUNT)

    def __init__(self, *args: Any, series: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.owner.choices = [*series, (OWNED_BY_ACCOUNT, _("No series: my account only"))]
        self.owner.label.text = _("Owner of a new questionnaire")
        self.owner.description = _(
            "Only the facilitators who manage this series, and admins, may publish new "
            "versions of it. New versions of a stored questionnaire keep its owner."
        )


class InstrumentOwnerForm(FlaskForm):
    """The series an admin gives a questionnaire key to (``series``: ``(id, title)``)."""

    series_id = SelectField(coerce=int, validators=[InputRequired()])

    def __init__(self, *args: Any, series: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.series_id.choices = series
        self.series_id.label.text = _("Give it to the series")


class BriefingTextForm(FlaskForm):
    """Key messages (paragraphs) and recommendations for a briefing's summary page."""

    messages = TextAreaField(validators=[Optional(), Length(max=8000)], render_kw={"rows": 14})
    recommendations = TextAreaField(
        validators=[Optional(), Length(max=4000)], render_kw={"rows": 6}
    )

    def __init__(self, *args: Any, most: int, length: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.most, self.length = most, length
        self.messages.label.text = _("Key messages: one paragraph each, an empty line between")
        self.recommendations.label.text = _("Recommendations (optional)")

    def validate_messages(self, field: Field) -> None:
        """At most ``most`` paragraphs of at most ``length`` characters each."""
        paragraphs = split_messages(field.data or "")
        if len(paragraphs) > self.most or any(len(p) > self.length for p in paragraphs):
            raise ValidationError(
                _(
                    "At most %(count)d key messages of %(length)d characters each.",
                    count=self.most,
                    length=self.length,
                )
            )
