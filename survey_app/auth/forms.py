"""Login form, the form that gives an account access to a series, the API token form."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_wtf import FlaskForm
from wtforms import EmailField, HiddenField, PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length

from survey_app.models import Role
from survey_app.models._text import plain_label

#: What each role is called on the pages.
ROLE_NAMES = {
    Role.admin: _l("Admin"),
    Role.facilitator: _l("Facilitator"),
    Role.viewer: _l("Viewer"),
}


class LoginForm(FlaskForm):
    """E-mail and password (field names are fixed by the design)."""

    email = EmailField(_l("E-mail"), validators=[InputRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[InputRequired(), Length(max=1000)])
    next = HiddenField()


class MemberForm(FlaskForm):
    """Give an account access to a series."""

    email = EmailField(_l("E-mail"), validators=[InputRequired(), Length(max=254)])
    level = SelectField(
        _l("Access"),
        choices=[
            SelectChoice("read", _l("Read results")),
            SelectChoice("manage", _l("Run workshops")),
        ],
    )


#: The lives a new API token may be given in the browser, in days (90 is the default).
TOKEN_DAYS = (7, 30, 90, 180, 365)


class TokenForm(FlaskForm):
    """A new API token: what it is for and how long it works."""

    name = StringField(
        validators=[DataRequired(), Length(max=200)],
        filters=[lambda text: plain_label(text) if isinstance(text, str) else text],
    )
    expires_days = SelectField(coerce=int, default=90)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.name.label.text = _("Name")
        self.name.description = _("What the token is for, e.g. the script that uses it.")
        self.expires_days.label.text = _("Expires after")
        self.expires_days.choices = [
            SelectChoice(days, ngettext("%(num)d day", "%(num)d days", days)) for days in TOKEN_DAYS
        ]
