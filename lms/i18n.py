"""Languages: French by default, English on request; the choice is remembered."""

from __future__ import annotations

from flask import Flask, current_app, g, request, session
from flask_babel import Babel, get_translations
from flask_login import current_user
from jinja2 import pass_context
from markupsafe import Markup

babel = Babel()


def select_locale() -> str:
    """Pick the user's saved language, then the visitor's session choice, then the default."""
    languages = current_app.config["LANGUAGES"]
    if (
        request
        and getattr(current_user, "is_authenticated", False)
        and current_user.locale in languages
    ):
        return current_user.locale
    if request and session.get("lang") in languages:
        return session["lang"]
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def request_translations():
    """The translations of the current request, looked up once per locale.

    Flask-Babel's own lookup (context, domain, locale, cache) costs ~5 µs and a template calls
    ``_()`` dozens of times a page. The result is kept in Flask-Babel's request state next to
    the locale it was made for, so ``force_locale`` (an e-mail in its recipient's language)
    and ``refresh`` still get the right catalog: a new locale object is a new lookup.
    """
    try:
        state = g._flask_babel
    except (AttributeError, RuntimeError):  # before Flask-Babel's first lookup, or no context
        return get_translations()
    locale = getattr(state, "babel_locale", None)
    cached = getattr(state, "lms_translations", None)
    if locale is not None and cached is not None and cached[0] is locale:
        return cached[1]
    translations = get_translations()
    state.lms_translations = (getattr(state, "babel_locale", None), translations)
    return translations


def gettext(string: str, **variables) -> str:
    """Flask-Babel's ``gettext`` on :func:`request_translations`: the same text, for Python
    code that translates once per row or cell of a big table."""
    text = request_translations().ugettext(string)
    return text % variables if variables else text


@pass_context
def template_gettext(context, string: str, **variables) -> str:
    """The templates' ``_()``: what Jinja's « newstyle » ``gettext`` does — the translation,
    marked safe when the template escapes, formatted with ``variables`` (escaped) — in one
    call instead of three (``_`` looked up ``gettext``, which called the translation function,
    each through the template context); pages call ``_()`` dozens to hundreds of times."""
    text = request_translations().ugettext(string)
    if context.eval_ctx.autoescape:
        text = Markup(text)  # noqa: S704 - the catalog's own text, as Jinja's newstyle gettext
    return text % variables


def init_app(app: Flask) -> None:
    """Install Flask-Babel with the host's catalog folder, and the templates' ``_()``,
    ``ngettext()``… on :func:`request_translations`."""
    babel.init_app(
        app, locale_selector=select_locale, default_translation_directories="translations"
    )
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", "translations")
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: request_translations().ugettext(s),
        ngettext=lambda s, p, n: request_translations().ungettext(s, p, n),
        newstyle=True,
        pgettext=lambda c, s: request_translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: request_translations().unpgettext(c, s, p, n),
    )
    app.jinja_env.globals["_"] = template_gettext
