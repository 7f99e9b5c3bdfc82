from flask_wtf import FlaskForm
from wtforms import IntegerField, PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, EqualTo, Length, NumberRange, Optional

from emolytics.passwords import MAX_LENGTH, MIN_LENGTH


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(
        "Current password", validators=[DataRequired(), Length(max=MAX_LENGTH)]
    )
    new_password = PasswordField(
        "New password", validators=[DataRequired(), Length(min=MIN_LENGTH, max=MAX_LENGTH)]
    )
    confirm = PasswordField(
        "Repeat new password",
        validators=[DataRequired(), EqualTo("new_password", "Passwords differ.")],
    )


class NewTokenForm(FlaskForm):
    name = StringField("Token name", validators=[DataRequired(), Length(max=80)])
    expires_in_days = IntegerField(
        "Expires after (days, empty for never)",
        validators=[Optional(), NumberRange(min=1, max=3650)],
    )
    scope = SelectField(
        "Scope",
        choices=[
            SelectChoice("read", "read: GET only"),
            SelectChoice("write", "write: read and change"),
        ],
        default="read",
    )


class DeleteAccountForm(FlaskForm):
    password = PasswordField("Password", validators=[DataRequired(), Length(max=MAX_LENGTH)])


class AppCodeForm(FlaskForm):
    code = StringField("Code from the app", validators=[DataRequired(), Length(max=20)])


class DisableAppForm(FlaskForm):
    password = PasswordField("Password", validators=[DataRequired(), Length(max=MAX_LENGTH)])


class PasskeyNameForm(FlaskForm):
    name = StringField("Name", validators=[DataRequired(), Length(max=80)])


class EmailForm(FlaskForm):
    email = StringField("Email address", validators=[DataRequired(), Length(max=254)])
