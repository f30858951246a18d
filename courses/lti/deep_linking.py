"""Deep Linking: an instructor picks a session and an activity (or the whole course); Parcours
answers the platform with a signed ``LtiDeepLinkingResponse`` holding one ``ltiResourceLink``.

The validated request is kept in ``lti_deep_links`` (its key hashed, the raw key in the
instructor's session cookie), used once: the choice consumes it with one conditional UPDATE.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import timedelta
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import abort, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from pylti1p3.deep_link import DeepLink
from pylti1p3.deep_link_resource import DeepLinkResource
from pylti1p3.lineitem import LineItem

from courses.blueprint import bp
from courses.lti import claims
from courses.lti.accounts import LaunchRefused
from courses.lti.config import registration
from courses.lti.models import LtiDeepLink
from courses.models import Activity, Course, CourseRun, Module
from lms.db import begin_write, db, utcnow
from lms.security import allow_form_action
from lms.urls import external_url

SESSION_KEY = "lti_deep_link"
LIFETIME = timedelta(hours=1)


def _hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def start(platform, launch, data: dict):
    """Keep the validated request and send the instructor to the picker."""
    if not (launch.check_teacher_access() or launch.check_designer_access()):
        raise LaunchRefused(_("Seul un enseignant de la plateforme peut choisir le contenu."))
    settings = data.get(claims.DEEP_LINKING) or {}
    back = urlsplit(str(settings.get("deep_link_return_url", "")))
    if back.scheme not in ("http", "https") or not re.fullmatch(r"[\w.:\[\]-]+", back.netloc):
        raise LaunchRefused(
            _("L'adresse de retour (deep_link_return_url) doit être une adresse http(s)."), 400
        )
    raw = secrets.token_urlsafe(32)
    db.session.add(
        LtiDeepLink(
            key_hash=_hash(raw),
            platform_id=platform.id,
            deployment_id=str(data.get(claims.DEPLOYMENT_ID)),
            settings=settings,
            expires_at=utcnow() + LIFETIME,
        )
    )
    db.session.commit()
    session[SESSION_KEY] = raw
    return redirect(url_for("courses.lti_pick"))


def _pending() -> LtiDeepLink:
    """The deep-linking request of this browser, still usable; else a 403 page."""
    raw = session.get(SESSION_KEY) or ""
    row = db.session.scalar(sa.select(LtiDeepLink).where(LtiDeepLink.key_hash == _hash(raw)))
    if row is None or row.used_at is not None or row.expires_at <= utcnow():
        abort(403)
    return row


def _runs() -> list[tuple[CourseRun, str]]:
    query = (
        sa.select(CourseRun, Course.title)
        .join(Course, Course.id == CourseRun.course_id)
        .order_by(CourseRun.starts_on.desc(), CourseRun.id.desc())
        .limit(300)
    )
    return [(run, title) for run, title in db.session.execute(query)]


def _activities(run: CourseRun) -> list[Activity]:
    query = (
        sa.select(Activity)
        .join(Module, Module.id == Activity.module_id)
        .where(
            Activity.course_id == run.course_id,
            Activity.archived.is_(False),
            Activity.hidden.is_(False),
            Module.archived.is_(False),
        )
        .order_by(Module.position, Activity.position)
    )
    return list(db.session.scalars(query))


@bp.route("/lti/choix", methods=["GET", "POST"])
def lti_pick():
    """Step 1: the session; step 2: the activity or the whole course, then the signed answer."""
    pending = _pending()
    run = db.session.get(CourseRun, request.values.get("session", type=int) or 0)
    if run is None:
        return render_template("courses/lti/pick_run.html", runs=_runs(), pending=pending)
    activities = _activities(run)
    form = FlaskForm()
    if request.method == "POST" and form.validate_on_submit():
        chosen = request.form.get("activite", "")
        by_id = {str(a.id): a for a in activities}
        if chosen == "" or chosen in by_id:
            return _answer(pending, run, by_id.get(chosen))
    html = render_template(
        "courses/lti/pick_activity.html", run=run, activities=activities, form=form
    )
    return html, 400 if request.method == "POST" else 200


def _resource(run: CourseRun, activity: Activity | None) -> DeepLinkResource:
    title = activity.title if activity else run.course.title
    custom = {claims.RUN_PARAM: str(run.id)}
    if activity is not None:
        custom[claims.ACTIVITY_PARAM] = str(activity.id)
    resource = (
        DeepLinkResource()
        .set_url(external_url("courses.lti_launch"))
        .set_title(f"{title} — {run.title}"[:250])
        .set_custom_params(custom)
    )
    if activity is not None and activity.kind == "quiz":  # a graded activity: a gradebook column
        item = LineItem().set_score_maximum(100).set_label(title[:250])
        resource.set_lineitem(item.set_resource_id(f"activity-{activity.id}"))
    return resource


def _answer(pending: LtiDeepLink, run: CourseRun, activity: Activity | None):
    begin_write()
    used = db.session.execute(
        sa.update(LtiDeepLink)
        .where(LtiDeepLink.id == pending.id, LtiDeepLink.used_at.is_(None))
        .values(used_at=utcnow())
    )
    if used.rowcount != 1:
        db.session.rollback()
        abort(403)
    deep_link = DeepLink(registration(pending.platform), pending.deployment_id, pending.settings)
    token = deep_link.get_response_jwt([_resource(run, activity)])
    db.session.commit()
    session.pop(SESSION_KEY, None)
    return_url = pending.settings.get("deep_link_return_url", "")
    html = render_template(
        "courses/lti/answer.html", return_url=return_url, token=token, run=run, activity=activity
    )
    parts = urlsplit(return_url)
    return allow_form_action(html, f"{parts.scheme}://{parts.netloc}")
