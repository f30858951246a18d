"""What every page template gets: navigation, languages, site name."""

from __future__ import annotations

from flask import Flask, current_app
from flask_babel import get_locale
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup

from lms.markdown import render_safe
from lms.plugins import get_registry
from lms.urls import url_builder


class _PostForm:
    """What a template needs of a form that only posts a button: its CSRF field.

    ``post_form().csrf_token`` renders the same hidden field as a ``FlaskForm``'s (without its
    ``id``, which repeated on every form of a page), without building a form: every page has two
    (sign-out, language), and a ``FlaskForm`` with its widget cost ~0.3 ms a page.
    """

    __slots__ = ()

    @property
    def csrf_token(self) -> Markup:
        """The hidden CSRF field (the token is generated once per request by Flask-WTF)."""
        return Markup('<input name="csrf_token" type="hidden" value="%s">') % generate_csrf()


_POST_FORM = _PostForm()


def _post_form() -> _PostForm:
    return _POST_FORM


def _run_links(run, audience: str):
    """Links the plugins add to a session's page, for the current user."""
    return get_registry().run_links(current_user, run, audience)


def render_fragment(template: str, **context) -> Markup:
    """Render ``template`` as a piece of a page (a question, a card), not as a page.

    Unlike ``render_template`` it runs no context processor (this module's navigation, locale
    and forms, Flask-Login's ``current_user``): a fragment gets its own ``context`` and the Jinja
    globals (``_``, ``url_for``, ``request``, ``config``…). A page of 12 questions rendered each
    with ``render_template`` ran the page's context processors 13 times.
    """
    return Markup(current_app.jinja_env.get_template(template).render(context))  # noqa: S704


def init_app(app: Flask) -> None:
    """Register the template context processor and filters."""

    @app.context_processor
    def shell_context():
        signed_in = getattr(current_user, "is_authenticated", False)  # False outside requests
        nav = get_registry().nav_items(current_user) if signed_in else []
        return {
            "site_name": current_app.config["LMS_SITE_NAME"],
            "nav_items": nav,
            "current_locale": str(get_locale()),
            "languages": current_app.config["LANGUAGES"],
            "post_form": _post_form,
            "run_links": _run_links,
            "url_builder": url_builder,
        }

    app.add_template_filter(render_safe, "markdown")
    from lms import formatting

    formatting.init_app(app)
