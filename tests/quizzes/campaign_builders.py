"""Builders and helpers of the follow-up campaign tests: a course with its 6- and 12-month
questionnaires and plan, a finished run with completed enrolments, the links of e-mails, and
``flask lms tick`` run in-process or as a real subprocess."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from datetime import date, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa

from courses.models import Enrolment, EnrolmentStatus
from lms.db import db, utcnow
from lms.models import User
from quizzes.campaigns.models import FollowUpPlan, FollowUpWave, Invitation
from quizzes.campaigns.plans import default_plan
from quizzes.campaigns.timing import add_months
from quizzes.taking.opening import local_today
from tests.factories import enrol, make_course, make_run
from tests.quizzes.builders import make_instrument, option_settings

ROOT = Path(__file__).resolve().parents[2]
LINK = re.compile(r"http://localhost/suivi/([A-Za-z0-9_-]{20,})")
UNSUBSCRIBE = re.compile(r"http://localhost/suivi/desinscription/([A-Za-z0-9_.-]+)")

QUESTIONS = [
    {"key": "applique", "type": "yesno", "required": True, "stem": "<p>Appliquez-vous ?</p>"},
    {
        "key": "frequence",
        "type": "scale",
        "settings": option_settings(("1", "Jamais"), ("2", "Parfois"), ("3", "Souvent")),
        "stem": "<p>À quelle fréquence ?</p>",
    },
    {"key": "commentaire", "type": "text", "stem": "<p>Vos commentaires.</p>"},
]


def followup_instrument(course, purpose: str):
    """A follow-up questionnaire (yes/no required, scale, free text) of ``course``."""
    return make_instrument(
        course,
        f"suivi-{purpose}",
        QUESTIONS,
        kind="questionnaire",
        purpose=purpose,
        title=f"Suivi {purpose}",
        settings={},
    )


def followup_setup(learners: int = 3, ends_on: date | None = None, trainer=None):
    """A course with both follow-up questionnaires and the default plan, a run that ended six
    months ago today, and ``learners`` completed enrolments. Returns (run, plan, enrolments)."""
    course = make_course("suivi", modules=1, activities=1)
    for purpose in ("followup_6m", "followup_12m"):
        followup_instrument(course, purpose)
    plan = default_plan(course)
    end = ends_on or add_months(local_today(utcnow()), -6)
    run = make_run(
        course, trainers=[trainer] if trainer else [], starts_on=end - timedelta(days=10), days=10
    )
    enrolments = []
    for i in range(learners):
        user = User(email=f"stagiaire{i}@example.org", name=f"Stagiaire {i}")
        db.session.add(user)
        db.session.commit()
        enrolments.append(enrol(run, user, status=EnrolmentStatus.COMPLETED))
    db.session.commit()
    return run, plan, enrolments


def wave(plan: FollowUpPlan, months: int) -> FollowUpWave:
    """The plan's wave sent ``months`` after the run."""
    return next(w for w in plan.waves if w.offset_months == months)


def bulk_learners(run, count: int, prefix: str = "p") -> None:
    """``count`` completed enrolments in ``run``, inserted in bulk (no password hashing)."""
    now = utcnow()
    db.session.execute(
        sa.insert(User),
        [
            {
                "email": f"{prefix}{i:05d}@example.org",
                "name": f"Personne {i}",
                "role": "learner",
                "active": True,
                "created_at": now,
            }
            for i in range(count)
        ],
    )
    ids = db.session.scalars(sa.select(User.id).where(User.email.like(f"{prefix}%@example.org")))
    db.session.execute(
        sa.insert(Enrolment),
        [
            {
                "run_id": run.id,
                "user_id": uid,
                "status": EnrolmentStatus.COMPLETED,
                "invitations_sent": 1,
                "invited_at": now,
                "access_starts_at": now,
            }
            for uid in ids
        ],
    )
    db.session.commit()


def iso(moment: datetime) -> str:
    """``--now`` argument of a naive UTC moment."""
    return moment.replace(microsecond=0).isoformat() + "+00:00"


def tick(app, moment: datetime):
    """Run ``flask lms tick --now`` in-process; returns the click result (checked for success)."""
    result = app.test_cli_runner().invoke(args=["lms", "tick", "--now", iso(moment)])
    assert result.exit_code == 0, result.output + repr(result.exception)
    db.session.expire_all()
    return result


def subprocess_env(app, smtp_port: int) -> dict:
    """Environment of a real ``flask lms tick`` process on the test database and SMTP sink."""
    env = dict(os.environ)
    env.update(
        DATABASE_URL=app.config["SQLALCHEMY_DATABASE_URI"],
        LMS_INSTANCE_PATH=app.instance_path,
        SECRET_KEY=app.config["SECRET_KEY"],
        LMS_BASE_URL=app.config["LMS_BASE_URL"],
        MAIL_BACKEND="smtp",
        MAIL_SERVER="127.0.0.1",
        MAIL_PORT=str(smtp_port),
        MAIL_RATE_PER_SECOND="0",
        FLASK_APP="wsgi:app",
    )
    return env


def start_tick(app, smtp_port: int, moment: datetime) -> subprocess.Popen:
    """Start ``python -m flask lms tick --now …`` as a separate process."""
    return subprocess.Popen(
        [sys.executable, "-m", "flask", "lms", "tick", "--now", iso(moment)],
        cwd=ROOT,
        env=subprocess_env(app, smtp_port),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def links(messages) -> list[str]:
    """Tokens of the questionnaire links found in the text bodies of ``messages``."""
    found = []
    for message in messages:
        body = message.get_body(("plain",)).get_content()
        found += [m for m in LINK.findall(body) if m != "desinscription"]
    return found


def invitations() -> list[Invitation]:
    """Every invitation, freshly read."""
    db.session.expire_all()
    return list(db.session.scalars(sa.select(Invitation).order_by(Invitation.id)))
