"""Demo data of survey campaigns: the observatory's barometer sent this year to a list of
partner local authorities (invited three weeks ago, reminded, partly answered) and through a
public link (nine anonymous answers, so that its open data shows figures). Seeded; loading twice
creates nothing the second time (campaigns are found by title)."""

from __future__ import annotations

import unicodedata
from datetime import datetime, timedelta

import sqlalchemy as sa

from lms.db import db
from lms.mail.models import MailStatus, OutboxMessage
from quizzes.campaigns.tokens import new_nonce, token_hash_for
from quizzes.demo.followups import plausible_answers
from quizzes.models import Channel, Instrument
from quizzes.surveys import answering, scheduling, service
from quizzes.surveys.models import Respondent, RespondentState, SurveyCampaign, SurveyMode
from quizzes.taking import attempts

BAROMETER = "barometre-democratie-locale-numerique"
LIST_TITLE = "Baromètre 2026 — collectivités partenaires"
PUBLIC_TITLE = "Baromètre 2026 — lien public"
RECIPIENTS = (
    ("Claire", "Morel", "Mairie de Saint-Aubin"),
    ("Julien", "Faure", "Communauté de communes du Val"),
    ("Nadia", "Roussel", "Ville de Belleforêt"),
    ("Olivier", "Chevalier", "Département de l'Aube-Vive"),
    ("Sandrine", "Lambert", "Mairie de Pontclair"),
    ("Yannick", "Bonnet", "Métropole des Trois Rives"),
    ("Élodie", "Garnier", "Mairie de Montval"),
    ("Mehdi", "Haddad", "Agglomération du Plateau"),
    ("Camille", "Perrin", "Mairie de Villeneuve-sur-Lande"),
    ("Thierry", "Robin", "Région Grand Littoral"),
    ("Agnès", "Picard", "Mairie de Clairefontaine"),
    ("Lucas", "Marchand", "Communauté urbaine de l'Estuaire"),
)


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def _campaign(instrument: Instrument, title: str, mode: str, opens: datetime) -> SurveyCampaign:
    values = {
        "title": title,
        "instrument_id": instrument.id,
        "mode": mode,
        "opens_at": opens,
        "closes_at": opens + timedelta(days=60),
        "max_responses": 500 if mode == SurveyMode.PUBLIC else None,
    }
    campaign = service.create(values, None)
    db.session.commit()
    return campaign


def _answer(campaign: SurveyCampaign, rng, when: datetime, channel: str, respondent=None):
    attempt = (
        answering.respondent_attempt(respondent)
        if respondent is not None
        else answering.new_attempt(campaign, channel, when)
    )
    attempts.save_answers(attempt, plausible_answers(attempt, rng), when)
    if answering.submit(campaign.id, attempt, when) == [] and respondent is not None:
        answering.mark_answered(respondent, when)
    db.session.commit()


def _mark_sent(keys: list[str], when: datetime) -> None:
    db.session.execute(  # these e-mails "went out" on that day
        sa.update(OutboxMessage)
        .where(OutboxMessage.key.in_(keys))
        .values(status=MailStatus.SENT, sent_at=when, attempts=1)
    )


def _list_campaign(instrument: Instrument, rng, opens: datetime) -> int:
    campaign = _campaign(instrument, LIST_TITLE, SurveyMode.LIST, opens)
    for first, last, _place in RECIPIENTS:
        email = f"{first}.{last}@collectivite.example.org".lower()
        nonce = new_nonce()
        db.session.add(
            Respondent(
                campaign_id=campaign.id,
                email=_ascii(email),
                name=f"{first} {last}",
                nonce=nonce,
                token_hash=token_hash_for(nonce),
                state=RespondentState.PENDING,
                reminders=0,
            )
        )
    db.session.commit()
    scheduling.invite_pending(opens, campaign.id)
    people = list(
        db.session.scalars(sa.select(Respondent).where(Respondent.campaign_id == campaign.id))
    )
    _mark_sent([f"survey:{r.id}:invite" for r in people], opens)
    answered = 0
    for respondent in people:
        if rng.random() < 0.6:
            _answer(
                campaign,
                rng,
                opens + timedelta(days=rng.randint(1, 6)),
                Channel.EMAIL_LINK,
                respondent,
            )
            answered += 1
    reminded = opens + timedelta(days=campaign.first_reminder_days)
    scheduling.queue_reminders(reminded)
    _mark_sent([f"survey:{r.id}:reminder:1" for r in people], reminded)
    db.session.commit()
    return answered


def load(rng, now: datetime) -> list[str]:
    """Both campaigns of the barometer, unless they exist already."""
    instrument = db.session.scalar(sa.select(Instrument).where(Instrument.key == BAROMETER))
    known = set(db.session.scalars(sa.select(SurveyCampaign.title)))
    if instrument is None or {LIST_TITLE, PUBLIC_TITLE} <= known:
        return []
    opens = now - timedelta(days=21)
    answered = 0 if LIST_TITLE in known else _list_campaign(instrument, rng, opens)
    if PUBLIC_TITLE not in known:
        public = _campaign(instrument, PUBLIC_TITLE, SurveyMode.PUBLIC, opens)
        for day in range(9):
            _answer(
                public, rng, opens + timedelta(days=day + 1, hours=rng.randint(8, 19)), Channel.WEB
            )
    return [
        f"Enquêtes : baromètre envoyé à {len(RECIPIENTS)} collectivités ({answered} réponse(s)) "
        "et par un lien public (9 réponses) — menu « Enquêtes »."
    ]
