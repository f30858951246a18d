"""The public page of a course's result indicators: no sign-in, cacheable, embeddable."""

from __future__ import annotations

from datetime import date

from flask import abort, make_response, render_template, request
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from courses.models import Course
from lms.db import db
from lms.security import embeddable
from quizzes.blueprint import bp
from quizzes.evidence.indicators import THRESHOLD, indicators, years_with_runs

#: What each indicator is called on the page.
LABELS = {
    "trainees": _l("Stagiaires formés"),
    "completion": _l("Taux d'achèvement de la formation"),
    "success": _l("Taux de réussite à l'évaluation finale"),
    "satisfaction": _l("Taux de satisfaction"),
    "followup": _l("Taux de réponse aux questionnaires de suivi"),
    "applying": _l("Part des stagiaires qui appliquent ce qu'ils ont appris, 6 mois après"),
}
#: Browsers and proxies may keep the page this long (seconds).
MAX_AGE = 3600


@bp.route("/formations/<int:course_id>/indicateurs")
def public_indicators(course_id: int):
    """The course's result indicators over the last 12 months, or over a past calendar year
    (``?annee=2022``); 304 when unchanged."""
    course = db.session.get(Course, course_id) or abort(404)
    today = date.today()
    years = years_with_runs(course, today)
    year = request.args.get("annee", type=int)
    if year is not None and year not in years:
        abort(404)
    found = indicators(course, today, year)
    etag = found.etag(str(get_locale()))
    if etag in request.if_none_match:
        response = make_response("", 304)
    else:
        page = render_template(
            "quizzes/evidence/indicators.html",
            found=found,
            labels=LABELS,
            years=years,
            threshold=THRESHOLD,
        )
        response = make_response(page)
    response.set_etag(etag)
    response.cache_control.public = True
    response.cache_control.max_age = MAX_AGE
    return embeddable(response)
