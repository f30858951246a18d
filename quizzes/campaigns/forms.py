"""Forms of the campaign pages (CSRF through Flask-WTF)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, SelectField
from wtforms.validators import InputRequired, NumberRange


class ReminderSettingsForm(FlaskForm):
    """Reminders and link lifetime, shared by follow-up waves and survey campaigns."""

    first_reminder_days = IntegerField(
        _l("Première relance (jours après l'envoi)"),
        default=10,
        validators=[InputRequired(), NumberRange(1, 365)],
    )
    reminder_interval_days = IntegerField(
        _l("Intervalle entre deux relances (jours)"),
        default=10,
        validators=[InputRequired(), NumberRange(1, 365)],
    )
    max_reminders = IntegerField(
        _l("Nombre maximal de relances"),
        default=2,
        validators=[InputRequired(), NumberRange(0, 10)],
    )
    expiry_days = IntegerField(
        _l("Validité du lien (jours)"),
        default=45,
        validators=[InputRequired(), NumberRange(1, 365)],
    )


class WaveForm(ReminderSettingsForm):
    """One wave of a follow-up plan."""

    instrument_id = SelectField(_l("Questionnaire"), coerce=int)
    offset_months = IntegerField(
        _l("Envoi (mois après la fin de la session)"),
        default=6,
        validators=[InputRequired(), NumberRange(1, 60)],
    )


class PlanForm(FlaskForm):
    """Settings of the whole plan."""

    active = BooleanField(_l("Suivi à froid activé pour cette formation"))
    satisfaction_days = IntegerField(
        _l("Clôture du questionnaire de satisfaction (jours après la fin de la session)"),
        default=14,
        validators=[InputRequired(), NumberRange(0, 365)],
    )


class ActionForm(FlaskForm):
    """A button that posts (send, remind, pause...): only the CSRF token."""
