"""OIDC login initiation, launch, and the tool's public keys (JWKS).

The two endpoints a platform posts to (login initiation, launch) are exempt from CSRF: their
form posts come from another site, and they are protected instead by the signed id_token, the
OIDC state (a cookie set at login initiation) and the nonce (used once).
"""

from __future__ import annotations

from flask import jsonify, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import login_user
from pylti1p3.exception import LtiException, OIDCException
from sqlalchemy.exc import IntegrityError

from courses.blueprint import bp
from courses.lti import accounts, deep_linking, keys
from courses.lti.config import ToolConf, message_launch, oidc_login
from courses.lti.errors import error_page, explain
from courses.lti.links import target_of
from lms.db import db, utcnow
from lms.errors import csrf
from lms.urls import external_url


def launch_urls() -> list[str]:
    """The tool's redirect URIs: the launch URL, and the deep-linking URL."""
    return [external_url("courses.lti_launch"), external_url("courses.lti_deep_link_launch")]


@bp.route("/lti/connexion", methods=["GET", "POST"])
@csrf.exempt  # a platform's form post: protected by the OIDC state and nonce, not a CSRF token
def lti_login():
    """OIDC login initiation: send the browser back to the platform with a state and a nonce."""
    target = request.values.get("target_link_uri") or ""
    urls = launch_urls()
    login = oidc_login(ToolConf())
    try:
        response = login.redirect(target if target in urls else urls[0])
    except (OIDCException, LtiException) as exc:
        db.session.rollback()
        return error_page(*explain(exc), detail=str(exc))
    db.session.commit()  # the nonce
    return response


def _destination(run, activity, instructor: bool) -> str:
    if instructor:
        return url_for("courses.trainer_run", run_id=run.id)
    if activity is not None:
        return url_for("courses.activity", run_id=run.id, activity_id=activity.id)
    return url_for("courses.run_overview", run_id=run.id)


def _is_instructor(launch) -> bool:
    return bool(
        launch.check_teacher_access()
        or launch.check_teaching_assistant_access()
        or launch.check_designer_access()
    )


def _land(platform, launch, data: dict):
    """Map the user, place them in the session, sign them in, send them to it."""
    run, activity = target_of(platform, data)
    user = accounts.account_for(platform, data)
    instructor = _is_instructor(launch)
    if instructor:
        accounts.add_trainer(user, run)
    else:
        accounts.enrol_learner(user, run)
    user.last_login_at = utcnow()
    db.session.commit()
    login_user(user)
    return redirect(_destination(run, activity, instructor))


def _validated():
    """Validate the posted launch, then go where its message type says."""
    conf = ToolConf()
    launch = message_launch(conf)
    try:
        launch.validate()
        data = launch.get_launch_data()
        if launch.is_deep_link_launch():
            return deep_linking.start(conf.platform, launch, data)
        return _land(conf.platform, launch, data)
    except LtiException as exc:
        db.session.rollback()
        return error_page(*explain(exc), detail=str(exc))
    except accounts.LaunchRefused as exc:
        db.session.rollback()
        return error_page(exc.message, exc.status)
    except IntegrityError:  # the same new user launched twice at once: the other one won
        db.session.rollback()
        return error_page(_("Ce lancement a croisé un autre lancement : relancez l'activité."), 409)


@bp.route("/lti/lancement", methods=["POST"])
@csrf.exempt  # the platform's form post: protected by the signed id_token, state and nonce
def lti_launch():
    """Launch (``id_token`` posted by the platform): validate, map, enrol, sign in, redirect."""
    return _validated()


@bp.route("/lti/selection-de-contenu", methods=["POST"])
@csrf.exempt  # the platform's form post: protected by the signed id_token, state and nonce
def lti_deep_link_launch():
    """Deep-linking launch: an instructor picks what to add to the platform's course."""
    return _validated()


@bp.route("/lti/jwks.json")
def lti_jwks():
    """The tool's public keys (JWKS), for platforms to check what Parcours signs."""
    response = jsonify(keys.jwks())
    response.headers["Cache-Control"] = "public, max-age=300"
    return response
