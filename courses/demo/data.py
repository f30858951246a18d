"""People and sessions of the demo data (invented names; profiles from the curriculum sheet).

Learners carry the key of their function in the needs questionnaire (``elu``, ``dgs``...), so
the quizzes demo can answer it in character; nothing else of their profile is stored.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

#: Course keys of the shipped catalogue that the demo uses.
GCU07 = "gcu07"
ONE_DAY = "deployer-outil-participation"
WEBINARS = "webinaires-participation"

#: Trainers invented among the six profiles of GCU07's teaching team (curriculum sheet).
GCU07_TRAINERS = {
    "bertrand.lemaire": "Bertrand Lemaire",  # maire, vice-président d'une communauté urbaine
    "anne-laure.vidalenc": "Anne-Laure Vidalenc",  # présidente d'une association de la concertation
    "olivier.ferrand": "Olivier Ferrand",  # équipe données d'une mission nationale open data
    "sylvie.carpentier": "Sylvie Carpentier",  # consultante numérique et territoires
}
ONE_DAY_TRAINER = ("Mathilde Aubry", "mathilde.aubry")
WEBINAR_TRAINER = ("Lucas Fontaine", "lucas.fontaine")


@dataclass(frozen=True)
class PastRun:
    """A finished session: its title, dates, trainers (local parts) and learners."""

    course_key: str
    title: str
    starts_on: date
    ends_on: date
    trainers: tuple[str, ...]
    learners: tuple[tuple[str, str, str], ...]  # (name, local part, function key)
    place: str = "Paris"
    capacity: int | None = 12
    access_days: int | None = 180
    reviewer: str | None = None  # the trainer who fills in the session's evaluation
    options: dict = field(default_factory=dict)


SPRING_2022 = PastRun(
    GCU07,
    "GCU07 — Paris, printemps 2022",
    date(2022, 5, 30),
    date(2022, 6, 29),
    ("helene.marchand", "karim.benali", "bertrand.lemaire", "olivier.ferrand"),
    (
        ("Aurélie Besson", "aurelie.besson", "dgs"),
        ("Grégoire Masson", "gregoire.masson", "elu"),
        ("Nathalie Caron", "nathalie.caron", "chef-projet-numerique"),
        ("Rachid Amrani", "rachid.amrani", "dsi"),
        ("Céline Dufour", "celine.dufour", "participation"),
        ("Vincent Royer", "vincent.royer", "chef-projet-open-data"),
        ("Élodie Marchal", "elodie.marchal", "communication"),
        ("Stéphane Texier", "stephane.texier", "elu"),
        ("Laure Poulain", "laure.poulain", "chef-projet-numerique"),
        ("Damien Collet", "damien.collet", "dsi"),
        ("Samira Belkacem", "samira.belkacem", "participation"),
    ),
    reviewer="helene.marchand",
)

AUTUMN_2022 = PastRun(
    GCU07,
    "GCU07 — Paris, automne 2022",
    date(2022, 9, 8),
    date(2022, 12, 8),
    ("helene.marchand", "karim.benali", "anne-laure.vidalenc", "sylvie.carpentier"),
    (
        ("Frédéric Lemoine", "frederic.lemoine", "dgs"),
        ("Manon Guillot", "manon.guillot", "chef-projet-numerique"),
        ("Hugo Perret", "hugo.perret", "chef-projet-open-data"),
        ("Sandrine Leclerc", "sandrine.leclerc", "elu"),
        ("Karine Da Silva", "karine.dasilva", "communication"),
        ("Benoît Gauthier", "benoit.gauthier", "dsi"),
        ("Amandine Roche", "amandine.roche", "participation"),
        ("Louis Barbier", "louis.barbier", "chef-projet-numerique"),
        ("Fatima Zerrouki", "fatima.zerrouki", "elu"),
        ("Guillaume Hervé", "guillaume.herve", "dgs"),
        ("Pauline Renaud", "pauline.renaud", "chef-projet-open-data"),
        ("Jérôme Lacroix", "jerome.lacroix", "participation"),
    ),
    reviewer="karim.benali",
)

ONE_DAY_2019 = PastRun(
    ONE_DAY,
    "Déployer son outil numérique de participation — Paris, 27 septembre 2019",
    date(2019, 9, 27),
    date(2019, 9, 27),
    ("karim.benali", ONE_DAY_TRAINER[1]),
    (
        ("Marie-Claire Boyer", "marie-claire.boyer", "participation"),
        ("Cédric Hamon", "cedric.hamon", "chef-projet-numerique"),
        ("Ophélie Jacquet", "ophelie.jacquet", "communication"),
        ("Xavier Pons", "xavier.pons", "elu"),
        ("Agnès Millet", "agnes.millet", "dgs"),
        ("Romain Vidal", "romain.vidal", "chef-projet-numerique"),
        ("Chloé Bertin", "chloe.bertin", "participation"),
        ("Thierry Maillard", "thierry.maillard", "dsi"),
        ("Inès Benhamou", "ines.benhamou", "participation"),
        ("Loïc Tanguy", "loic.tanguy", "elu"),
    ),
    reviewer="karim.benali",
)

#: The finished GCU07 sessions, oldest first.
PAST_GCU07 = (SPRING_2022, AUTUMN_2022)

#: Sophie Lefèvre also followed the 2020 webinar cycle (episodes 1 to 5).
WEBINAR_RUN = PastRun(
    WEBINARS,
    "Cycle de webinaires sur la participation — avril à juin 2020",
    date(2020, 4, 23),
    date(2020, 6, 4),
    (WEBINAR_TRAINER[1],),
    (("Sophie Lefèvre", "sophie.lefevre", "participation"),),
    place="En ligne",
    capacity=None,
    access_days=None,
    options={"episodes_followed": 5},
)

#: Function of the current session's demo learners in the needs questionnaire.
CURRENT_FUNCTIONS = {
    "sophie.lefevre": "participation",
    "thomas.girard": "dsi",
    "nadia.haddad": "chef-projet-numerique",
    "julien.moreau": "elu",
    "camille.roux": "communication",
    "antoine.fabre": "dgs",
    "lea.chevalier": "chef-projet-open-data",
    "mehdi.bouzid": "chef-projet-numerique",
    "claire.vasseur": "participation",
    "pierre.lambert": "elu",
    "emma.garnier": "communication",
    "yann.legall": "dsi",
}


def learner_functions() -> dict[str, str]:
    """Function key of every demo learner, by local part of their e-mail address."""
    found = dict(CURRENT_FUNCTIONS)
    for run in (*PAST_GCU07, ONE_DAY_2019):
        found.update({local: function for _, local, function in run.learners})
    return found
