"""Forms of the instrument editor: a new instrument, and the settings and source of one."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    IntegerField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from quizzes.authoring.quizfile import REVIEW_ITEMS
from quizzes.authoring.survey.meta import OPENS

MAX_SOURCE = 200_000
FORMATS = [
    ("gift", _l("Quiz (format GIFT)")),
    ("survey", _l("Questionnaire ou auto-évaluation (format .survey)")),
]
QUIZ_PURPOSES = [
    ("validation", _l("Validation du module")),
    ("exam", _l("Examen final")),
    ("practice", _l("Entraînement")),
]
SURVEY_KINDS = [("self_assessment", _l("Auto-évaluation")), ("questionnaire", _l("Questionnaire"))]
SURVEY_PURPOSES = [
    ("needs", _l("Recueil des besoins")),
    ("pre", _l("Auto-évaluation avant la formation")),
    ("post", _l("Auto-évaluation après la formation")),
    ("satisfaction", _l("Satisfaction (à chaud)")),
    ("trainer_review", _l("Évaluation de la session par le formateur")),
    ("followup_6m", _l("Suivi à 6 mois (à froid)")),
    ("followup_12m", _l("Suivi à 12 mois (à froid)")),
    ("survey", _l("Autre questionnaire")),
]
OPENS_LABELS = {"enrolment": _l("À l'inscription"), "run_end": _l("À la fin de la session")}
RESPONDENTS = [("learner", _l("L'apprenant")), ("trainer", _l("Le formateur"))]
REVIEW_LABELS = {
    "score": _l("La note"),
    "correctness": _l("Juste ou faux"),
    "feedback": _l("Les commentaires (feedback)"),
    "correct_answers": _l("Les bonnes réponses"),
}


def choices(pairs) -> list[SelectChoice]:
    """``SelectChoice`` objects from ``(value, label)`` pairs."""
    return [SelectChoice(value, label) for value, label in pairs]


class CheckboxesField(SelectMultipleField):
    """Several check boxes (rendered inside a fieldset by the template)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def _title() -> StringField:
    return StringField(
        _l("Titre"), validators=[DataRequired(_l("Indiquez un titre.")), Length(max=300)]
    )


def _source(description) -> TextAreaField:
    return TextAreaField(
        _l("Questions"),
        validators=[DataRequired(_l("Saisissez au moins une question.")), Length(max=MAX_SOURCE)],
        description=description,
        render_kw={"rows": 24, "spellcheck": "false", "class": "source"},
    )


class NewInstrumentForm(FlaskForm):
    """Create an instrument: where it goes, its format, its title and its source text."""

    module_id = SelectField(_l("Formation et module"), coerce=int, validators=[DataRequired()])
    format = RadioField(_l("Format"), choices=choices(FORMATS), default="gift")
    title = _title()
    source = _source(
        _l(
            "Collez le contenu du fichier (.gift ou .survey). Un en-tête éventuel est pris en "
            "compte ; le titre saisi ci-dessus l'emporte."
        )
    )
    submit = SubmitField(_l("Créer"))


class QuizForm(FlaskForm):
    """Settings and GIFT source of a quiz."""

    title = _title()
    purpose = SelectField(_l("Rôle du quiz"), choices=choices(QUIZ_PURPOSES))
    pass_mark = IntegerField(
        _l("Seuil de réussite (%)"),
        validators=[InputRequired(_l("Indiquez un seuil.")), NumberRange(0, 100)],
    )
    attempts = IntegerField(
        _l("Nombre de tentatives"),
        validators=[InputRequired(_l("Indiquez un nombre.")), NumberRange(0, 1000)],
        description=_l("0 : illimité."),
    )
    time_limit = IntegerField(
        _l("Durée limite (minutes)"),
        validators=[Optional(), NumberRange(1, 24 * 60)],
        description=_l("Laissez vide pour ne pas limiter la durée."),
    )
    shuffle_questions = BooleanField(_l("Mélanger les questions"))
    shuffle_answers = BooleanField(_l("Mélanger les réponses"))
    review_after_attempt = CheckboxesField(
        _l("Après chaque tentative, l'apprenant voit"),
        choices=choices((k, REVIEW_LABELS[k]) for k in REVIEW_ITEMS),
    )
    review_after_close = CheckboxesField(
        _l("Une fois le quiz terminé (plus de tentative possible), l'apprenant voit"),
        choices=choices((k, REVIEW_LABELS[k]) for k in REVIEW_ITEMS),
    )
    source = _source(_l("Questions au format GIFT de Moodle (voir la documentation)."))
    submit = SubmitField(_l("Enregistrer"))

    def header(self) -> dict:
        """The quiz header these fields describe (``key`` and ``title`` added by the view)."""
        return {
            "title": self.title.data.strip(),
            "purpose": self.purpose.data,
            "pass_mark": self.pass_mark.data,
            "attempts": self.attempts.data,
            "time_limit": self.time_limit.data or None,
            "shuffle_questions": bool(self.shuffle_questions.data),
            "shuffle_answers": bool(self.shuffle_answers.data),
            "review_after_attempt": [
                k for k in REVIEW_ITEMS if k in self.review_after_attempt.data
            ],
            "review_after_close": [k for k in REVIEW_ITEMS if k in self.review_after_close.data],
        }


class SurveyForm(FlaskForm):
    """Settings and source of a self-assessment or questionnaire."""

    title = _title()
    kind = SelectField(_l("Type"), choices=choices(SURVEY_KINDS))
    purpose = SelectField(_l("Rôle"), choices=choices(SURVEY_PURPOSES))
    opens = SelectField(_l("Ouverture"), choices=choices((k, OPENS_LABELS[k]) for k in OPENS))
    respondent = SelectField(_l("Qui répond"), choices=choices(RESPONDENTS))
    hidden = BooleanField(
        _l("Masqué dans le parcours de l'apprenant (pas compté dans la progression)")
    )
    source = _source(_l("Introduction puis questions au format .survey (voir la documentation)."))
    submit = SubmitField(_l("Enregistrer"))

    def header(self) -> dict:
        """The survey front matter these fields describe."""
        return {
            "title": self.title.data.strip(),
            "kind": self.kind.data,
            "purpose": self.purpose.data,
            "opens": self.opens.data,
            "respondent": self.respondent.data,
            "hidden": bool(self.hidden.data),
        }
