"""« Plateformes LTI »: administrators register platforms, see the values to give them, and
follow the scores sent to their gradebooks."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from sqlalchemy.orm import selectinload
from wtforms import SelectChoice

from courses.blueprint import bp
from courses.lti import ags, keys
from courses.lti.forms import PlatformForm, deployment_list
from courses.lti.models import LtiPlatform
from courses.models import Course, CourseRun
from lms.auth import admin_required
from lms.db import db
from lms.urls import external_url

FIELDS = ("name", "issuer", "client_id", "auth_login_url", "auth_token_url", "key_set_url")


def tool_values() -> dict[str, str]:
    """What a platform's administrator pastes when adding Parcours as an external tool."""
    return {
        "login": external_url("courses.lti_login"),
        "launch": external_url("courses.lti_launch"),
        "deep_linking": external_url("courses.lti_deep_link_launch"),
        "jwks": external_url("courses.lti_jwks"),
    }


def _run_choices() -> list[SelectChoice]:
    rows = db.session.execute(
        sa.select(CourseRun.id, CourseRun.title, Course.title)
        .join(Course, Course.id == CourseRun.course_id)
        .order_by(CourseRun.starts_on.desc(), CourseRun.id.desc())
        .limit(300)
    )
    choices = [SelectChoice(0, _("Aucune : chaque lien choisit sa session"))]
    return choices + [SelectChoice(i, f"{course} — {run}") for i, run, course in rows]


def _form(platform: LtiPlatform | None = None) -> PlatformForm:
    form = PlatformForm(obj=platform)
    if platform is not None and not form.is_submitted():
        form.deployment_ids.data = "\n".join(platform.deployment_ids or [])
        form.default_run_id.data = platform.default_run_id or 0
    form.default_run_id.choices = _run_choices()
    return form


def _duplicate(form: PlatformForm, platform: LtiPlatform | None) -> bool:
    other = db.session.scalar(
        sa.select(LtiPlatform.id).where(
            LtiPlatform.issuer == form.issuer.data.strip(),
            LtiPlatform.client_id == form.client_id.data.strip(),
        )
    )
    if other is not None and (platform is None or other != platform.id):
        form.client_id.errors.append(
            _("Une plateforme avec cet émetteur et cet identifiant client est déjà enregistrée.")
        )
        return True
    return False


def _save(form: PlatformForm, platform: LtiPlatform) -> None:
    for name in FIELDS:
        setattr(platform, name, getattr(form, name).data.strip())
    platform.deployment_ids = deployment_list(form.deployment_ids.data)
    platform.default_run_id = form.default_run_id.data or None
    platform.trust_emails = bool(form.trust_emails.data)
    keys.ensure()  # the tool's key pair, generated with the first platform


def _list_page(form: PlatformForm, status: int = 200):
    query = sa.select(LtiPlatform).options(selectinload(LtiPlatform.default_run))
    platforms = list(db.session.scalars(query.order_by(LtiPlatform.name)))
    html = render_template(
        "courses/lti/platforms.html",
        form=form,
        platforms=platforms,
        tool=tool_values(),
        counts=ags.state_counts(),
        errors=ags.last_errors(),
        toggle_form=FlaskForm(),
        has_key=keys.current() is not None,
    )
    return html, status


@bp.route("/admin/lti/plateformes", methods=["GET", "POST"])
@admin_required
def lti_platforms():
    """The registered platforms, the tool's values, and the form to register one more."""
    form = _form()
    if not form.validate_on_submit() or _duplicate(form, None):
        return _list_page(form, 400 if form.is_submitted() else 200)
    platform = LtiPlatform()
    _save(form, platform)
    db.session.add(platform)
    db.session.commit()
    flash(_("La plateforme « %(name)s » est enregistrée.", name=platform.name), "success")
    return redirect(url_for("courses.lti_platforms"))


@bp.route("/admin/lti/plateformes/<int:platform_id>", methods=["GET", "POST"])
@admin_required
def lti_platform_edit(platform_id: int):
    """Change a platform's registration."""
    platform = db.session.get(LtiPlatform, platform_id) or abort(404)
    form = _form(platform)
    if form.validate_on_submit() and not _duplicate(form, platform):
        _save(form, platform)
        db.session.commit()
        flash(_("La plateforme « %(name)s » est enregistrée.", name=platform.name), "success")
        return redirect(url_for("courses.lti_platforms"))
    html = render_template("courses/lti/platform_edit.html", form=form, platform=platform)
    return html, 400 if form.is_submitted() else 200


@bp.route("/admin/lti/plateformes/<int:platform_id>/activation", methods=["POST"])
@admin_required
def lti_platform_toggle(platform_id: int):
    """Disable a platform (its launches are refused) or enable it again."""
    platform = db.session.get(LtiPlatform, platform_id) or abort(404)
    if FlaskForm().validate_on_submit():
        platform.active = not platform.active
        db.session.commit()
        message = (
            _("La plateforme « %(name)s » est réactivée.", name=platform.name)
            if platform.active
            else _("La plateforme « %(name)s » est désactivée.", name=platform.name)
        )
        flash(message, "success")
    return redirect(url_for("courses.lti_platforms"))
