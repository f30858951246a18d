"""Sign in, sign out, and password reset by e-mailed link."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from flask_wtf import FlaskForm

from lms.auth import limiter
from lms.auth.forms import ForgotPasswordForm, LoginForm, SetPasswordForm
from lms.db import begin_write, db, utcnow
from lms.mail import queue_mail, render_mail, send_queued
from lms.models import User, UserToken
from lms.urls import external_url

bp = Blueprint("auth", __name__, url_prefix="/compte")

RESET_LIFETIME = timedelta(hours=2)


def _safe_next(target: str | None) -> str:
    """Only follow ``next`` to a path of this site."""
    if (
        target
        and target.startswith("/")
        and not target.startswith("//")
        and not urlsplit(target).netloc
    ):
        return target
    return url_for("lms.home")


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _login_ip_limit() -> str:
    return current_app.config["LOGIN_IP_RATE_LIMIT"]


def _account_key() -> str:
    """The account a sign-in attempt is for: its normalised e-mail address."""
    return "account:" + User.normalise_email(request.form.get("email", ""))[:320]


def _failed(response) -> bool:
    """A failed attempt counts; a refused one (429) does not count again."""
    return response.status_code not in (302, 429)


@bp.route("/connexion", methods=["GET", "POST"])
@limiter.limit(
    _login_limit,
    key_func=_account_key,
    methods=["POST"],
    deduct_when=_failed,
    scope="login-account",
)
@limiter.limit(_login_ip_limit, methods=["POST"], deduct_when=_failed, scope="login-ip")
def login():
    """Show the sign-in form; sign in on valid credentials.

    Failed attempts are limited per account (``LOGIN_RATE_LIMIT``, on the normalised address)
    and per IP address (``LOGIN_IP_RATE_LIMIT``, higher): one locked account does not lock out
    the colleagues signing in from the same office network.
    """
    if current_user.is_authenticated:
        return redirect(url_for("lms.home"))
    form = LoginForm()
    if form.validate_on_submit():
        email = User.normalise_email(form.email.data)
        user = db.session.scalar(sa.select(User).where(User.email == email))
        if user is None or not user.active or not user.check_password(form.password.data):
            flash(_("Adresse e-mail ou mot de passe incorrect."), "error")
            return render_template("lms/auth/login.html", form=form)
        login_user(user, remember=form.remember.data)
        begin_write()  # the user row was read in the read transaction: write in a fresh one
        user.last_login_at = utcnow()
        db.session.commit()
        return redirect(_safe_next(request.args.get("next")))
    return render_template("lms/auth/login.html", form=form)


@bp.route("/deconnexion", methods=["POST"])
@login_required
def logout():
    """Sign out (POST only, with CSRF)."""
    form = FlaskForm()
    if form.validate_on_submit():
        logout_user()
        flash(_("Vous êtes déconnecté."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/mot-de-passe-oublie", methods=["GET", "POST"])
@limiter.limit("20 per hour", methods=["POST"])
def forgot_password():
    """Send a reset link if the address is known; answer the same either way."""
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        email = User.normalise_email(form.email.data)
        user = db.session.scalar(sa.select(User).where(User.email == email, User.active.is_(True)))
        if user is not None:
            send_password_reset(user)
        flash(_("Si un compte existe pour cette adresse, un lien vient d'y être envoyé."), "info")
        return redirect(url_for("auth.login"))
    return render_template("lms/auth/forgot.html", form=form)


def send_password_reset(user: User) -> None:
    """Issue a reset token for ``user`` and e-mail the link."""
    token, raw = UserToken.issue(user, "reset", RESET_LIFETIME)
    db.session.flush()
    link = external_url("auth.reset_password", token=raw)
    subject, text, html = render_mail(
        "lms/mail/password_reset", user.locale, user=user, link=link, hours=2
    )
    queue_mail(
        f"reset:{token.id}",
        user.email,
        subject,
        text,
        html,
        to_name=user.name,
        user_id=user.id,
        category="password_reset",
    )
    db.session.commit()
    if current_app.config["MAIL_SEND_ON_COMMIT"]:
        send_queued()


def link_used():
    """The page of a single-use link that another request has just used (409)."""
    return render_template("lms/auth/link_used.html"), 409


@bp.route("/mot-de-passe/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    """Let the holder of a valid reset link choose a new password."""
    record = UserToken.find(token, "reset")
    if record is not None and record.used_at is not None and request.method == "POST":
        return link_used()
    if record is None or not record.is_usable():
        return render_template("lms/auth/link_invalid.html"), 410 if record else 404
    form = SetPasswordForm()
    if form.validate_on_submit():
        begin_write()
        record = UserToken.find(token, "reset")
        if record is None or not record.consume():
            db.session.rollback()
            return link_used()
        record.user.set_password(form.password.data)
        db.session.commit()
        login_user(record.user)
        flash(_("Votre mot de passe est enregistré."), "success")
        return redirect(url_for("lms.home"))
    return render_template("lms/auth/set_password.html", form=form, user=record.user)
