"""What the quizzes plugin contributes to the registry: activity kinds, question types, nav."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from lms.plugins import ActivityKind, NavItem, QuestionType
from quizzes.authoring import kinds as authoring
from quizzes.qtypes import HANDLERS

ACTIVITY_KINDS: tuple[ActivityKind, ...] = (
    ActivityKind(
        "quiz",
        _l("Quiz"),
        suffixes=(".gift",),
        loader=authoring.load_quiz,
        dumper=authoring.dump_quiz,
        on_import=authoring.on_import,
        endpoint="quizzes.activity",
        icon="quiz",
    ),
    ActivityKind(
        "survey",
        _l("Questionnaire"),
        suffixes=(".survey",),
        loader=authoring.load_survey,
        dumper=authoring.dump_survey,
        on_import=authoring.on_import,
        endpoint="quizzes.activity",
        icon="survey",
    ),
)

_GRADED = {
    "single_choice": _l("Choix unique"),
    "multiple_choice": _l("Réponses multiples"),
    "true_false": _l("Vrai / faux"),
    "short_answer": _l("Réponse courte"),
    "numerical": _l("Numérique"),
    "matching": _l("Appariement"),
    "essay": _l("Composition"),
    "description": _l("Description"),
}
_UNGRADED = {
    "scale": _l("Échelle"),
    "score": _l("Note de 0 à 10"),
    "single": _l("Choix unique (questionnaire)"),
    "multiple": _l("Choix multiple (questionnaire)"),
    "yesno": _l("Oui / non"),
    "text": _l("Texte libre"),
    "info": _l("Information"),
}

QUESTION_TYPES: tuple[QuestionType, ...] = tuple(
    QuestionType(name, label, graded=True, handlers=HANDLERS[name], pure_render=True)
    for name, label in _GRADED.items()
) + tuple(
    QuestionType(name, label, graded=False, handlers=HANDLERS[name], pure_render=True)
    for name, label in _UNGRADED.items()
)


def nav(user):
    """Trainers and administrators get the instruments page; administrators the follow-ups."""
    role = getattr(user, "role", None)
    items = []
    if role in ("trainer", "admin"):
        items.append(NavItem(_l("Évaluations"), "quizzes.instruments", 40))
    if role == "admin":
        items.append(NavItem(_l("Suivi à froid"), "quizzes.campaign_overview", 45))
        items.append(NavItem(_l("Enquêtes"), "quizzes.survey_list", 46))
    return items


def run_links(user, run, audience: str):
    """Links to the evaluation pages of a session, for its learners and its trainers."""
    from flask import url_for

    from lms.plugins import RunLink

    if audience == "learner":
        return [RunLink(_l("Ma progression"), url_for("quizzes.my_progress", run_id=run.id), 10)]
    pages = [
        (_l("Résultats des quiz"), "quizzes.run_results"),
        (_l("À corriger"), "quizzes.grading_queue"),
        (_l("Besoins exprimés"), "quizzes.needs"),
        (_l("Auto-évaluations"), "quizzes.self_assessment_report"),
        (_l("Satisfaction"), "quizzes.satisfaction"),
        (_l("Questionnaires"), "quizzes.questionnaires"),
        (_l("Évaluation formateur"), "quizzes.trainer_review"),
        (_l("Rapport de session"), "quizzes.session_report"),
    ]
    links = [
        RunLink(label, url_for(ep, run_id=run.id), 10 + i) for i, (label, ep) in enumerate(pages)
    ]
    if getattr(user, "role", None) == "admin":
        links.append(
            RunLink(_l("Suivi à froid"), url_for("quizzes.campaign_run", run_id=run.id), 30)
        )
        links.append(
            RunLink(
                _l("Rapport de formation et données ouvertes"),
                url_for("quizzes.course_report", course_id=run.course_id),
                31,
            )
        )
    return links
