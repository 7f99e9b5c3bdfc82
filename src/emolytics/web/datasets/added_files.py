"""Adding a file's texts to a dataset: the form, and what it tells once they are stored."""

from flask import flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import login_required

from emolytics import current_team, request_audit
from emolytics.accounts.audit import named
from emolytics.pipeline import added_files, datasets
from emolytics.pipeline.ingest import IngestError
from emolytics.pipeline.quotas import QuotaExceeded
from emolytics.schemas.files import named_columns
from emolytics.tables import Role
from emolytics.web.datasets import bp, uploads
from emolytics.web.datasets.forms import AddFileForm


@bp.route("/<int:dataset_id>/files", methods=["GET", "POST"])
@login_required
@current_team.requires(Role.ANALYST)
def add_file(dataset_id: int) -> ResponseReturnValue:
    dataset = datasets.owned(current_team.team_id(), dataset_id)
    form = AddFileForm()
    status = 400
    if form.validate_on_submit():
        uploaded = form.file.data
        try:
            added = added_files.add_file(
                dataset,
                uploaded.stream,
                uploaded.filename,
                named_columns(form.data),
                form.sheet.data or None,
                form.skip_bad_rows.data,
            )
        except QuotaExceeded as error:
            form.file.errors.append(str(error))
            status = 413
        except IngestError as error:
            uploads.show_error(form, error)
        else:
            request_audit.team_event(
                "dataset.file_added", named("dataset", dataset.id, dataset.name)
            )
            flash(uploads.added_message(added, uploaded.filename, uploaded.stream), "success")
            return redirect(url_for("datasets.show", dataset_id=dataset.id))
    page = render_template("datasets/add_file.html", dataset=dataset, form=form)
    return page, status if form.errors else 200
