"""Administration of user accounts: search, create, edit role and status, send a reset link."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from lms.admin import bp
from lms.admin.forms import ROLE_LABELS, UserCreateForm, UserEditForm, UserSearchForm
from lms.auth import admin_required
from lms.auth.views import send_password_reset
from lms.db import db
from lms.models import Role, User

USERS_PER_PAGE = 25


def _search(form: UserSearchForm) -> sa.Select:
    """Users matching the search words (name or e-mail) and the role filter."""
    query = sa.select(User).where(User.role != Role.RESPONDENT).order_by(User.name, User.id)
    words = (form.q.data or "").strip()
    if words:
        pattern = "%" + words.replace("\\", "\\\\").replace("%", r"\%").replace("_", r"\_") + "%"
        query = query.where(
            sa.or_(
                User.name.ilike(pattern, escape="\\"),
                User.email.ilike(pattern, escape="\\"),
                User.organisation.ilike(pattern, escape="\\"),
            )
        )
    if form.role.data in {r.value for r in Role}:
        query = query.where(User.role == form.role.data)
    return query


@bp.route("/utilisateurs")
@admin_required
def users():
    """Accounts, searched by name or e-mail and filtered by role, 25 per page."""
    search = UserSearchForm(request.args)
    if search.role.data not in {c.value for c in search.role.choices}:
        search.role.data = ""
    page = db.paginate(
        _search(search),
        page=request.args.get("page", 1, type=int),
        per_page=USERS_PER_PAGE,
        error_out=False,
    )
    return render_template("lms/admin/users.html", page=page, search=search, roles=ROLE_LABELS)


@bp.route("/utilisateurs/nouveau", methods=["GET", "POST"])
@admin_required
def user_new():
    """Create an account; optionally e-mail it a link to choose its password."""
    form = UserCreateForm()
    if form.validate_on_submit():
        email = User.normalise_email(form.email.data)
        if db.session.scalar(sa.select(User.id).where(User.email == email)):
            form.email.errors.append(_("Un compte existe déjà avec cette adresse."))
        else:
            user = User(email=email, name=form.name.data.strip(), role=form.role.data)
            db.session.add(user)
            db.session.commit()
            if form.send_link.data:
                send_password_reset(user)
            flash(_("Le compte de %(email)s est créé.", email=email), "success")
            return redirect(url_for("lms_admin.user_edit", user_id=user.id))
    return render_template("lms/admin/user_new.html", form=form), 400 if form.errors else 200


def _self_lockout(user: User, form: UserEditForm) -> bool:
    """Refuse that administrators remove their own role or deactivate themselves."""
    if user.id != current_user.id:
        return False
    blocked = False
    if form.role.data != Role.ADMIN:
        form.role.errors.append(_("Vous ne pouvez pas retirer votre propre rôle d'administrateur."))
        blocked = True
    if not form.active.data:
        form.active.errors.append(_("Vous ne pouvez pas désactiver votre propre compte."))
        blocked = True
    return blocked


@bp.route("/utilisateurs/<int:user_id>", methods=["GET", "POST"])
@admin_required
def user_edit(user_id: int):
    """Edit name, profile (civility, organisation…), role and status; send a reset link."""
    user = db.session.get(User, user_id) or abort(404)
    form = UserEditForm(obj=user)
    if form.validate_on_submit() and not _self_lockout(user, form):
        user.name = form.name.data.strip()
        for name in form.PROFILE:
            setattr(user, name, (getattr(form, name).data or "").strip() or None)
        user.role = form.role.data
        user.active = form.active.data
        db.session.commit()
        flash(_("Le compte est enregistré."), "success")
        return redirect(url_for("lms_admin.user_edit", user_id=user.id))
    status = 400 if form.errors else 200
    return (
        render_template("lms/admin/user_edit.html", user=user, form=form, reset_form=FlaskForm()),
        status,
    )


@bp.route("/utilisateurs/<int:user_id>/reinitialiser", methods=["POST"])
@admin_required
def user_reset(user_id: int):
    """Send a password reset link to the account's address."""
    user = db.session.get(User, user_id) or abort(404)
    if not FlaskForm().validate_on_submit():
        abort(400)
    if not user.active:
        flash(_("Ce compte est désactivé : réactivez-le avant d'envoyer un lien."), "error")
    else:
        send_password_reset(user)
        flash(_("Un lien de réinitialisation est envoyé à %(email)s.", email=user.email), "success")
    return redirect(url_for("lms_admin.user_edit", user_id=user.id))
