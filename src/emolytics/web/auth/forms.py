"""Forms of the sign-in pages; content rules live in `accounts` and `passwords`."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from emolytics.passwords import MAX_LENGTH, MIN_LENGTH


class LoginForm(FlaskForm):
    username = StringField("Username", validators=[DataRequired(), Length(max=80)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=MAX_LENGTH)])
    remember = BooleanField("Keep me signed in on this device")


class RegisterForm(FlaskForm):
    username = StringField("Username", validators=[DataRequired(), Length(min=3, max=40)])
    password = PasswordField(
        "Password", validators=[DataRequired(), Length(min=MIN_LENGTH, max=MAX_LENGTH)]
    )
    confirm = PasswordField(
        "Repeat password", validators=[DataRequired(), EqualTo("password", "Passwords differ.")]
    )


class ReauthenticateForm(FlaskForm):
    password = PasswordField("Password", validators=[DataRequired(), Length(max=MAX_LENGTH)])
    # Asked only of users with a second factor (the page shows it to them alone).
    code = StringField("Authentication code or recovery code", validators=[Length(max=40)])


class SecondFactorForm(FlaskForm):
    code = StringField(
        "Authentication code or recovery code", validators=[DataRequired(), Length(max=40)]
    )


class ConfirmForm(FlaskForm):
    """A form with nothing but its CSRF token: for buttons that POST."""
