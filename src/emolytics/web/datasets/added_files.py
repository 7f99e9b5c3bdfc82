"""A dataset's files: the page listing them with the form adding another's texts, and taking
a file's texts out again (asked first)."""

from flask import flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from emolytics import confirm, current_team, request_audit
from emolytics.accounts.audit import named
from emolytics.pipeline import added_files, dataset_files, datasets
from emolytics.pipeline.ingest import IngestError
from emolytics.pipeline.quotas import QuotaExceeded
from emolytics.schemas.files import named_columns
from emolytics.tables import Role
from emolytics.web.datasets import bp, uploads
from emolytics.web.datasets.forms import AddFileForm
from emolytics.wording import plural


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
                again=form.again.data,
                user_id=current_user.id,
            )
        except QuotaExceeded as error:
            form.file.errors.append(str(error))
            status = 413
        except dataset_files.DuplicateFile as error:
            form.file.errors.append(str(error))
            status = 409
        except IngestError as error:
            uploads.show_error(form, error)
        else:
            request_audit.team_event(
                "dataset.file_added", named("dataset", dataset.id, dataset.name)
            )
            flash(uploads.added_message(added, uploaded.filename, uploaded.stream), "success")
            return redirect(url_for("datasets.show", dataset_id=dataset.id))
    page = render_template(
        "datasets/add_file.html",
        dataset=dataset,
        form=form,
        files=dataset_files.listed(dataset.id),
        duplicate=status == 409,
    )
    return page, status if form.errors else 200


@bp.route("/<int:dataset_id>/files/<int:file_id>/remove", methods=["GET", "POST"])
@login_required
@current_team.requires(Role.ANALYST)
def remove_file(dataset_id: int, file_id: int) -> ResponseReturnValue:
    dataset = datasets.owned(current_team.team_id(), dataset_id)
    found = dataset_files.owned(dataset.id, file_id)
    back = url_for("datasets.add_file", dataset_id=dataset.id)
    form = FlaskForm()
    if not form.validate_on_submit():
        corrected = dataset_files.corrections_of(found)
        corrections = f", and the team's {plural(corrected, 'correction')} of them" * bool(
            corrected
        )
        return confirm.ask(
            form,
            question=f"Take the texts of {dataset_files.described(found)} out of “{dataset.name}”?",
            consequence=f"Their results and keyword tags go with them{corrections}; the "
            "dashboard, map and exports show the other texts at once. This cannot be undone: "
            "to have them back, add the file again.",
            button="Take its texts out",
            cancel_url=back,
        )
    try:
        removed = added_files.remove(dataset, file_id)
    except added_files.RemovalRefused as error:
        flash(str(error), "error")
        return redirect(back)
    request_audit.team_event(
        "dataset.file_removed", f"{removed.file} of {named('dataset', dataset.id, dataset.name)}"
    )
    corrections = f", with {plural(removed.corrections, 'correction')}" * bool(removed.corrections)
    taken = f"Taken out: the {plural(removed.texts, 'text')} of “{removed.name}”{corrections}."
    flash(taken, "success")
    return redirect(back)
