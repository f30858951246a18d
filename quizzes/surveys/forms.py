"""Forms of the survey campaign pages (CSRF through Flask-WTF)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import DateField, IntegerField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from quizzes.campaigns.forms import ReminderSettingsForm
from quizzes.surveys.models import SurveyMode


class SurveyForm(ReminderSettingsForm):
    """A new survey campaign: questionnaire, audience, dates, cap; reminders for a list."""

    title = StringField(_l("Titre de la campagne"), validators=[DataRequired(), Length(max=200)])
    instrument_id = SelectField(_l("Questionnaire"), coerce=int)
    mode = SelectField(
        _l("Diffusion"),
        choices=[
            SelectChoice(
                SurveyMode.LIST.value, _l("Liste de destinataires (liens personnels par e-mail)")
            ),
            SelectChoice(SurveyMode.PUBLIC.value, _l("Lien public anonyme (sans connexion)")),
        ],
    )
    opens_on = DateField(_l("Ouverture"), validators=[DataRequired()])
    closes_on = DateField(
        _l("Clôture (dernier jour de réponse)"),
        validators=[Optional()],
        description=_l("Laissez vide pour une enquête sans date de clôture."),
    )
    max_responses = IntegerField(
        _l("Nombre maximal de réponses"),
        validators=[Optional(), NumberRange(1, 1_000_000)],
        description=_l("Laissez vide pour ne pas limiter le nombre de réponses."),
    )

    def validate_closes_on(self, field) -> None:
        """The close date cannot come before the opening."""
        if field.data and self.opens_on.data and field.data < self.opens_on.data:
            raise ValidationError(_l("La clôture ne peut pas précéder l'ouverture."))


class RecipientsForm(FlaskForm):
    """Upload a list of recipients, read like a list of learners."""

    file = FileField(
        _l("Fichier CSV ou Excel (.xlsx)"),
        validators=[
            FileRequired(_l("Choisissez un fichier.")),
            FileAllowed(
                ["csv", "txt", "tsv", "xlsx"], _l("Le fichier doit être un .csv ou un .xlsx.")
            ),
        ],
        description=_l(
            "Une ligne d'en-tête nommant les colonnes (« Nom », « Prénom », « E-mail »), puis "
            "une personne par ligne. CSV séparé par « ; », « , » ou tabulation, en UTF-8 ou "
            "Windows-1252 (Excel), ou classeur .xlsx (première feuille)."
        ),
    )
