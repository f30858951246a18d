"""What is measured: instruments (quiz, self-assessment, questionnaire), questions, attempts."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.db import db, utcnow


class InstrumentKind(StrEnum):
    """The three kinds of instrument."""

    QUIZ = "quiz"
    SELF_ASSESSMENT = "self_assessment"
    QUESTIONNAIRE = "questionnaire"


class Purpose(StrEnum):
    """What an instrument is for, in the evaluation regime of a training."""

    NEEDS = "needs"
    PRE = "pre"
    POST = "post"
    VALIDATION = "validation"
    EXAM = "exam"
    PRACTICE = "practice"
    SATISFACTION = "satisfaction"
    TRAINER_REVIEW = "trainer_review"
    FOLLOWUP_6M = "followup_6m"
    FOLLOWUP_12M = "followup_12m"
    SURVEY = "survey"


class Instrument(db.Model):
    """A quiz, self-assessment or questionnaire; usually the content of one course activity.

    ``settings`` holds the quiz settings (pass mark, attempts, time limit, shuffling, review
    options) or the questionnaire's (who answers it, when it opens).
    """

    __tablename__ = "instruments"
    __table_args__ = (sa.UniqueConstraint("course_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("courses.id", ondelete="CASCADE"), index=True
    )
    activity_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("activities.id", ondelete="SET NULL"), unique=True
    )
    key: Mapped[str] = mapped_column(sa.String(80))
    kind: Mapped[str] = mapped_column(sa.String(20))
    purpose: Mapped[str] = mapped_column(sa.String(20), index=True)
    title: Mapped[str] = mapped_column(sa.String(300))
    intro: Mapped[str] = mapped_column(sa.Text, default="")
    intro_html: Mapped[str] = mapped_column(sa.Text, default="")
    settings: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    source: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    questions: Mapped[list[Question]] = relationship(
        back_populates="instrument", order_by="Question.position", cascade="all, delete-orphan"
    )


class Question(db.Model):
    """One question; ``type`` names a registered question type, ``settings`` its JSON data.

    A new question type needs no migration (the registry resolves ``type``). Questions removed
    from the source are archived, so answers already given keep their question.
    """

    __tablename__ = "questions"
    __table_args__ = (
        sa.UniqueConstraint("instrument_id", "key"),
        sa.Index("ix_questions_instrument_position", "instrument_id", "position"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    instrument_id: Mapped[int] = mapped_column(sa.ForeignKey("instruments.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(sa.String(120))
    position: Mapped[int]
    type: Mapped[str] = mapped_column(sa.String(40))
    title: Mapped[str | None] = mapped_column(sa.String(300))
    stem_html: Mapped[str] = mapped_column(sa.Text, default="")
    settings: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    max_score: Mapped[float] = mapped_column(sa.Float, default=1.0)
    competency: Mapped[str | None] = mapped_column(sa.String(80))
    section: Mapped[str | None] = mapped_column(sa.String(300))
    required: Mapped[bool] = mapped_column(default=False)
    archived: Mapped[bool] = mapped_column(default=False)

    instrument: Mapped[Instrument] = relationship(back_populates="questions")


class AttemptState(StrEnum):
    """Life of an attempt."""

    IN_PROGRESS = "in_progress"
    SUBMITTED = "submitted"
    NEEDS_GRADING = "needs_grading"
    GRADED = "graded"


class Channel(StrEnum):
    """How the answers reached Parcours."""

    WEB = "web"
    EMAIL_LINK = "email_link"
    PHONE = "phone"


class Attempt(db.Model):
    """One go at an instrument by one person (a learner, or a trainer for their evaluation)."""

    __tablename__ = "attempts"
    __table_args__ = (
        sa.UniqueConstraint("instrument_id", "user_id", "run_id", "number"),
        # Covers the aggregates over a run's attempts at an instrument (item analysis version,
        # respondents): they are answered from the index alone (migration q0915).
        sa.Index(
            "ix_attempts_run_instrument_state",
            "run_id",
            "instrument_id",
            "state",
            "user_id",
            "submitted_at",
            "score",
            "id",
        ),
        sa.Index("ix_attempts_user", "user_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    instrument_id: Mapped[int] = mapped_column(sa.ForeignKey("instruments.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    run_id: Mapped[int | None] = mapped_column(sa.ForeignKey("course_runs.id", ondelete="CASCADE"))
    enrolment_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("enrolments.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int] = mapped_column(default=1)
    state: Mapped[str] = mapped_column(sa.String(20), default=AttemptState.IN_PROGRESS)
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    deadline_at: Mapped[datetime | None]
    submitted_at: Mapped[datetime | None]
    score: Mapped[float | None] = mapped_column(sa.Float)
    max_score: Mapped[float | None] = mapped_column(sa.Float)
    passed: Mapped[bool | None]
    layout: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    channel: Mapped[str] = mapped_column(sa.String(20), default=Channel.WEB)
    entered_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )

    instrument: Mapped[Instrument] = relationship()
    answers: Mapped[list[Answer]] = relationship(
        back_populates="attempt", cascade="all, delete-orphan"
    )


class Answer(db.Model):
    """The response to one question in one attempt, with its score and any grader's comment."""

    __tablename__ = "answers"
    __table_args__ = (
        sa.UniqueConstraint("attempt_id", "question_id"),
        sa.Index("ix_answers_question", "question_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(sa.ForeignKey("attempts.id", ondelete="CASCADE"))
    question_id: Mapped[int] = mapped_column(sa.ForeignKey("questions.id", ondelete="CASCADE"))
    response: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    score: Mapped[float | None] = mapped_column(sa.Float)
    value: Mapped[float | None] = mapped_column(sa.Float)
    comment: Mapped[str | None] = mapped_column(sa.Text)
    graded_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    graded_at: Mapped[datetime | None]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    attempt: Mapped[Attempt] = relationship(back_populates="answers")
    question: Mapped[Question] = relationship()


class AnswerChoice(db.Model):
    """One option picked in an answer (one row per option), so SQL can count choices."""

    __tablename__ = "answer_choices"
    __table_args__ = (sa.Index("ix_answer_choices_question_choice", "question_id", "choice_key"),)

    answer_id: Mapped[int] = mapped_column(
        sa.ForeignKey("answers.id", ondelete="CASCADE"), primary_key=True
    )
    choice_key: Mapped[str] = mapped_column(sa.String(120), primary_key=True)
    question_id: Mapped[int] = mapped_column(sa.ForeignKey("questions.id", ondelete="CASCADE"))


class StoredAnalysis(db.Model):
    """The SQL figures of a quiz's item analysis in a run, kept until its attempts change.

    ``version`` sums up the finished attempts when the figures were computed
    (:func:`quizzes.results.stored.version`); a page whose version differs computes them again.
    """

    __tablename__ = "stored_analyses"
    __table_args__ = (sa.UniqueConstraint("run_id", "instrument_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(sa.ForeignKey("course_runs.id", ondelete="CASCADE"))
    instrument_id: Mapped[int] = mapped_column(
        sa.ForeignKey("instruments.id", ondelete="CASCADE"), index=True
    )
    version: Mapped[str] = mapped_column(sa.String(200))
    data: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    computed_at: Mapped[datetime] = mapped_column(default=utcnow)
