"""A session with every figure of the session report, computed by hand (see the comments)."""

from __future__ import annotations

from datetime import timedelta

from courses.models import Course, EnrolmentStatus, Progress
from lms.db import db, utcnow
from quizzes.campaigns.models import (
    Campaign,
    FollowUpPlan,
    FollowUpWave,
    Invitation,
    InvitationState,
)
from tests.factories import enrol
from tests.quizzes.builders import cohort, learner, make_attempt, make_instrument, option_settings

SCALE = option_settings(*[(str(v), f"niveau {v}") for v in range(1, 6)])
YESNO = option_settings(("yes", "Oui"), ("no", "Non"))


def instruments(course: Course) -> dict:
    """Needs, pre/post, a final exam, satisfaction, trainers' evaluation, 6-month follow-up."""
    objectives = [
        {"key": "r1", "type": "scale", "competency": "relation-usagers", "settings": SCALE},
        {"key": "r2", "type": "scale", "competency": "relation-usagers", "settings": SCALE},
        {"key": "o1", "type": "scale", "competency": "open-data", "settings": SCALE},
    ]
    sa_kw = {"kind": "self_assessment"}
    q_kw = {"kind": "questionnaire"}
    return {
        "needs": make_instrument(
            course,
            "besoins",
            [{"key": "niveau", "type": "scale", "title": "Niveau déclaré", "settings": SCALE}],
            purpose="needs",
            title="Questionnaire de besoins",
            **q_kw,
        ),
        "pre": make_instrument(course, "pre", objectives, purpose="pre", **sa_kw),
        "post": make_instrument(course, "post", objectives, purpose="post", **sa_kw),
        "exam": make_instrument(
            course,
            "examen",
            [{"key": "q1", "type": "true_false"}],
            purpose="exam",
            title="Examen final",
        ),
        "satisfaction": make_instrument(
            course,
            "satisfaction",
            [
                {"key": "contenus", "type": "scale", "title": "Contenus", "settings": SCALE},
                {"key": "reco", "type": "score", "title": "Recommandation"},
                {"key": "commentaire", "type": "text", "title": "Commentaire"},
            ],
            purpose="satisfaction",
            title="Votre avis sur la formation",
            **q_kw,
        ),
        "review": make_instrument(
            course,
            "evaluation-formateur",
            [
                {
                    "key": "groupe",
                    "type": "scale",
                    "title": "Dynamique du groupe",
                    "settings": SCALE,
                },
                {"key": "bilan", "type": "text", "title": "Bilan"},
            ],
            purpose="trainer_review",
            title="Évaluation de la session",
            **q_kw,
        ),
        "followup": make_instrument(
            course,
            "suivi-6-mois",
            [{"key": "applique", "type": "yesno", "title": "Mise en pratique", "settings": YESNO}],
            purpose="followup_6m",
            title="Suivi à 6 mois",
            **q_kw,
        ),
    }


def scale(value: int) -> dict:
    """The answer to a 1–5 scale question."""
    return {"value": value, "choices": [str(value)]}


def session(make_user):
    """Alice, Bruno, Chloé completed; David started; Emma did not; Félix withdrew.

    Enrolled 5, started 4, completed 3. Objectives (pre → post): relation (1.5, 3, 2 → 4.5, 4),
    open data (2, 4, 1 → 3, 4). Exam: 2 passed out of 3. Satisfaction: 3 of 5 answered,
    contents 5, 4, 2 (2 of 3 satisfied, mean 3.67), recommendation 10, 9, 6 (NPS 33).
    Follow-up at 6 months: 3 invited, 2 answered, 1 applies.
    """
    names = ["Alice", "Bruno", "Chloé", "David", "Emma"]
    course, run, trainer, people = cohort(make_user, names, key="rapport")
    course.objectives = [
        {"key": "relation-usagers", "text": "Relation aux usagers"},
        {"key": "open-data", "text": "Open data"},
    ]
    for name in ("Alice", "Bruno", "Chloé"):
        people[name].status = EnrolmentStatus.COMPLETED
    activity = course.modules[0].activities[0]
    db.session.add(Progress(enrolment_id=people["David"].id, activity_id=activity.id))
    enrol(run, learner("Félix"), status=EnrolmentStatus.WITHDRAWN)
    db.session.commit()
    made = instruments(course)
    answer_all(made, people, trainer, run)
    invite(made["followup"], run, people)
    return run, trainer, made


def answer_all(made: dict, people: dict, trainer, run) -> None:
    """The answers described in :func:`session`."""
    make_attempt(made["needs"], people["Alice"], {"niveau": scale(2)})
    for name, pre, post in (
        ("Alice", (1, 2, 2), (4, 5, 3)),
        ("Bruno", (3, 3, 4), (4, 4, 4)),
        ("Chloé", (2, 2, 1), None),
    ):
        make_attempt(
            made["pre"], people[name], dict(zip(("r1", "r2", "o1"), map(scale, pre), strict=True))
        )
        if post:
            make_attempt(
                made["post"],
                people[name],
                dict(zip(("r1", "r2", "o1"), map(scale, post), strict=True)),
            )
    exam = made["exam"]
    make_attempt(exam, people["Alice"], {"q1": {"score": 1}})
    make_attempt(exam, people["Bruno"], {"q1": {"score": 0}})
    make_attempt(exam, people["Bruno"], {"q1": {"score": 1}}, number=2)
    make_attempt(exam, people["Chloé"], {"q1": {"score": 0}})
    for name, content, reco, text in (
        ("Alice", 5, 10, "Excellente formation, très concrète"),
        ("Bruno", 4, 9, "Rythme trop dense"),
        ("Chloé", 2, 6, "Je voudrais plus d'exemples"),
    ):
        make_attempt(
            made["satisfaction"],
            people[name],
            {
                "contenus": scale(content),
                "reco": {"value": reco},
                "commentaire": {"response": {"text": text}},
            },
        )
    make_attempt(
        made["review"],
        None,
        {"groupe": scale(4), "bilan": {"response": {"text": "Groupe très impliqué"}}},
        user=trainer,
        run=run,
    )


def invite(instrument, run, people: dict) -> None:
    """A 6-month campaign: Alice (yes) and Bruno (no) answered, Chloé did not."""
    invite_people(instrument, run, people, {"Alice": "yes", "Bruno": "no", "Chloé": None})


def invite_people(instrument, run, people: dict, answers: dict) -> None:
    """A 6-month campaign of ``run`` inviting ``answers``' keys; each answers « yes », « no »
    or nothing (None)."""
    wave = FollowUpWave(offset_months=6, instrument_id=instrument.id)
    db.session.add(FollowUpPlan(course_id=run.course_id, waves=[wave]))
    campaign = Campaign(run=run, wave=wave)
    for name, said in answers.items():
        enrolment = people[name]
        attempt = None
        if said:
            value = 1.0 if said == "yes" else 0.0
            attempt = make_attempt(
                instrument, enrolment, {"applique": {"value": value, "choices": [said]}}
            )
        db.session.add(
            Invitation(
                campaign=campaign,
                enrolment_id=enrolment.id,
                user_id=enrolment.user_id,
                nonce=f"n{enrolment.id}",
                token_hash=f"{enrolment.id:064d}",
                expires_at=utcnow() + timedelta(days=30),
                state=InvitationState.ANSWERED if said else InvitationState.INVITED,
                attempt_id=attempt.id if attempt else None,
            )
        )
    db.session.commit()
