"""The form registering a platform (« Plateformes LTI »)."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, ValidationError


def _http_url(form, field) -> None:
    """An absolute http(s) address."""
    parts = urlsplit((field.data or "").strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValidationError(_l("Indiquez une adresse complète commençant par https://."))


def _required(message):
    return [DataRequired(message), Length(max=1000)]


def deployment_list(text: str) -> list[str]:
    """Deployment ids typed one per line (or separated by commas), without repeats."""
    seen: list[str] = []
    for part in (text or "").replace(",", "\n").splitlines():
        if part.strip() and part.strip() not in seen:
            seen.append(part.strip()[:255])
    return seen


class PlatformForm(FlaskForm):
    """What the platform's administrator gives when adding Parcours as an external tool."""

    name = StringField(
        _l("Nom de la plateforme"),
        validators=[DataRequired(_l("Indiquez un nom.")), Length(max=200)],
    )
    issuer = StringField(
        _l("Émetteur (issuer / Platform ID)"),
        description=_l("Dans Moodle : l'adresse du site, par exemple https://moodle.example.org."),
        validators=[*_required(_l("Indiquez l'émetteur.")), _http_url],
    )
    client_id = StringField(
        _l("Identifiant client (client ID)"),
        validators=[DataRequired(_l("Indiquez l'identifiant client.")), Length(max=255)],
    )
    auth_login_url = StringField(
        _l("URL d'authentification (authentication request URL)"),
        validators=[*_required(_l("Indiquez l'URL d'authentification.")), _http_url],
    )
    auth_token_url = StringField(
        _l("URL du jeton d'accès (access token URL)"),
        validators=[*_required(_l("Indiquez l'URL du jeton d'accès.")), _http_url],
    )
    key_set_url = StringField(
        _l("URL du jeu de clés publiques (public keyset URL)"),
        validators=[*_required(_l("Indiquez l'URL du jeu de clés publiques.")), _http_url],
    )
    deployment_ids = TextAreaField(
        _l("Identifiants de déploiement (deployment ID)"),
        description=_l("Un par ligne."),
        validators=[DataRequired(_l("Indiquez au moins un identifiant de déploiement."))],
    )
    default_run_id = SelectField(_l("Session par défaut (facultatif)"), coerce=int, default=0)
    trust_emails = BooleanField(
        _l("Faire confiance aux adresses e-mail de cette plateforme"),
        description=_l(
            "Au premier lancement, relier l'utilisateur au compte Parcours qui a la même adresse "
            "(jamais à un compte administrateur). Sinon, un compte distinct est créé."
        ),
    )

    def validate_deployment_ids(self, field) -> None:
        """At least one id once blanks are dropped."""
        if not deployment_list(field.data):
            raise ValidationError(_l("Indiquez au moins un identifiant de déploiement."))
