"""Forms of the dataset pages; file contents are checked in `pipeline.reading`."""

from datetime import UTC, datetime, time

from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import (
    BooleanField,
    Field,
    HiddenField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields import DateField, TimeField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, StopValidation

from emolytics.pipeline.formats import spreadsheet_advice

ALLOWED = ["csv", "tsv", "xlsx", "xlsm", "xls", "ods", "jsonl", "ndjson", "json", "txt"]


def not_a_spreadsheet(form: FlaskForm, field: Field) -> None:
    """A spreadsheet gets the fix named instead of the list of allowed types."""
    if advice := spreadsheet_advice(getattr(field.data, "filename", None)):
        raise StopValidation(advice)


class FileForm(FlaskForm):
    """A file of texts and how to read it: the fields an upload shares with adding a file to
    a dataset."""

    file = FileField(
        "Texts (CSV, Excel, JSON, JSON Lines or plain text)",
        validators=[
            FileRequired(),
            not_a_spreadsheet,
            FileAllowed(ALLOWED, "Use a CSV, XLSX, JSON, JSONL or TXT file."),
        ],
    )
    sheet = StringField(
        "Sheet (of a workbook; empty: the first with a filled cell)",
        validators=[Optional(), Length(max=200)],
    )
    text_column = StringField("Text column", validators=[Optional(), Length(max=200)])
    time_column = StringField("Timestamp column", validators=[Optional(), Length(max=200)])
    author_column = StringField("Author column", validators=[Optional(), Length(max=200)])
    lat_column = StringField("Latitude column", validators=[Optional(), Length(max=200)])
    lon_column = StringField("Longitude column", validators=[Optional(), Length(max=200)])
    segment_column = StringField(
        "Segment column (product, channel, store…: the dashboard breaks emotions down by it)",
        validators=[Optional(), Length(max=200)],
    )
    place_column = StringField(
        "Place column (a city, “Austin, TX”, a country: puts texts without latitude and "
        "longitude on the map)",
        validators=[Optional(), Length(max=200)],
    )
    country_column = StringField(
        "Country column (or state, province: the place's, which tells cities of one name apart; "
        "alone, the country is the place)",
        validators=[Optional(), Length(max=200)],
    )
    skip_bad_rows = BooleanField("Skip rows that cannot be read (they are listed afterwards)")


class UploadForm(FileForm):
    name = StringField(
        "Dataset name (optional: the file's name)", validators=[Optional(), Length(max=120)]
    )
    keywords = StringField(
        "Keywords to track (comma-separated)", validators=[Optional(), Length(max=4000)]
    )
    mask_personal_data = BooleanField(
        "Mask personal data: e-mail addresses, phone numbers, card and bank account numbers and "
        "IP addresses in the texts; authors replaced by pseudonyms"
    )


class AddFileForm(FileForm):
    skip_bad_rows = BooleanField("Skip rows that cannot be read (the first are named afterwards)")
    # offered once the file was refused for being in the dataset already
    again = BooleanField("Add it again even though this dataset has it already")


class KeywordsForm(FlaskForm):
    keywords = TextAreaField(
        "Keywords (comma-separated)", validators=[Optional(), Length(max=4000)]
    )


class RerunForm(FlaskForm):
    model = SelectField("Model", choices=[], validators=[Optional()])


class CorrectionForm(FlaskForm):
    """A text's right label; the pipeline checks it is one of the analysis's labels."""

    label = SelectField(
        "Right label", choices=[], validate_choice=False, validators=[DataRequired()]
    )
    next = HiddenField()  # the page to come back to (same site only)


class TickedCorrectionForm(CorrectionForm):
    """One right label for the texts ticked in the texts table."""

    text_id = SelectMultipleField(coerce=int, validate_choice=False)

    def problem(self) -> str | None:
        """Why the form cannot be used, in words (None: it can)."""
        if not self.validate_on_submit():
            if self.text_id.errors:
                return "The ticked texts could not be read: tick them again."
            return "Choose the label to set."
        if not self.text_id.data:
            return "Tick the texts to correct first."
        return None


class AdaptForm(FlaskForm):
    name = StringField("Name of the new model (optional)", validators=[Optional(), Length(max=120)])


class SaveViewForm(FlaskForm):
    name = StringField(
        "Save this view as", validators=[DataRequired("Give the view a name."), Length(max=120)]
    )


class AnnotationForm(FlaskForm):
    day = DateField("Date", validators=[InputRequired("Choose the date it happened.")])
    time = TimeField("Time (UTC, optional)", validators=[Optional()])
    note = StringField(
        "What happened",
        validators=[DataRequired("Write what happened (a few words)."), Length(max=200)],
    )

    def moment(self) -> datetime:
        """The date and time chosen, in UTC (midnight without a time)."""
        return datetime.combine(self.day.data, self.time.data or time(0), tzinfo=UTC)


def problem(form: FlaskForm) -> str:
    """The first reason a refused form gives, in words."""
    for errors in form.errors.values():
        return str(errors[0]).rstrip(".") + "."
    return "try again."
