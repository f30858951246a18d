"""Free-text answers of the demo data, in French: what trainees and trainers typically write.

The demo picks among them with its seeded random generator, so the same texts come back on
every load. Keys are ``(purpose, question key)``; :func:`bank` falls back on the question key's
words, then on the purpose.
"""

from __future__ import annotations

from courses.demo.data import ONE_DAY

#: « Qu'avez-vous le plus apprécié ? »
STRENGTHS = (
    "Les études de cas concrètes, très proches de ce que nous vivons en collectivité.",
    "Les échanges entre stagiaires : on repart avec des contacts et des idées à tester.",
    "La fiche mémo de chaque module, que j'ai déjà partagée avec mon équipe.",
    "Le module sur l'open data : j'ai enfin compris nos obligations et par où commencer.",
    "La disponibilité des formateurs et leurs retours sur mon projet de soutenance.",
    "L'alternance entre apports théoriques, exercices et retours d'expérience d'élus.",
    "La préparation de la soutenance, qui m'a obligé à structurer mon projet.",
    "Les exemples de budgets participatifs, avec leurs réussites et leurs difficultés.",
)

#: « Que faudrait-il améliorer en priorité ? »
IMPROVEMENTS = (
    "Le rythme du module sur les médias sociaux était un peu rapide.",
    "Prévoir davantage de temps pour les exercices en sous-groupes.",
    "Quelques difficultés de connexion lors de la deuxième classe virtuelle.",
    "Un exemple de cahier des charges complet serait très utile pour le module 1.",
    "Les quiz pourraient proposer davantage de cas pratiques et moins de questions de cours.",
    "Mieux répartir les séances : deux jours consécutifs en présentiel, c'est dense.",
    "Ajouter un temps d'échange sur les petites communes, aux moyens plus limités.",
    "Des classes virtuelles plus courtes et plus interactives seraient plus faciles à suivre.",
)

#: « Avez-vous d'autres remarques ou suggestions ? »
REMARKS = (
    "Merci à toute l'équipe pour cette formation riche et bien organisée.",
    "Je recommanderai la formation aux collègues de ma direction.",
    "Une session de suivi quelques mois après la formation serait la bienvenue.",
    "Le forum a été peu utilisé : il faudrait peut-être l'animer davantage.",
    "Formation très utile pour un élu qui découvre ces sujets.",
    "J'aurais aimé recevoir les supports un peu plus tôt avant chaque séance.",
)

#: Needs questionnaire: « Qu'attendez-vous principalement de cette formation ? »
EXPECTATIONS = (
    "Savoir piloter le projet de portail citoyen que notre commune lance cette année.",
    "Mieux connaître nos obligations en matière d'ouverture des données et savoir les prioriser.",
    "Trouver des méthodes pour associer les habitants au-delà des réunions publiques habituelles.",
    "Construire une stratégie pour nos comptes sur les médias sociaux, aujourd'hui peu animés.",
    "Disposer d'indicateurs simples pour mesurer l'usage de nos services en ligne.",
    "Échanger avec d'autres collectivités sur leurs expériences de budget participatif.",
    "Prendre du recul sur la transformation numérique de nos services et de nos relations "
    "avec les habitants.",
    "Acquérir un vocabulaire commun avec la DSI et les prestataires, pour mieux piloter "
    "nos projets.",
)

#: Needs questionnaire: the project the trainee carries.
PROJECTS = (
    "Refonte du site de la ville en portail de démarches, avec un compte citoyen.",
    "Lancement d'un premier budget participatif à l'échelle de l'intercommunalité.",
    "Publication des premiers jeux de données : équipements, horaires, subventions.",
    "Création d'un conseil citoyen appuyé par une plateforme de consultation en ligne.",
    "Mise en place d'un outil de signalement des problèmes de voirie par les habitants.",
    "Réorganisation de la présence de la collectivité sur les médias sociaux.",
    "Déploiement de bornes numériques et d'ateliers de médiation dans les mairies annexes.",
)

CONSTRAINTS = (
    "Je suis disponible surtout le vendredi ; les séances du lundi matin me sont difficiles.",
    "Je privilégierai les classes virtuelles pour limiter les déplacements.",
    "Conseil municipal le premier jeudi de chaque mois : je serai absent ce jour-là.",
)

NEEDS_REMARKS = (
    "Je découvre le sujet de l'open data : un rappel des bases me serait utile.",
    "Notre collectivité sort d'une concertation difficile ; j'aimerais en parler pendant "
    "la formation.",
    "Je suis curieux de voir comment d'autres communes de taille comparable s'y prennent.",
)

#: Trainers' evaluation of the session.
TRAINER_GROUP = (
    "Groupe très participatif ; les élus ont apporté des exemples concrets appréciés de tous.",
    "Bonne entraide ; deux stagiaires un peu en retrait au début se sont ouverts en fin "
    "de session.",
    "Échanges riches entre profils techniques et élus, malgré quelques débats un peu longs.",
)
TRAINER_LEVEL = (
    "Écart net entre les DSI, très à l'aise, et les élus qui découvraient le vocabulaire ; "
    "nous avons constitué des binômes mixtes.",
    "Niveau globalement homogène ; quelques rappels sur l'open data ont suffi.",
)
TRAINER_INCIDENT = (
    "Coupure de la classe virtuelle pendant vingt minutes lors du module 3 ; la séance a été "
    "prolongée et l'enregistrement envoyé aux stagiaires.",
    "Salle indisponible le deuxième jour : repli dans une salle plus petite, sans incidence "
    "sur le programme.",
)
TRAINER_IMPROVEMENTS = (
    "Envoyer la consigne de la soutenance dès le premier module, pour que les projets mûrissent.",
    "Ajouter un exercice pratique sur la modération des commentaires en ligne.",
    "Réduire la partie théorique du module 2 au profit des études de cas.",
)
TRAINER_REMARKS = (
    "Session agréable ; les quiz de validation ont bien rythmé le travail à distance.",
    "Prévoir une salle mieux équipée pour les ateliers en sous-groupes.",
)

#: The one-day training « Déployer son outil numérique de participation » (2019).
DAY_STRENGTHS = (
    "L'atelier des six chapeaux : il nous a obligés à regarder le projet sous tous les angles.",
    "La grille du rôle donné aux citoyens, très parlante pour situer son propre dispositif.",
    "Le mini-atelier de codéveloppement : des conseils concrets de pairs en vingt minutes.",
    "L'analyse critique de l'offre civic tech, sans discours commercial.",
    "La diversité des participants, collectivités et entreprises, qui a enrichi les échanges.",
    "Les repères pour choisir un prestataire : logiciel libre, marque blanche, marchés publics.",
)
DAY_IMPROVEMENTS = (
    "La journée est dense : les ateliers de l'après-midi mériteraient plus de temps.",
    "Prévoir une pause de plus entre les séquences de l'après-midi.",
    "L'atelier sur l'interface et le back-office était trop court pour aller au bout.",
    "Un court questionnaire avant la journée permettrait d'adapter les exemples aux projets.",
    "Davantage d'exemples de petites communes, aux moyens limités.",
    "Partager les supports de présentation à la fin de la journée.",
)
NEXT_ACTIONS = (
    "Réunir d'ici trois semaines les services concernés pour recenser les dispositifs de "
    "participation existants.",
    "Rédiger avant la fin du mois une note aux élus : objectifs de la plateforme et usage "
    "des contributions.",
    "Rencontrer deux collectivités qui utilisent déjà un outil de participation, avant le "
    "prochain comité de pilotage.",
    "Définir avec la communication le plan de mobilisation, relais hors ligne compris, "
    "d'ici mi-octobre.",
    "Reprendre le cahier des charges pour y prévoir la restitution aux participants dès la "
    "conception.",
)
ROLE_PROGRESSION = (
    "Passer de la consultation à la co-construction sur le projet de parc : associer un "
    "groupe d'habitants dès le cahier des charges.",
    "La grille montre que nous ne rendons jamais compte des suites données : prévoir une "
    "restitution publique systématique.",
    "Les règles du jeu ne sont pas claires pour les participants ; nous les publierons avant "
    "d'ouvrir la plateforme.",
    "Associer les habitants au suivi des projets retenus, pas seulement à leur sélection.",
)
#: Words of a question key and their bank, for the one-day training.
ONE_DAY_WORDS = (
    ("fort", DAY_STRENGTHS),
    ("fonctionne", DAY_STRENGTHS),
    ("amelior", DAY_IMPROVEMENTS),
    ("changer", DAY_IMPROVEMENTS),
    ("action", NEXT_ACTIONS),
    ("progression", ROLE_PROGRESSION),
    ("projet", PROJECTS),
)

#: Answers to open questions the demo does not know (other courses' questionnaires).
GENERIC = (
    "Une démarche utile, que je compte adapter au contexte de ma collectivité.",
    "Les citoyens sont surtout consultés chez nous ; nous voulons aller vers la concertation.",
    "Il faudra convaincre les élus et les services avant de lancer un outil en ligne.",
    "Nous commencerons par un projet pilote sur un quartier avant de généraliser.",
    "Le retour aux participants reste notre point faible : c'est la priorité pour l'an prochain.",
)

#: Essays in quizzes, by words of the question's text (the first match wins).
ESSAYS = (
    (
        ("feuille de route", "e-démocratie"),
        (
            "Instance choisie : les conseils de quartier. Objectif : élargir la participation "
            "au-delà des habitués et rendre les échanges plus visibles. Publics visés : les "
            "jeunes actifs et les familles, peu présents aux réunions. Étapes : diagnostic avec "
            "les présidents de conseil, ouverture d'un espace en ligne par quartier pour "
            "recueillir les idées, ateliers en présentiel pour les approfondir, puis restitution "
            "publique. Outils : plateforme de consultation, affichage dans les halls "
            "d'immeubles, permanences à la médiathèque avec un conseiller numérique pour les "
            "publics éloignés du numérique. Relais : centres sociaux, associations de parents "
            "d'élèves. Moyens : un chargé de mission à mi-temps et un budget de 15 000 euros. "
            "Calendrier : un an, avec un bilan à six mois. Indicateurs : nombre et profil des "
            "participants, part des propositions étudiées par les services, délai de réponse.",
            "Je prends l'exemple du budget participatif que nous voulons lancer. Objectifs : "
            "associer les habitants à l'investissement de proximité et renouer le lien avec "
            "ceux qui ne participent jamais. Étapes : appel à projets en ligne et sur papier, "
            "étude de faisabilité par les services, vote mixte (plateforme et urnes dans les "
            "mairies annexes), réalisation et suivi public. Pour ne laisser personne de côté, "
            "des ateliers d'aide au dépôt seront animés dans les maisons de quartier et au "
            "marché. Relais : conseils citoyens, clubs de seniors, service jeunesse. "
            "Indicateurs : nombre de projets déposés, taux de participation au vote par "
            "quartier, part de projets réalisés dans les deux ans.",
        ),
    ),
    (
        ("virulent", "bad buzz", "crise"),
        (
            "Réponse publiée : « Bonjour, merci de nous avoir signalé l'état de cette aire de "
            "jeux. Nos équipes se rendent sur place aujourd'hui pour la sécuriser, et nous "
            "reviendrons vers vous ici même avec le calendrier des réparations. » Ensuite : "
            "prévenir le service des espaces verts et l'élu de quartier, répondre aux "
            "commentaires factuels et masquer les propos injurieux selon notre charte de "
            "modération, publier une photo une fois les travaux faits, puis analyser la portée "
            "des messages pour tirer les leçons de l'épisode.",
            "Nous répondrions rapidement, sur un ton calme : nous remercions l'habitant, "
            "reconnaissons le problème et annonçons une intervention avec une date. Puis : "
            "vérification sur place le jour même, point avec la direction de la communication "
            "pour suivre les partages et les commentaires, modération des messages insultants "
            "uniquement, et message de suivi quand l'aire est réparée. À moyen terme, nous "
            "mettrions en place un outil de signalement pour traiter ce type de demande "
            "avant qu'elle n'arrive sur les réseaux.",
        ),
    ),
    (
        ("mobilis",),
        (
            "Je partirais des lieux que fréquentent déjà les publics visés : écoles, marchés, "
            "centres sociaux. Le numérique servirait à informer et à recueillir les avis, mais "
            "des temps de rencontre en présentiel resteraient indispensables. Je prévoirais "
            "dès le départ la façon de rendre compte aux participants.",
        ),
    ),
    (
        ("donnée", "open data"),
        (
            "Je publierais en priorité les données déjà demandées par les habitants et les "
            "associations : équipements publics, horaires, subventions versées. Chaque jeu "
            "aurait un service producteur responsable de sa mise à jour, et un premier "
            "atelier avec des réutilisateurs locaux vérifierait que les formats conviennent.",
        ),
    ),
    (
        ("portail", "démarche"),
        (
            "J'ouvrirais d'abord l'inscription à la cantine et au périscolaire : c'est une "
            "démarche fréquente, aujourd'hui traitée sur papier, et les familles la réclament. "
            "Le compte usager permettrait de conserver les justificatifs, et le paiement en "
            "ligne réduirait les relances. Il faudra associer le service scolaire dès la "
            "conception et garder un accueil physique pour les familles éloignées du numérique.",
        ),
    ),
    (
        (),
        (
            "Dans ma collectivité, je commencerais par un état des lieux des démarches et des "
            "dispositifs existants, puis je choisirais un premier projet visible et réaliste. "
            "J'associerais les services concernés et des habitants dès le départ, et je "
            "prévoirais des indicateurs pour mesurer les effets et rendre compte des résultats.",
        ),
    ),
)

#: Trainers' comments on essays, by band of the grade (high, middle, low).
GRADING_COMMENTS = {
    "high": (
        "Très bonne réponse, précise et argumentée : vous avez bien identifié les priorités.",
        "Réponse complète et réaliste ; pensez à chiffrer les moyens nécessaires.",
    ),
    "middle": (
        "Bonne piste, mais il manque la façon dont vous associerez les services concernés.",
        "L'idée est intéressante ; précisez comment vous rendrez compte aux habitants.",
    ),
    "low": (
        "Réponse trop générale : appuyez-vous sur un exemple concret de votre collectivité.",
        "Relisez la fiche mémo du module : les étapes clés du projet ne sont pas abordées.",
    ),
}

BANKS = {
    ("satisfaction", "points-forts"): STRENGTHS,
    ("satisfaction", "points-amelioration"): IMPROVEMENTS,
    ("satisfaction", "commentaire"): REMARKS,
    ("needs", "attentes"): EXPECTATIONS,
    ("needs", "projet-en-cours"): PROJECTS,
    ("needs", "contraintes-precisions"): CONSTRAINTS,
    ("needs", "commentaire"): NEEDS_REMARKS,
    ("trainer_review", "dynamique-commentaire"): TRAINER_GROUP,
    ("trainer_review", "niveau-commentaire"): TRAINER_LEVEL,
    ("trainer_review", "incident-description"): TRAINER_INCIDENT,
    ("trainer_review", "ameliorations"): TRAINER_IMPROVEMENTS,
    ("trainer_review", "commentaire"): TRAINER_REMARKS,
}
#: Words of a question key that tell which bank fits, when ``(purpose, key)`` is unknown.
KEY_WORDS = (
    ("fort", STRENGTHS),
    ("apprec", STRENGTHS),
    ("amelior", IMPROVEMENTS),
    ("attente", EXPECTATIONS),
    ("projet", PROJECTS),
)
BY_PURPOSE = {"satisfaction": REMARKS, "trainer_review": TRAINER_REMARKS, "needs": NEEDS_REMARKS}


def bank(purpose: str, key: str, course_key: str | None = None) -> tuple[str, ...]:
    """The texts that fit question ``key`` of an instrument with ``purpose`` (in the course
    ``course_key``: the one-day training has its own)."""
    if course_key == ONE_DAY:
        for word, texts in ONE_DAY_WORDS:
            if word in key:
                return texts
    if (purpose, key) in BANKS:
        return BANKS[purpose, key]
    for word, texts in KEY_WORDS:
        if word in key:
            return texts
    return BY_PURPOSE.get(purpose, GENERIC)


def essay(stem: str) -> tuple[str, ...]:
    """Essay answers whose topic matches words of the question's text."""
    text = stem.lower()
    for words, answers in ESSAYS:
        if not words or any(word in text for word in words):
            return answers
    return ESSAYS[-1][1]
