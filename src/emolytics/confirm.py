"""Destructive actions ask first: the confirmation step of every page that deletes or ends.

Deleting a dataset or a model asks for its name, typed (no stray click or repeated submit can
give it); revoking a token or ending a session asks once, with a button. A POST that does not
confirm changes nothing and answers with the same question (400).
"""

from flask import render_template, request
from flask.typing import ResponseReturnValue
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import Length


class ConfirmNameForm(FlaskForm):
    confirm_name = StringField("Name", validators=[Length(max=200)])

    def confirms(self, name: str) -> bool:
        """True when a submitted form carries `name` exactly (surrounding spaces aside).

        A submission with another name or none gets an error on the field.
        """
        if not self.validate_on_submit():
            return False
        if (self.confirm_name.data or "").strip() == name.strip():
            return True
        self.confirm_name.errors.append(
            "Nothing was deleted: type the name exactly as shown above to confirm."
        )
        return False


def ask(
    form: FlaskForm,
    *,
    question: str,
    consequence: str,
    button: str,
    cancel_url: str,
    name: str | None = None,
) -> ResponseReturnValue:
    """The confirmation page: 200 when asking, 400 answering a submission that did not confirm.

    `name`, when given, is what the user must type into `form` (a `ConfirmNameForm`).
    """
    status = 400 if request.method == "POST" else 200
    page = render_template(
        "confirm.html",
        form=form,
        question=question,
        consequence=consequence,
        button=button,
        cancel_url=cancel_url,
        name=name,
    )
    return page, status
