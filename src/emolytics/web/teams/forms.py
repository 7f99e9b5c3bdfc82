"""Forms of the team pages; the rules live in `accounts.members` and `accounts.invitations`."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, IntegerField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from emolytics.accounts.invitations import DEFAULT_DAYS, EMAIL_MAX, MAX_DAYS, MIN_DAYS
from emolytics.accounts.teams import NAME_MAX
from emolytics.tables import Role

ROLE_CHOICES = [role.label for role in Role]


class TeamNameForm(FlaskForm):
    name = StringField("Team name", validators=[DataRequired(), Length(max=NAME_MAX)])


class SettingsForm(TeamNameForm):
    require_second_factor = BooleanField("Members must use a second factor (owners only)")


class SwitchForm(FlaskForm):
    team_id = IntegerField(validators=[DataRequired()])
    next = HiddenField()


class RoleForm(FlaskForm):
    role = SelectField("Role", choices=ROLE_CHOICES)


class InvitationForm(FlaskForm):
    role = SelectField("Role", choices=ROLE_CHOICES, default=Role.VIEWER.label)
    expires_days = IntegerField(
        f"Expires after (days, {MIN_DAYS}-{MAX_DAYS})",
        default=DEFAULT_DAYS,
        validators=[DataRequired(), NumberRange(min=MIN_DAYS, max=MAX_DAYS)],
    )
    email = StringField(
        "Email the link to (optional)",
        validators=[Optional(), Length(max=EMAIL_MAX)],
    )
    allow_registration = BooleanField("The invitee may create an account through the link")


class TransferForm(FlaskForm):
    user_id = SelectField("New owner", coerce=int, validate_choice=False)


class AlertEmailForm(FlaskForm):
    alert_email = BooleanField("Email me this team's alerts")


class DigestForm(FlaskForm):
    period = SelectField(
        "How often",
        choices=[SelectChoice("daily", "Daily"), SelectChoice("weekly", "Weekly (Mondays)")],
    )
    # 0: the whole team; the dataset choices are the team's, set by the view
    dataset_id = SelectField("Of", coerce=int, validate_choice=False)


class RemoveDigestForm(FlaskForm):
    digest_id = IntegerField(validators=[DataRequired()])
