"""Login form and the form that gives an account access to a series."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import EmailField, HiddenField, PasswordField, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length


class LoginForm(FlaskForm):
    """E-mail and password (field names are fixed by the design)."""

    email = EmailField("E-mail", validators=[InputRequired(), Length(max=254)])
    password = PasswordField("Password", validators=[InputRequired(), Length(max=1000)])
    next = HiddenField()


class MemberForm(FlaskForm):
    """Give an account access to a series."""

    email = EmailField("E-mail", validators=[InputRequired(), Length(max=254)])
    level = SelectField(
        "Access",
        choices=[SelectChoice("read", "Read results"), SelectChoice("manage", "Run workshops")],
    )
