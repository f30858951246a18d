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
