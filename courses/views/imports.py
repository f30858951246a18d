"""Import a list of learners into a run: check it all, enrol everyone or no one.

Nothing is sent in the request: the invitations are queued in the outbox and the sender
(``flask lms tick``) delivers them; the run's page shows how many are queued, sent or failed.
"""

from __future__ import annotations

from flask import current_app, flash, redirect, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from courses.blueprint import bp
from courses.bulk_enrol import ImportResult, check_learners, import_learners
from courses.forms import CsvUploadForm
from courses.views.invitations import _page, _run_or_404
from lms.auth import admin_required
from lms.db import begin_write, db, utcnow


def _read_upload(storage, limit: int) -> bytes | None:
    """The uploaded bytes, or None when the file is larger than ``limit``."""
    data = storage.read(limit + 1)
    return None if len(data) > limit else data


@bp.route("/admin/sessions/<int:run_id>/import-csv", methods=["POST"])
@admin_required
def admin_run_import(run_id: int):
    """Import a CSV or .xlsx list: all of it, or nothing and a report of every bad line."""
    begin_write()
    run = _run_or_404(run_id, lock=True)
    form = CsvUploadForm()
    if not form.validate_on_submit():
        return _page(run, csv_form=form, status=400)
    config = current_app.config
    data = _read_upload(form.file.data, config["LMS_IMPORT_MAX_BYTES"])
    if data is None:
        size = round(config["LMS_IMPORT_MAX_BYTES"] / 1024 / 1024, 1)
        form.file.errors.append(
            _("Le fichier dépasse %(size)s Mo : découpez-le en plusieurs fichiers.", size=size)
        )
        return _page(run, csv_form=form, status=400)
    filename = form.file.data.filename or ""
    limits = {"max_rows": config["LMS_IMPORT_MAX_ROWS"]}
    if run.ends_on < utcnow().date() and not form.confirm.data:
        result = check_learners(run, data, filename, **limits)
        db.session.rollback()
        return _page(_run_or_404(run_id), csv_form=form, result=result, preview=True)
    result = import_learners(run, data, filename, **limits)
    if result.report.errors:
        db.session.rollback()
        return _page(_run_or_404(run_id), csv_form=form, result=result, status=400)
    db.session.commit()
    _flash_result(result)
    return redirect(url_for("courses.admin_run", run_id=run_id))


def _flash_result(result: ImportResult) -> None:
    """Say what the import did: enrolled, already there, invitations queued, columns ignored."""
    parts = [
        ngettext("%(num)s apprenant inscrit", "%(num)s apprenants inscrits", result.enrolled),
        ngettext("%(num)s déjà inscrit", "%(num)s déjà inscrits", result.already),
        ngettext(
            "%(num)s invitation en file d'envoi",
            "%(num)s invitations en file d'envoi",
            result.queued,
        ),
    ]
    flash(" ; ".join(parts) + ".", "success")
    report = result.report
    if report.kind == "xlsx":
        flash(_("Fichier lu : classeur Excel (.xlsx), première feuille."), "info")
    else:
        flash(
            _(
                "Fichier lu : CSV, encodage %(encoding)s, séparateur %(delimiter)s.",
                encoding=report.encoding,
                delimiter=report.delimiter_label,
            ),
            "info",
        )
    if result.report.unknown:
        flash(
            _(
                "Colonnes ignorées (non reconnues) : %(columns)s.",
                columns=", ".join(f"« {c} »" for c in result.report.unknown),
            ),
            "info",
        )
