"""The library's technical refusals, explained in a sentence that names the wrong claim."""

from __future__ import annotations

from flask import render_template
from flask_babel import lazy_gettext as _l

#: (words in the library's message, what to tell, HTTP status), first match wins.
EXPLANATIONS = (
    ("Missing state", _l("Le paramètre state manque à la requête de lancement."), 400),
    (
        "State not found",
        _l(
            "Le paramètre state ne correspond à aucune connexion commencée dans ce navigateur "
            "(cookie de connexion absent ou expiré). Relancez l'activité depuis la plateforme, "
            "de préférence dans une nouvelle fenêtre."
        ),
        400,
    ),
    ("Missing id_token", _l("Le jeton id_token manque à la requête de lancement."), 400),
    ("JWT", _l("Le jeton id_token n'est pas un JWT lisible."), 400),
    ("has expired", _l("Le jeton id_token a expiré (claim exp)."), 403),
    ('"iss"', _l("Le jeton id_token n'indique pas d'émetteur (claim iss)."), 400),
    (
        "egistration",
        _l(
            "Aucune plateforme active n'est enregistrée pour cet émetteur (iss) et cet "
            "identifiant client (aud ou client_id)."
        ),
        403,
    ),
    (
        "Client id",
        _l("L'identifiant client (aud) du jeton n'est pas celui de la plateforme enregistrée."),
        403,
    ),
    (
        "deployment",
        _l(
            "L'identifiant de déploiement (claim deployment_id) n'est pas déclaré pour cette "
            "plateforme."
        ),
        403,
    ),
    (
        "once",
        _l(
            "Le nonce du jeton est inconnu, expiré ou déjà utilisé : ce lancement a déjà servi "
            "(rejeu refusé)."
        ),
        403,
    ),
    ("(sub)", _l("L'identifiant de l'utilisateur (claim sub) manque."), 400),
    ("version", _l("La version LTI (claim version) doit être 1.3.0."), 400),
    ("Roles", _l("La liste des rôles (claim roles) manque."), 400),
    ("Resource Link", _l("Le lien de ressource (claim resource_link) n'a pas d'identifiant."), 400),
    (
        "Deep Linking",
        _l("Les réglages de sélection de contenu (claim deep_linking_settings) sont incomplets."),
        400,
    ),
    (
        "Must support",
        _l("Les réglages de sélection de contenu (claim deep_linking_settings) sont incomplets."),
        400,
    ),
    ("message type", _l("Le type de message (claim message_type) n'est pas pris en charge."), 400),
    ("issuer", _l("Le paramètre iss manque à la demande de connexion."), 400),
    ("login hint", _l("Le paramètre login_hint manque à la demande de connexion."), 400),
)
SIGNATURE = _l(
    "La signature du jeton id_token n'a pas pu être vérifiée avec les clés publiées par la "
    "plateforme (kid, alg ou jeu de clés JWKS)."
)
INVALID = _l("La demande de lancement LTI est invalide.")
_SIGNATURE = (
    "decode id_token",
    "public key",
    "KID",
    "ALG",
    "fetch URL",
    "Invalid response",
    "Invalid URL",
)


def explain(error: Exception) -> tuple[str, int]:
    """What to tell about a library refusal, and the HTTP status (400 or 403)."""
    text = str(error)
    if "has expired" not in text and any(word in text for word in _SIGNATURE):
        return str(SIGNATURE), 403
    for words, message, status in EXPLANATIONS:
        if words in text:
            return str(message), status
    return str(INVALID), 400


def error_page(message: str, status: int, detail: str | None = None):
    """The launch error page (French first), with the library's technical detail."""
    html = render_template("courses/lti/error.html", message=message, detail=detail)
    return html, status
