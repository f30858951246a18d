"""Where a launch leads: the session (and activity) of its resource link, and its AGS claim."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _

from courses.lti import claims
from courses.lti.accounts import LaunchRefused
from courses.lti.models import LtiPlatform, LtiResourceLink
from courses.models import Activity, CourseRun
from lms.db import db


def _number(value) -> int | None:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None


def _custom_target(custom: dict) -> tuple[CourseRun, Activity | None]:
    """The session and activity named by the custom parameters a deep-linking response set."""
    run = db.session.get(CourseRun, _number(custom.get(claims.RUN_PARAM)) or 0)
    if run is None:
        raise LaunchRefused(
            _(
                "La session indiquée par le lien (paramètre personnalisé %(param)s) n'existe pas.",
                param=claims.RUN_PARAM,
            ),
            400,
        )
    activity = None
    if custom.get(claims.ACTIVITY_PARAM) not in (None, ""):
        activity = db.session.get(Activity, _number(custom.get(claims.ACTIVITY_PARAM)) or 0)
        if activity is None or activity.course_id != run.course_id or activity.archived:
            raise LaunchRefused(
                _(
                    "L'activité indiquée par le lien (paramètre personnalisé %(param)s) "
                    "n'appartient pas à cette session.",
                    param=claims.ACTIVITY_PARAM,
                ),
                400,
            )
    return run, activity


def _not_linked() -> LaunchRefused:
    return LaunchRefused(
        _(
            "Ce lien n'est relié à aucune session Parcours : ajoutez-le depuis la plateforme par "
            "la sélection de contenu (Deep Linking), ou choisissez une session par défaut pour "
            "cette plateforme dans « Plateformes LTI »."
        ),
        400,
    )


def _record(platform, link, resource_id: str, run, activity, data: dict) -> None:
    if link is None:
        link = LtiResourceLink(platform_id=platform.id, resource_link_id=resource_id)
        db.session.add(link)
    ags = data.get(claims.AGS) or {}
    values = {
        "run_id": run.id,
        "activity_id": activity.id if activity else None,
        "lineitem": (ags.get("lineitem") or None),
        "lineitems": (ags.get("lineitems") or None),
        "scopes": sorted(ags.get("scope") or []),
    }
    for name, value in values.items():
        if getattr(link, name) != value:  # an unchanged link is not written again
            setattr(link, name, value)
    db.session.flush()


def target_of(platform: LtiPlatform, data: dict) -> tuple[CourseRun, Activity | None]:
    """The session and activity of the launch's resource link, recorded with its AGS claim.

    From the link's custom parameters (set by deep linking), else the link as recorded by an
    earlier launch, else the platform's default session. Flushes.
    """
    resource_id = str((data.get(claims.RESOURCE_LINK) or {}).get("id"))[:255]
    link = db.session.scalar(
        sa.select(LtiResourceLink).where(
            LtiResourceLink.platform_id == platform.id,
            LtiResourceLink.resource_link_id == resource_id,
        )
    )
    custom = data.get(claims.CUSTOM) or {}
    if isinstance(custom, dict) and custom.get(claims.RUN_PARAM) not in (None, ""):
        run, activity = _custom_target(custom)
    elif link is not None:
        run, activity = db.session.get(CourseRun, link.run_id), link.activity
    elif platform.default_run_id is not None:
        run, activity = db.session.get(CourseRun, platform.default_run_id), None
    else:
        raise _not_linked()
    _record(platform, link, resource_id, run, activity, data)
    return run, activity
