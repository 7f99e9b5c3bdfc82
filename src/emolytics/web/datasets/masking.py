"""Masking the personal data of a dataset's stored texts, asked first: it cannot be undone."""

from flask import flash, redirect, url_for
from flask.typing import ResponseReturnValue
from flask_login import login_required
from flask_wtf import FlaskForm

from emolytics import confirm, current_team, request_audit
from emolytics.accounts.audit import named
from emolytics.pipeline import datasets, personal_data
from emolytics.tables import Role
from emolytics.web.datasets import bp
from emolytics.wording import plural


@bp.route("/<int:dataset_id>/mask", methods=["GET", "POST"])
@login_required
@current_team.requires(Role.ANALYST)
def mask(dataset_id: int) -> ResponseReturnValue:
    dataset = datasets.owned(current_team.team_id(), dataset_id)
    back = url_for("datasets.show", dataset_id=dataset.id)
    form = FlaskForm()
    if not form.validate_on_submit():
        return confirm.ask(
            form,
            question=f"Mask the personal data of “{dataset.name}”?",
            consequence=f"E-mail addresses, phone numbers, card and bank account numbers and IP "
            f"addresses in its {plural(dataset.row_count, 'text')} are replaced by [email], "
            "[phone], [card], [iban] and [ip], and its authors by pseudonyms; then the texts are "
            "analysed again. Every text added later is masked as it is stored. This cannot be "
            "undone: the texts as they were are not kept.",
            button="Mask personal data",
            cancel_url=back,
        )
    try:
        job = personal_data.start_masking(dataset)
    except personal_data.MaskingRefused as error:
        flash(str(error), "error")
        return redirect(back)
    request_audit.team_event("dataset.masked", named("dataset", dataset.id, dataset.name))
    if job is None:
        flash("Personal data will be masked in every text this dataset is given.", "success")
    else:
        flash("The texts are being masked; they are analysed again after.", "success")
    return redirect(back)
