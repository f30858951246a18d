"""Host pages: the home page that sends each person where they work, and the language switch."""

from __future__ import annotations

from flask import Blueprint, current_app, redirect, render_template, request, session, url_for
from flask_login import current_user
from flask_wtf import FlaskForm

from lms.db import db
from lms.plugins import NavItem, get_registry

bp = Blueprint("lms", __name__)


def host_nav(user):
    """The host's own menu entries: administrators land on their dashboard, manage users, read
    the mail log and create API tokens."""
    from flask_babel import lazy_gettext as _l

    if user.role != "admin":
        return []
    return [
        NavItem(_l("Tableau de bord"), "lms_admin.dashboard", 5),
        NavItem(_l("Utilisateurs"), "lms_admin.users", 80),
        NavItem(_l("Journal des e-mails"), "lms_admin.mail_log", 85),
        NavItem(_l("Jetons d'API"), "lms_admin.api_tokens", 90),
    ]


@bp.route("/")
def home():
    """Send a signed-in person to their first navigation entry; others to the sign-in page."""
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login"))
    items = get_registry().nav_items(current_user)
    if items:
        return redirect(url_for(min(items, key=lambda item: item.order).endpoint))
    return render_template("lms/home.html")


@bp.route("/favicon.ico")
def favicon():
    """The site icon at the address browsers and feed readers ask for without being told."""
    return current_app.send_static_file("favicon.ico")


@bp.route("/langue", methods=["POST"])
def set_language():
    """Switch the interface language and remember it (on the account when signed in)."""
    form = FlaskForm()
    lang = request.form.get("lang", "")
    if form.validate_on_submit() and lang in current_app.config["LANGUAGES"]:
        session["lang"] = lang
        if current_user.is_authenticated:
            current_user.locale = lang
            db.session.commit()
    target = request.form.get("next") or url_for("lms.home")
    if not target.startswith("/") or target.startswith("//"):
        target = url_for("lms.home")
    return redirect(target)
