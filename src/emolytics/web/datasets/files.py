"""What a dataset's page offers to download, filtered as the page is: the summary (JSON), the
report (an Excel workbook of the dashboard's numbers) and every text's results (CSV, an Excel
workbook or JSON Lines; audited)."""

from flask import jsonify, request
from flask.typing import ResponseReturnValue
from flask_login import login_required

from emolytics import current_team, downloads
from emolytics.pipeline import datasets, exports, reports
from emolytics.pipeline.analysed_by import analysed_by
from emolytics.pipeline.filters import labels_of
from emolytics.tables import Role
from emolytics.web.datasets import bp, filtering


@bp.get("/<int:dataset_id>/summary.json")
@login_required
@current_team.requires(Role.VIEWER)
def summary(dataset_id: int) -> ResponseReturnValue:
    dataset = datasets.owned(current_team.team_id(), dataset_id)
    response = jsonify(reports.summary(dataset, filtering.read(labels_of(dataset))))
    if request.args.get("download"):
        file_name = exports.file_name(dataset, "summary.json")
        response.headers["Content-Disposition"] = downloads.disposition(file_name)
    return response


@bp.get("/<int:dataset_id>/report.xlsx")
@login_required
@current_team.requires(Role.VIEWER)
def report(dataset_id: int) -> ResponseReturnValue:
    dataset = datasets.owned(current_team.team_id(), dataset_id)
    return downloads.report(dataset, filtering.for_page(analysed_by(dataset)))


@bp.get("/<int:dataset_id>/export.<any(csv, xlsx, jsonl):file_format>")
@login_required
@current_team.requires(Role.VIEWER)
def export(dataset_id: int, file_format: str) -> ResponseReturnValue:
    dataset = datasets.owned(current_team.team_id(), dataset_id)
    filters = filtering.for_page(analysed_by(dataset))
    for_excel = request.args.get("excel") == "1"
    return downloads.dataset_results(dataset, filters, file_format, for_excel=for_excel)
