"""Templates translate through lms.i18n.request_translations: looked up once per request and
locale, never the wrong language (forced locales for e-mails, a language switch)."""

from flask import render_template_string
from flask_babel import force_locale

from lms.i18n import request_translations

TEMPLATE = "{{ _('Langue') }} · {{ ngettext('%(num)d jour', '%(num)d jours', 2) }}"


def test_templates_follow_the_request_locale_and_forced_locales(app):
    with app.test_request_context("/"):
        assert render_template_string(TEMPLATE).startswith("Langue")
        with force_locale("en"):  # an e-mail in its recipient's language
            assert render_template_string(TEMPLATE).startswith("Language")
        assert render_template_string(TEMPLATE).startswith("Langue")
    with app.test_request_context("/"):
        with force_locale("en"):
            assert render_template_string(TEMPLATE).startswith("Language")
        assert render_template_string(TEMPLATE) == "Langue · 2 jours"


def test_a_request_reuses_its_translations(app):
    with app.test_request_context("/"):
        first = request_translations()
        assert request_translations() is first
    with app.test_request_context("/"), force_locale("en"):
        assert request_translations().ugettext("Langue") == "Language"


def test_templates_underscore_escapes_its_variables_not_its_text(app):
    """``_()`` in templates behaves as Jinja's « newstyle » gettext: the catalog's text kept
    as is, the variables escaped, the same in text templates (no escaping there)."""
    name = "<b>Zoé & Cie</b>"
    with app.test_request_context("/"):
        html = render_template_string("{{ _('à %(name)s', name=name) }}", name=name)
        assert html == "à &lt;b&gt;Zoé &amp; Cie&lt;/b&gt;"
        with force_locale("en"):
            html = render_template_string("{{ _('Se déconnecter') }}|{{ _('Langue') }}")
            assert html == "Sign out|Language"
        assert render_template_string("{{ _('%(n)d %%', n=5) }}") == "5 %"
        text = app.jinja_env.from_string(
            "{% autoescape false %}{{ _('à %(name)s', name=name) }}{% endautoescape %}"
        )
        assert text.render(name=name) == "à <b>Zoé & Cie</b>"
