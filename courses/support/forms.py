"""Forms of support requests."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import DateField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional


def _body():
    return TextAreaField(
        _l("Message"),
        validators=[DataRequired(_l("Écrivez votre message.")), Length(max=10_000)],
    )


def _attachment():
    return FileField(
        _l("Pièce jointe (facultatif)"),
        description=_l("Une image (PNG, JPEG, GIF, WebP) ou un PDF, 4 Mo au plus."),
    )


class RequestForm(FlaskForm):
    """A learner's new request."""

    category = SelectField(
        _l("Catégorie"),
        choices=[
            SelectChoice("technique", _l("Technique (connexion, affichage, vidéo…)")),
            SelectChoice("contenu", _l("Contenu (une question sur la formation)")),
            SelectChoice("administratif", _l("Administratif (inscription, attestation…)")),
        ],
    )
    subject = StringField(
        _l("Objet"), validators=[DataRequired(_l("Indiquez l'objet.")), Length(max=200)]
    )
    body = _body()
    attachment = _attachment()


class MessageForm(FlaskForm):
    """A message in a request's conversation."""

    body = _body()
    attachment = _attachment()


class ReportForm(FlaskForm):
    """The period of the support report (GET form, no CSRF)."""

    class Meta:
        csrf = False

    run = SelectField(_l("Session"), coerce=int, validators=[Optional()])
    start = DateField(_l("Du"), validators=[Optional()])
    end = DateField(_l("Au"), validators=[Optional()])
