"""Forms of the administrator pages of the courses plugin."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    IntegerField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from courses.models import Course
from lms.db import db
from lms.models import Role, User


class RunForm(FlaskForm):
    """Create or edit a run (a session): course, dates, place, capacity, access, trainers."""

    course_id = SelectField(_l("Formation"), coerce=int, validators=[DataRequired()])
    title = StringField(
        _l("Intitulé de la session"),
        validators=[DataRequired(_l("Indiquez un intitulé.")), Length(max=200)],
        description=_l("Par exemple : « Session de printemps 2025 — Lyon »."),
    )
    starts_on = DateField(
        _l("Date de début"), validators=[DataRequired(_l("Indiquez une date valide."))]
    )
    ends_on = DateField(
        _l("Date de fin"), validators=[DataRequired(_l("Indiquez une date valide."))]
    )
    place = StringField(_l("Lieu"), validators=[Optional(), Length(max=200)])
    capacity = IntegerField(
        _l("Nombre de places"),
        validators=[
            InputRequired(_l("Indiquez le nombre de places.")),
            NumberRange(min=1, message=_l("Au moins 1 place.")),
        ],
    )
    access_days = IntegerField(
        _l("Durée d'accès en ligne (jours)"),
        validators=[Optional(), NumberRange(min=1, message=_l("Au moins 1 jour."))],
        description=_l(
            "Le délai court à partir de la première connexion de l'apprenant. Laissez vide "
            "pour un accès sans limite."
        ),
    )
    trainers = SelectMultipleField(_l("Formateurs"), coerce=int, validators=[Optional()])
    submit = SubmitField(_l("Enregistrer la session"))

    def __init__(self, *args, enrolled: int = 0, locked_course: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.enrolled = enrolled
        self.locked_course = locked_course
        self.course_id.choices = [
            SelectChoice(c.id, f"{c.code} — {c.title}" if c.code else c.title)
            for c in db.session.scalars(sa.select(Course).order_by(Course.title))
        ]
        self.trainers.choices = [
            SelectChoice(u.id, f"{u.name} ({u.email})")
            for u in db.session.scalars(
                sa.select(User)
                .where(User.role.in_([Role.TRAINER, Role.ADMIN]), User.active.is_(True))
                .order_by(User.name)
            )
        ]
        self.trainers.description = _l("Maintenez Ctrl (ou Cmd) pour en choisir plusieurs.")

    def validate_ends_on(self, field) -> None:
        """The session cannot end before it starts."""
        if field.data and self.starts_on.data and field.data < self.starts_on.data:
            raise ValidationError(_l("La date de fin doit être égale ou postérieure au début."))

    def validate_capacity(self, field) -> None:
        """Not fewer places than learners already enrolled."""
        if field.data is not None and field.data < self.enrolled:
            raise ValidationError(
                _l("%(n)s apprenants sont déjà inscrits : pas moins de places.", n=self.enrolled)
            )

    def validate_course_id(self, field) -> None:
        """A run with learners keeps its course (their progress belongs to it)."""
        if self.locked_course is not None and field.data != self.locked_course:
            raise ValidationError(
                _l("Cette session a des inscrits : sa formation ne peut plus changer.")
            )


class EnrolForm(FlaskForm):
    """Add one learner to a run."""

    name = StringField(
        _l("Nom complet"), validators=[DataRequired(_l("Indiquez le nom.")), Length(max=200)]
    )
    email = EmailField(
        _l("Adresse e-mail"),
        validators=[DataRequired(_l("Indiquez l'adresse e-mail.")), Length(max=254)],
    )
    submit = SubmitField(_l("Inscrire et envoyer l'invitation"))


class CsvUploadForm(FlaskForm):
    """Upload a list of learners: CSV (any usual encoding and separator) or .xlsx."""

    file = FileField(
        _l("Fichier CSV ou Excel (.xlsx)"),
        validators=[
            FileRequired(_l("Choisissez un fichier.")),
            FileAllowed(
                ["csv", "txt", "tsv", "xlsx"], _l("Le fichier doit être un .csv ou un .xlsx.")
            ),
        ],
        description=_l(
            "Une ligne d'en-tête nommant les colonnes (« Nom », « Prénom », « E-mail », et si "
            "vous les avez « Civilité », « Organisme », « Fonction »), puis un apprenant par "
            "ligne. CSV séparé par « ; », « , » ou tabulation, en UTF-8 ou Windows-1252 (Excel), "
            "ou classeur .xlsx (première feuille)."
        ),
    )
    confirm = BooleanField(_l("Importer quand même dans cette session terminée"))
    submit = SubmitField(_l("Vérifier et importer"))
