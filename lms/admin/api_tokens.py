"""Personal access tokens of the API: created by an administrator, shown once, revocable."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from flask import flash, make_response, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy.orm import joinedload
from wtforms import EmailField, IntegerField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from lms.admin import bp
from lms.api.models import ApiToken, Scope
from lms.auth import admin_required
from lms.db import begin_write, db, utcnow
from lms.models import Role, User

SCOPE_LABELS = {Scope.READ: _l("Lecture"), Scope.WRITE: _l("Lecture et écriture")}


class TokenForm(FlaskForm):
    """A new token: what it is for, whose it is, its scope and lifetime."""

    name = StringField(
        _l("Usage du jeton"),
        validators=[DataRequired(_l("Indiquez à quoi sert ce jeton.")), Length(max=100)],
    )
    email = EmailField(
        _l("Compte (administrateur ou formateur)"),
        validators=[DataRequired(_l("Indiquez l'adresse e-mail du compte."))],
    )
    scope = SelectField(
        _l("Portée"),
        choices=[SelectChoice(k, v) for k, v in SCOPE_LABELS.items()],
        default=Scope.READ,
    )
    days = IntegerField(
        _l("Durée de validité (jours, vide : sans fin)"),
        default=90,
        validators=[Optional(), NumberRange(min=1, max=3650)],
    )


def _tokens() -> list[ApiToken]:
    return list(
        db.session.scalars(
            sa.select(ApiToken)
            .options(joinedload(ApiToken.user))
            .order_by(ApiToken.revoked_at.is_not(None), ApiToken.created_at.desc())
        )
    )


def _page(form: TokenForm, raw: str | None = None, status: int = 200):
    html = render_template(
        "lms/admin/api_tokens.html",
        form=form,
        tokens=_tokens(),
        raw=raw,
        scopes=SCOPE_LABELS,
        revoke_form=FlaskForm(),
        now=utcnow(),
    )
    response = make_response(html, status)
    response.headers["Cache-Control"] = "no-store"  # the new token is on this page
    return response


def _owner(form: TokenForm) -> User | None:
    email = User.normalise_email(form.email.data or "")
    user = db.session.scalar(sa.select(User).where(User.email == email))
    if user is None or user.role not in (Role.ADMIN, Role.TRAINER) or not user.active:
        form.email.errors.append(
            _("Aucun compte actif d'administrateur ou de formateur à cette adresse.")
        )
        return None
    return user


@bp.route("/jetons-api", methods=["GET", "POST"])
@admin_required
def api_tokens():
    """List the tokens; create one (its value is shown on this page only, once)."""
    form = TokenForm()
    if not form.validate_on_submit():
        return _page(form, status=400 if form.errors else 200)
    user = _owner(form)
    if user is None:
        return _page(form, status=400)
    expires = utcnow() + timedelta(days=form.days.data) if form.days.data else None
    token, raw = ApiToken.issue(
        user, form.name.data.strip(), form.scope.data, expires, current_user
    )
    db.session.commit()
    flash(
        _(
            "Le jeton « %(name)s » est créé : copiez-le maintenant, il ne sera plus affiché.",
            name=token.name,
        ),
        "success",
    )
    return _page(TokenForm(formdata=None), raw=raw)


@bp.route("/jetons-api/<int:token_id>/revoquer", methods=["POST"])
@admin_required
def api_token_revoke(token_id: int):
    """Revoke a token at once (one conditional UPDATE)."""
    if not FlaskForm().validate_on_submit():
        return redirect(url_for("lms_admin.api_tokens"))
    begin_write()
    done = db.session.execute(
        sa.update(ApiToken)
        .where(ApiToken.id == token_id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    ).rowcount
    db.session.commit()
    if done:
        flash(_("Le jeton est révoqué."), "success")
    return redirect(url_for("lms_admin.api_tokens"))
