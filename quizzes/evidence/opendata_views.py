"""Open-data pages: an administrator publishes a course's aggregates over a period; anyone lists
and downloads the publications."""

from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa
from flask import Response, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, ValidationError
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired

from courses.models import Course
from lms.auth import admin_required
from lms.db import db, utcnow
from quizzes.blueprint import bp
from quizzes.evidence.models import OpenDataRelease
from quizzes.evidence.opendata import LICENCES, package


class ReleaseForm(FlaskForm):
    """The period and licence of a publication."""

    du = DateField(_l("Sessions terminées à partir du"), validators=[InputRequired()])
    au = DateField(_l("jusqu'au"), validators=[InputRequired()])
    licence = SelectField(
        _l("Licence"),
        choices=[SelectChoice(key, title) for key, (title, _path) in LICENCES.items()],
    )

    def validate_au(self, field):
        """The end of the period comes after its start."""
        if self.du.data and field.data and field.data < self.du.data:
            raise ValidationError(_("La fin de la période précède son début."))


def _releases(course_id: int) -> list:
    return db.session.execute(
        sa.select(
            OpenDataRelease.id,
            OpenDataRelease.starts_on,
            OpenDataRelease.ends_on,
            OpenDataRelease.licence,
            OpenDataRelease.created_at,
            sa.func.length(OpenDataRelease.archive).label("size"),
        )
        .where(OpenDataRelease.course_id == course_id)
        .order_by(OpenDataRelease.created_at.desc(), OpenDataRelease.id.desc())
    ).all()


@bp.route("/admin/formations/<int:course_id>/donnees-ouvertes", methods=["GET", "POST"])
@admin_required
def open_data_admin(course_id: int):
    """Publish the course's anonymised aggregates for a period; list the publications."""
    course = db.session.get(Course, course_id) or abort(404)
    form = ReleaseForm()
    if form.validate_on_submit():
        now = utcnow()
        archive = package(course, form.du.data, form.au.data, form.licence.data, now)
        release = OpenDataRelease(
            course_id=course.id,
            starts_on=form.du.data,
            ends_on=form.au.data,
            licence=form.licence.data,
            archive=archive,
            created_at=now,
            created_by_id=current_user.id,
        )
        db.session.add(release)
        db.session.commit()
        flash(_("Données publiées."), "success")
        return redirect(url_for("quizzes.open_data_admin", course_id=course.id), 303)
    if not form.is_submitted():
        form.au.data = date.today()
        form.du.data = date.today() - timedelta(days=365)
    status = 400 if form.errors else 200
    page = render_template(
        "quizzes/evidence/opendata_admin.html",
        course=course,
        form=form,
        releases=_releases(course.id),
        licences=LICENCES,
    )
    return page, status


@bp.route("/formations/<int:course_id>/donnees-ouvertes")
def open_data_list(course_id: int):
    """The course's open-data publications, for anyone."""
    course = db.session.get(Course, course_id) or abort(404)
    return render_template(
        "quizzes/evidence/opendata_public.html",
        course=course,
        releases=_releases(course.id),
        licences=LICENCES,
    )


@bp.route("/donnees-ouvertes/<int:release_id>.zip")
def open_data_file(release_id: int):
    """One publication's ZIP, exactly as it was published."""
    release = db.session.get(OpenDataRelease, release_id) or abort(404)
    course = db.session.get(Course, release.course_id)
    name = f"{course.key}-{release.starts_on.isoformat()}-{release.ends_on.isoformat()}.zip"
    response = Response(release.archive, mimetype="application/zip")
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.cache_control.public = True
    response.cache_control.max_age = 86400
    return response
