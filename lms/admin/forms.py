"""Forms of the host's administration pages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    SelectChoice,
    SelectField,
    StringField,
    SubmitField,
)
from wtforms.validators import DataRequired, Email, Length, Optional

from lms.models import Role

ROLE_LABELS = {
    Role.LEARNER: _l("Apprenant"),
    Role.TRAINER: _l("Formateur"),
    Role.ADMIN: _l("Administrateur"),
    Role.JURY: _l("Membre de jury"),
}


def _role_choices() -> list[SelectChoice]:
    return [SelectChoice(role.value, label) for role, label in ROLE_LABELS.items()]


class UserCreateForm(FlaskForm):
    """A new account: name, e-mail, role; it receives a link to choose its password."""

    name = StringField(
        _l("Nom complet"), validators=[DataRequired(_l("Indiquez le nom.")), Length(max=200)]
    )
    email = EmailField(
        _l("Adresse e-mail"),
        validators=[
            DataRequired(_l("Indiquez l'adresse e-mail.")),
            Email(_l("Adresse e-mail invalide."), check_deliverability=False),
            Length(max=254),
        ],
    )
    role = SelectField(_l("Rôle"), choices=_role_choices(), default=Role.LEARNER.value)
    send_link = BooleanField(_l("Envoyer un lien pour choisir son mot de passe"), default=True)
    submit = SubmitField(_l("Créer le compte"))


class UserEditForm(FlaskForm):
    """What an administrator may change on an account."""

    name = StringField(
        _l("Nom complet"), validators=[DataRequired(_l("Indiquez le nom.")), Length(max=200)]
    )
    civility = StringField(_l("Civilité"), validators=[Optional(), Length(max=30)])
    first_name = StringField(_l("Prénom"), validators=[Optional(), Length(max=100)])
    last_name = StringField(_l("Nom de famille"), validators=[Optional(), Length(max=100)])
    organisation = StringField(_l("Organisme"), validators=[Optional(), Length(max=200)])
    job_title = StringField(_l("Fonction"), validators=[Optional(), Length(max=200)])
    role = SelectField(_l("Rôle"), choices=_role_choices())
    active = BooleanField(_l("Compte actif (peut se connecter)"))
    submit = SubmitField(_l("Enregistrer"))

    #: The optional profile fields, stored as NULL when left empty.
    PROFILE = ("civility", "first_name", "last_name", "organisation", "job_title")


class UserSearchForm(FlaskForm):
    """Search and filter of the users list (GET, no CSRF)."""

    class Meta:
        csrf = False

    q = StringField(_l("Rechercher (nom ou e-mail)"))
    role = SelectField(
        _l("Rôle"), choices=[SelectChoice("", _l("Tous les rôles")), *_role_choices()]
    )
    submit = SubmitField(_l("Filtrer"))
