"""The columns of a learner list: which header names mean what, compared loosely.

Headers are compared without case, accents, punctuation (``-``, ``_``, ``.``, ``'``, ``:``, ``*``)
or repeated spaces: « E-mail », « EMAIL », « e_mail » and « Adresse électronique : » are all found.
``Nom`` alone is the full name; next to a ``Prénom`` column it is the last name.
"""

from __future__ import annotations

import re
import unicodedata

from flask_babel import lazy_gettext as _l

_VARIANTS = {
    "email": (
        "email",
        "e-mail",
        "e mail",
        "mail",
        "courriel",
        "adresse e-mail",
        "adresse email",
        "adresse mail",
        "adresse electronique",
        "adresse courriel",
        "adresse de messagerie",
        "email address",
        "e-mail address",
    ),
    "first_name": ("prenom", "prenoms", "first name", "firstname", "given name"),
    "last_name": (
        "nom de famille",
        "nom d'usage",
        "nom de naissance",
        "last name",
        "lastname",
        "surname",
        "family name",
    ),
    "full_name": (
        "nom complet",
        "nom et prenom",
        "nom prenom",
        "prenom nom",
        "prenom et nom",
        "nom et prenoms",
        "name",
        "full name",
    ),
    "civility": ("civilite", "civ"),
    "organisation": (
        "organisme",
        "structure",
        "collectivite",
        "employeur",
        "organisation",
        "organization",
        "entreprise",
        "societe",
        "etablissement",
        "organisme employeur",
    ),
    "job_title": (
        "fonction",
        "poste",
        "intitule de poste",
        "intitule du poste",
        "job title",
        "metier",
    ),
}
#: What each column means, as the import report says it.
COLUMN_LABELS = {
    "email": _l("adresse e-mail"),
    "first_name": _l("prénom"),
    "last_name": _l("nom de famille"),
    "full_name": _l("nom complet"),
    "civility": _l("civilité"),
    "organisation": _l("organisme"),
    "job_title": _l("fonction"),
}
#: Longest value each column may hold (the sizes of the ``users`` columns).
LIMITS = {
    "email": 254,
    "first_name": 100,
    "last_name": 100,
    "full_name": 200,
    "civility": 30,
    "organisation": 200,
    "job_title": 200,
}


def header_key(text: str) -> str:
    """A header reduced to what is compared: lower case, no accents, no punctuation."""
    decomposed = unicodedata.normalize("NFKD", text.strip().lower())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(re.sub(r"[-_.'’:*()/]+", " ", plain).split())


_KNOWN = {header_key(v): name for name, variants in _VARIANTS.items() for v in variants}
_NOM = header_key("nom")


def recognised(header: list[str]) -> set[str]:
    """The fields a header row names (used to find the header and the separator)."""
    found = {_KNOWN[key] for key in map(header_key, header) if key in _KNOWN}
    if _NOM in map(header_key, header):
        found.add("last_name")
    return found


def match_header(header: list[str]) -> tuple[dict[str, int], list[str], list[str]]:
    """Map fields to column indexes; return (fields, unknown headers, repeated headers)."""
    fields: dict[str, int] = {}
    unknown: list[str] = []
    repeated: list[str] = []
    keys = [header_key(cell) for cell in header]
    has_first = any(_KNOWN.get(k) == "first_name" for k in keys)
    for index, (cell, key) in enumerate(zip(header, keys, strict=True)):
        name = ("last_name" if has_first else "full_name") if key == _NOM else _KNOWN.get(key)
        if name is None:
            if key:
                unknown.append(cell.strip())
        elif name in fields:
            repeated.append(cell.strip())
        else:
            fields[name] = index
    return fields, unknown, repeated
