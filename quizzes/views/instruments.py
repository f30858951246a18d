"""Instrument editor (trainers of a course's runs, administrators): list, create, edit."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice

from courses.models import Activity, Course, Module
from lms.auth import trainer_required
from lms.db import db
from lms.exports import text_response
from quizzes.authoring.editor import (
    SUFFIXES,
    apply,
    can_edit,
    create,
    editable_course_ids,
    objective_keys,
    parse_source,
)
from quizzes.authoring.forms import (
    OPENS_LABELS,
    QUIZ_PURPOSES,
    SURVEY_KINDS,
    SURVEY_PURPOSES,
    NewInstrumentForm,
    QuizForm,
    SurveyForm,
)
from quizzes.authoring.kinds import dump_quiz, dump_survey
from quizzes.authoring.quizfile import DEFAULTS
from quizzes.blueprint import bp
from quizzes.models import Instrument, Question

LABELS = dict(QUIZ_PURPOSES + SURVEY_PURPOSES + SURVEY_KINDS + [("quiz", "Quiz")])


def _flag(form, problem) -> None:
    """Show the source problem under the text area too (and mark it invalid)."""
    if problem is not None:
        message = _(
            "Ligne %(line)s, colonne %(column)s : %(message)s",
            line=problem.line,
            column=problem.column,
            message=problem.message,
        )
        form.source.errors = [*form.source.errors, message]


def _course_filter(query, allowed):
    return query if allowed is None else query.where(Course.id.in_(allowed))


@bp.route("/formateur/instruments")
@trainer_required
def instruments():
    """Instruments of the courses the user may edit, by course, with their question counts."""
    allowed = editable_course_ids(current_user)
    counts = (
        sa.select(Question.instrument_id, sa.func.count(Question.id).label("n"))
        .where(Question.archived.is_(False))
        .group_by(Question.instrument_id)
        .subquery()
    )
    query = (
        sa.select(Course, Instrument, Module.title, sa.func.coalesce(counts.c.n, 0))
        .join(Instrument, Instrument.course_id == Course.id)
        .outerjoin(Activity, Activity.id == Instrument.activity_id)
        .outerjoin(Module, Module.id == Activity.module_id)
        .outerjoin(counts, counts.c.instrument_id == Instrument.id)
        .order_by(Course.title, Module.position, Activity.position, Instrument.title)
    )
    groups: dict[int, dict] = {}
    for course, instrument, module_title, n in db.session.execute(_course_filter(query, allowed)):
        group = groups.setdefault(course.id, {"course": course, "rows": []})
        group["rows"].append((instrument, module_title, n))
    return render_template(
        "quizzes/instruments/list.html", groups=list(groups.values()), labels=LABELS
    )


def _module_choices(allowed) -> list[SelectChoice]:
    """Modules grouped by course, for a select with option groups."""
    query = (
        sa.select(Course.title, Module.id, Module.title)
        .join(Module, Module.course_id == Course.id)
        .where(Module.archived.is_(False))
        .order_by(Course.title, Module.position)
    )
    return [
        SelectChoice(module_id, module_title, optgroup=course_title)
        for course_title, module_id, module_title in db.session.execute(
            _course_filter(query, allowed)
        )
    ]


@bp.route("/formateur/instruments/nouveau", methods=["GET", "POST"])
@trainer_required
def instrument_new():
    """Create a quiz or questionnaire in a module from pasted source text."""
    form = NewInstrumentForm()
    form.module_id.choices = _module_choices(editable_course_ids(current_user))
    problem = None
    if form.validate_on_submit():
        module = db.session.get(Module, form.module_id.data)
        if module is None or not can_edit(current_user, module.course_id):
            abort(403)
        activity, problem = create(
            module, form.format.data, form.title.data.strip(), form.source.data
        )
        if activity is not None:
            db.session.commit()
            instrument = db.session.scalar(
                sa.select(Instrument).where(Instrument.activity_id == activity.id)
            )
            flash(_("L'instrument a été créé : vérifiez ses réglages."), "success")
            return redirect(url_for("quizzes.instrument_edit", instrument_id=instrument.id))
        db.session.rollback()
        _flag(form, problem)
    return render_template("quizzes/instruments/new.html", form=form, problem=problem)


def _editable(instrument_id: int) -> tuple[Instrument, Activity]:
    instrument = db.session.get(Instrument, instrument_id)
    if instrument is None or instrument.activity_id is None:
        abort(404)
    if not can_edit(current_user, instrument.course_id):
        abort(403)
    return instrument, db.session.get(Activity, instrument.activity_id)


def _fill(form, instrument: Instrument, activity: Activity) -> None:
    """Put the activity's current settings and source into the form (GET)."""
    settings = activity.settings or {}
    form.title.data = activity.title
    form.source.data = settings.get("source", "")
    form.purpose.data = instrument.purpose
    if isinstance(form, QuizForm):
        for name, default in DEFAULTS.items():
            if name != "purpose":
                getattr(form, name).data = settings.get(name, default)
    else:
        form.kind.data = instrument.kind
        for name in ("opens", "respondent"):
            getattr(form, name).data = settings.get(name)
        form.hidden.data = bool(activity.hidden)


@bp.route("/formateur/instruments/<int:instrument_id>", methods=["GET", "POST"])
@trainer_required
def instrument_edit(instrument_id: int):
    """Edit title, settings and source; the source is checked by the file parser, and nothing
    is saved while it has an error (shown with its line and column)."""
    instrument, activity = _editable(instrument_id)
    fmt = "gift" if instrument.kind == "quiz" else "survey"
    form = (QuizForm if fmt == "gift" else SurveyForm)()
    problem = None
    if form.validate_on_submit():
        meta = {"key": activity.key, **form.header()}
        filename = activity.filename or activity.key + SUFFIXES[fmt]
        course = db.session.get(Course, instrument.course_id)
        data, problem = parse_source(fmt, meta, form.source.data, filename, objective_keys(course))
        if data is not None:
            apply(activity, data)
            db.session.commit()
            flash(_("Les modifications sont enregistrées."), "success")
            return redirect(url_for("quizzes.instrument_edit", instrument_id=instrument.id))
        _flag(form, problem)
    elif not form.is_submitted():
        _fill(form, instrument, activity)
    return render_template(
        "quizzes/instruments/edit.html",
        form=form,
        instrument=instrument,
        activity=activity,
        fmt=fmt,
        problem=problem,
        opens_labels=OPENS_LABELS,
    )


@bp.route("/formateur/instruments/<int:instrument_id>/fichier")
@trainer_required
def instrument_file(instrument_id: int):
    """Download the instrument as its text file: GIFT for a quiz, ``.survey`` otherwise (the
    same file ``flask lms export`` writes, which the importer reads back)."""
    instrument, activity = _editable(instrument_id)
    name, text = dump_quiz(activity) if instrument.kind == "quiz" else dump_survey(activity)
    return text_response(text, name)
