"""Forms of the sign-in pages."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SubmitField
from wtforms.validators import DataRequired, Email, EqualTo, Length


def strip(value: str | None) -> str | None:
    """Remove the spaces people paste around an address."""
    return value.strip() if isinstance(value, str) else value


class LoginForm(FlaskForm):
    """E-mail and password."""

    email = EmailField(_l("Adresse e-mail"), validators=[DataRequired(), Email()], filters=[strip])
    password = PasswordField(_l("Mot de passe"), validators=[DataRequired()])
    remember = BooleanField(_l("Rester connecté"))
    submit = SubmitField(_l("Se connecter"))


class ForgotPasswordForm(FlaskForm):
    """Ask for a reset link."""

    email = EmailField(_l("Adresse e-mail"), validators=[DataRequired(), Email()], filters=[strip])
    submit = SubmitField(_l("Recevoir un lien"))


class SetPasswordForm(FlaskForm):
    """Choose a new password (reset or first sign-in through an invitation)."""

    password = PasswordField(
        _l("Nouveau mot de passe"),
        validators=[DataRequired(), Length(min=10, message=_l("Au moins 10 caractères."))],
        description=_l("Au moins 10 caractères."),
    )
    confirm = PasswordField(
        _l("Confirmer le mot de passe"),
        validators=[
            DataRequired(),
            EqualTo("password", message=_l("Les deux mots de passe ne sont pas identiques.")),
        ],
    )
    submit = SubmitField(_l("Enregistrer le mot de passe"))
