"""Forms of the forum pages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectChoice, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length

BODY_MAX = 20_000


def _body(label):
    return TextAreaField(
        label,
        validators=[
            DataRequired(_l("Écrivez votre message.")),
            Length(max=BODY_MAX, message=_l("Votre message dépasse 20 000 caractères.")),
        ],
        description=_l(
            "Mise en forme Markdown : **gras**, *italique*, listes, liens, « > » pour citer."
        ),
    )


class ThreadForm(FlaskForm):
    """Open a thread: title, discussion or question, first message."""

    title = StringField(
        _l("Titre"),
        validators=[DataRequired(_l("Indiquez un titre.")), Length(max=200)],
    )
    kind = SelectField(
        _l("Type"),
        choices=[
            SelectChoice("discussion", _l("Discussion")),
            SelectChoice("question", _l("Question (pourra être marquée « résolu »)")),
        ],
    )
    body = _body(_l("Message"))
    submit = SubmitField(_l("Publier le message"))


class PostForm(FlaskForm):
    """Reply to a thread, or edit one's post."""

    body = _body(_l("Votre réponse"))
    submit = SubmitField(_l("Répondre"))


class ReasonForm(FlaskForm):
    """Why a post is reported or hidden."""

    reason = TextAreaField(
        _l("Motif"),
        validators=[DataRequired(_l("Indiquez le motif.")), Length(max=500)],
    )
    submit = SubmitField(_l("Envoyer"))
