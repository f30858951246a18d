"""Form of the live-session schedule page (trainers of the run and administrators)."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    SelectChoice,
    SelectField,
    StringField,
    SubmitField,
    TimeField,
)
from wtforms.validators import Length, Optional, ValidationError

#: Time zones offered (metropolitan France, overseas territories, neighbours, UTC).
ZONES = (
    "Europe/Paris",
    "Europe/Brussels",
    "Europe/Luxembourg",
    "Europe/Zurich",
    "America/Guadeloupe",
    "America/Martinique",
    "America/Cayenne",
    "America/Miquelon",
    "Indian/Reunion",
    "Indian/Mayotte",
    "Pacific/Noumea",
    "Pacific/Tahiti",
    "America/Toronto",
    "UTC",
)


def _address(schemes: tuple[str, ...], message):
    def check(form, field):
        value = (field.data or "").strip()
        if not value:
            return
        parts = urlsplit(value)
        if parts.scheme not in schemes or not parts.hostname or " " in value:
            raise ValidationError(message)

    return check


class ScheduleForm(FlaskForm):
    """Date, time, zone, place and links of one live activity in one run."""

    day = DateField(_l("Date"), validators=[Optional()])
    time = TimeField(_l("Heure de début"), validators=[Optional()])
    timezone = SelectField(_l("Fuseau horaire"), choices=[SelectChoice(z, z) for z in ZONES])
    place = StringField(
        _l("Lieu"),
        validators=[Optional(), Length(max=300)],
        description=_l("Pour une journée en présentiel : adresse, salle."),
    )
    join_url = StringField(
        _l("Lien de connexion"),
        validators=[
            Optional(),
            Length(max=1000),
            _address(("https",), _l("Le lien de connexion doit commencer par https://.")),
        ],
        description=_l("Affiché aux apprenants 15 minutes avant le début."),
    )
    replay_url = StringField(
        _l("Lien de l'enregistrement"),
        validators=[
            Optional(),
            Length(max=1000),
            _address(
                ("http", "https"), _l("Le lien de l'enregistrement doit être une adresse web.")
            ),
        ],
        description=_l("Affiché aux apprenants une fois la séance terminée."),
    )
    notify = BooleanField(_l("Prévenir les apprenants par e-mail si la date ou le lien change"))
    submit = SubmitField(_l("Enregistrer"))

    def __init__(self, *args, zone_name: str = "Europe/Paris", **kwargs):
        super().__init__(*args, **kwargs)
        if zone_name not in ZONES:
            self.timezone.choices = [SelectChoice(zone_name, zone_name), *self.timezone.choices]

    def validate(self, extra_validators=None) -> bool:
        """Check the fields, then that date and time are given together."""
        valid = super().validate(extra_validators)
        if valid and bool(self.day.data) != bool(self.time.data):
            missing = self.time if self.day.data else self.day
            missing.errors = [_l("Indiquez la date et l'heure, ou aucune des deux.")]
            return False
        return valid
