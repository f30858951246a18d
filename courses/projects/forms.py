"""Forms of projects: submission, grade (one level per criterion), jury, settings, slots."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import MultipleFileField
from wtforms import (
    DateTimeLocalField,
    EmailField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, Length, Optional


class SubmitForm(FlaskForm):
    """A learner's submission: files and a short text."""

    files = MultipleFileField(_l("Fichiers du projet"))
    text = TextAreaField(_l("Message au jury (facultatif)"), validators=[Length(max=5000)])


def grade_form(rubric: list[dict], data: dict | None = None, **kwargs) -> FlaskForm:
    """A form with one choice of level per criterion of ``rubric``, and a comment."""

    class GradeForm(FlaskForm):
        comment = TextAreaField(_l("Commentaire pour l'apprenant"), validators=[Length(max=5000)])

    for index, criterion in enumerate(rubric):
        choices = [
            SelectChoice(str(n), f"{level['label']} ({level['points']})")
            for n, level in enumerate(criterion["levels"])
        ]
        field = RadioField(
            criterion["criterion"],
            choices=choices,
            validators=[DataRequired(_l("Choisissez un niveau pour ce critère."))],
        )
        setattr(GradeForm, f"c{index}", field)
    return GradeForm(data=data, **kwargs)


class JuryInviteForm(FlaskForm):
    """Invite a person to a run's jury."""

    name = StringField(
        _l("Nom complet"), validators=[DataRequired(_l("Indiquez le nom.")), Length(max=200)]
    )
    email = EmailField(
        _l("Adresse e-mail"),
        validators=[
            DataRequired(_l("Indiquez l'adresse e-mail.")),
            Email(_l("Adresse e-mail invalide."), check_deliverability=False),
            Length(max=254),
        ],
    )


class MarkingForm(FlaskForm):
    """How the final mark is set: mean of jurors, or the president's decision."""

    final_mode = SelectField(
        _l("Note finale"),
        choices=[
            SelectChoice("mean", _l("Moyenne des notes des membres du jury")),
            SelectChoice("president", _l("Décision du président du jury")),
        ],
    )
    president = SelectField(_l("Président du jury"), coerce=int, validators=[Optional()])


class SlotForm(FlaskForm):
    """A learner's defence time slot."""

    starts_at = DateTimeLocalField(
        _l("Date et heure"), format="%Y-%m-%dT%H:%M", validators=[Optional()]
    )
    place = StringField(_l("Lieu ou lien"), validators=[Length(max=500)])
