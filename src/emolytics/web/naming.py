"""The form that renames a dataset or a model, and its one rule: 1 to 120 characters, trimmed."""

from flask import abort
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from emolytics.schemas.fields import MAX_NAME_CHARS


class RenameForm(FlaskForm):
    name = StringField("Name", validators=[DataRequired(), Length(max=MAX_NAME_CHARS)])


def new_name(thing: str) -> str:
    """The name the posted form gives `thing` ("dataset", "model"), trimmed; a 400 that says
    what a name may be when it gives none."""
    form = RenameForm()
    if not form.validate_on_submit() or not form.name.data.strip():
        abort(400, f"Give the {thing} a name of 1 to {MAX_NAME_CHARS} characters.")
    return form.name.data.strip()
