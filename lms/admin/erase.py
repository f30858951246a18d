"""Erasing a person's personal data (RGPD): a confirmation page, then the irreversible action."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import InputRequired

from lms.admin import bp
from lms.auth import admin_required
from lms.db import db
from lms.erasure import ErasureRefused, erase, is_erased
from lms.models import User


class EraseForm(FlaskForm):
    """The administrator types the person's e-mail address to confirm."""

    confirm = StringField(_l("Adresse e-mail de la personne, pour confirmer"), [InputRequired()])


@bp.route("/utilisateurs/<int:user_id>/effacer", methods=["GET", "POST"])
@admin_required
def user_erase(user_id: int):
    """Confirm, then erase the person's personal data (cannot be undone)."""
    user = db.session.get(User, user_id) or abort(404)
    form = EraseForm()
    blocked = None
    if user.id == current_user.id:
        blocked = _("Vous ne pouvez pas effacer votre propre compte.")
    elif is_erased(user.id):
        blocked = _("Les données de cette personne sont déjà effacées.")
    if form.validate_on_submit() and not blocked:
        if form.confirm.data.strip().casefold() != user.email.casefold():
            form.confirm.errors.append(_("Cette adresse n'est pas celle de la personne."))
        else:
            try:
                erase(user, current_user.id)
            except ErasureRefused:  # pragma: no cover - checked above
                abort(409)
            db.session.commit()
            flash(_("Les données personnelles sont effacées."), "success")
            return redirect(url_for("lms_admin.users"), 303)
    status = 400 if form.errors or (form.is_submitted() and blocked) else 200
    page = render_template("lms/admin/user_erase.html", user=user, form=form, blocked=blocked)
    return page, status
