"""Demo data of the quizzes plugin: the answers of the demo sessions' learners and trainers.

Finished runs (GCU07 in 2022, the one-day training of 2019, the 2020 webinar cycle): needs
questionnaire before the run, pre self-assessment, validation quizzes passed (some after a
failed attempt), final exam, essays graded with a comment, post self-assessment, satisfaction,
and the trainer's evaluation of the session. The current GCU07 run: learners at different
stages (one quiz in progress, one failed, one essay per quiz left to grade, nothing post yet).
Then the follow-up campaigns' demo, if that part is installed.

Everything goes through the attempt service, at moments that follow each learner's progress
in the courses demo. Answers are drawn from generators seeded per person, so two loads give
the same data; a person who already has an attempt at an instrument in a run is skipped, so
loading twice creates nothing the second time.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa

from courses.demo import data
from courses.demo.base import CURRENT_RUN_TITLE, STEP_KINDS, email_of, local_moment
from courses.models import Activity, Course, CourseRun, Enrolment, EnrolmentStatus, Module, Progress
from lms.db import db
from lms.models import User
from quizzes.demo import evidence
from quizzes.demo.answers import Deck, Persona
from quizzes.demo.taking import Mode, Task, daytime, perform
from quizzes.models import Attempt, Instrument, InstrumentKind, Purpose
from quizzes.taking.opening import RUN_END, opens_at
from quizzes.taking.pages import for_trainer


@dataclass
class RunView:
    """What the demo needs to know of a run: its instruments in outline order (with the step
    just before each), its learners, their completed steps and the attempts already made."""

    run: CourseRun
    items: list[tuple[Instrument, int | None]]
    learners: list[sa.Row]
    done: dict[tuple[int, int], datetime]
    taken: set[tuple[int, int]]

    @property
    def finished(self) -> bool:
        """Whether the run is one of the finished sessions (not the current one)."""
        return self.run.title != CURRENT_RUN_TITLE


def find_run(course_key: str, title: str) -> CourseRun | None:
    """The demo run of ``course_key`` called ``title`` (None if the courses demo skipped it)."""
    return db.session.scalar(
        sa.select(CourseRun)
        .join(Course, Course.id == CourseRun.course_id)
        .where(Course.key == course_key, CourseRun.title == title)
    )


def _items(run: CourseRun) -> list[tuple[Instrument, int | None]]:
    """The run's instruments answered in the demo, each with the step completed just before."""
    rows = db.session.execute(
        sa.select(Activity, Instrument)
        .join(Module, Module.id == Activity.module_id)
        .outerjoin(Instrument, Instrument.activity_id == Activity.id)
        .where(Activity.course_id == run.course_id)
        .where(Activity.archived.is_(False), Module.archived.is_(False))
        .order_by(Module.position, Activity.position)
    ).all()
    items, step = [], None
    for activity, instrument in rows:
        if activity.kind in STEP_KINDS and not activity.hidden:
            step = activity.id
        elif instrument is not None and (not activity.hidden or for_trainer(instrument)):
            items.append((instrument, step))
    # before any step, the needs questionnaire comes first
    return sorted(items, key=lambda i: i[1] is not None or i[0].purpose != Purpose.NEEDS)


def view_of(run: CourseRun) -> RunView:
    """Read what :class:`RunView` holds (four queries)."""
    learners = db.session.execute(
        sa.select(Enrolment.id, Enrolment.user_id, Enrolment.access_starts_at, User.email)
        .join(User, User.id == Enrolment.user_id)
        .where(Enrolment.run_id == run.id)
        .where(Enrolment.status.in_((EnrolmentStatus.ACTIVE, EnrolmentStatus.COMPLETED)))
        .order_by(Enrolment.id)
    ).all()
    done = db.session.execute(
        sa.select(Progress.enrolment_id, Progress.activity_id, Progress.completed_at)
        .join(Enrolment, Enrolment.id == Progress.enrolment_id)
        .where(Enrolment.run_id == run.id, Progress.completed_at.is_not(None))
    ).all()
    taken = db.session.execute(
        sa.select(Attempt.instrument_id, Attempt.user_id).where(Attempt.run_id == run.id).distinct()
    ).all()
    return RunView(
        run, _items(run), learners, {(e, a): t for e, a, t in done}, {tuple(t) for t in taken}
    )


def _when(view: RunView, item, learner, persona: Persona, index: int) -> datetime | None:
    """When the learner answers ``item``: after the step before it (None if not reached yet);
    instruments before any step, between the invitation and the run's start; instruments
    opening at the run's end, on its last day."""
    instrument, step = item
    rng = persona.draw(view.run.title, instrument.key, "when")
    if step is not None:
        completed = view.done.get((learner.id, step))
        if completed is None:
            return None
        when = completed + timedelta(minutes=rng.randint(5, 40))
    else:
        start = learner.access_starts_at or local_moment(view.run.starts_on, 8)
        if view.finished:  # a few days after the invitation, before the run starts
            late = persona.draw(view.run.title, "late")
            day = min(start.date() + timedelta(days=late.randint(2, 12)), view.run.starts_on)
            start = local_moment(
                day - timedelta(days=day == view.run.starts_on), late.randint(8, 18)
            )
        when = start + timedelta(hours=2, minutes=45 * index + rng.randint(0, 30))
    if opens_at(instrument) == RUN_END:
        when = max(when, local_moment(view.run.ends_on, 14, rng.randint(0, 59)))
    return daytime(when) if view.finished else when  # the current run: relative to now


def _advance(view: RunView, learner) -> tuple[int, int]:
    """How far a learner is: their number of completed steps (then their enrolment)."""
    return sum(1 for enrolment, _ in view.done if enrolment == learner.id), learner.id


def learner_tasks(view: RunView, seed: str, functions: dict[str, str]) -> list[Task]:
    """A task per learner and instrument reached and not answered yet."""
    tasks = []
    for rank, learner in enumerate(sorted(view.learners, key=lambda row: _advance(view, row))):
        local = learner.email.split("@")[0]
        persona = Persona(f"{seed}:{local}", functions.get(local))
        index = 0
        for item in view.items:
            instrument, step = item
            if for_trainer(instrument):
                continue
            index += step is None
            if (instrument.id, learner.user_id) in view.taken:
                continue
            if step is None and not view.finished and index > rank:  # the newest are behind
                continue
            when = _when(view, item, learner, persona, index)
            if when is not None:
                tasks.append(
                    Task(instrument, learner.user_id, view.run.id, learner.id, when, persona)
                )
    return tasks


def _current_modes(tasks: list[Task]) -> None:
    """In the current run: on the first validation quiz, the least advanced learner who reached
    it is half-way through and the next one failed; on every quiz, the latest essay waits for
    grading."""
    quizzes = [t.instrument for t in tasks if t.instrument.kind == InstrumentKind.QUIZ]
    quizzes = list(dict.fromkeys(quizzes))
    first = next((q for q in quizzes if q.purpose == Purpose.VALIDATION), None)
    if first is not None:
        reached = [t for t in tasks if t.instrument is first]  # least advanced first
        for task, mode in zip(reached, (Mode.IN_PROGRESS, Mode.FAIL), strict=False):
            task.mode = mode
    waiting: set[int] = set()
    for quiz in quizzes:  # a different learner's essay for each quiz, when there are enough
        normal = [t for t in tasks if t.instrument is quiz and t.mode == Mode.NORMAL]
        fresh = [t for t in normal if t.user_id not in waiting] or normal
        if fresh:
            chosen = max(fresh, key=lambda t: (t.when, t.user_id))
            chosen.mode = Mode.UNGRADED
            waiting.add(chosen.user_id)


def _trainer_task(view: RunView, spec: data.PastRun | None, seed: str) -> list[Task]:
    """The evaluation of the session by the run's reviewer, two days after its end."""
    if spec is None or spec.reviewer is None or not view.finished:
        return []
    trainer = db.session.scalar(sa.select(User).where(User.email == email_of(spec.reviewer)))
    if trainer is None:
        return []
    span = (view.run.ends_on - view.run.starts_on).days
    when = local_moment(view.run.ends_on + timedelta(days=2 if span else 0), 10 if span else 18)
    persona = Persona(f"{seed}:{spec.reviewer}:{view.run.title}")
    return [
        Task(instrument, trainer.id, view.run.id, None, when, persona)
        for instrument, _ in view.items
        if for_trainer(instrument) and (instrument.id, trainer.id) not in view.taken
    ]


def answer_run(run: CourseRun, spec: data.PastRun | None, seed: str, now: datetime) -> int:
    """Answer the run's instruments; return the number of attempts made."""
    view = view_of(run)
    tasks = learner_tasks(view, seed, data.learner_functions())
    reviewer = spec.reviewer if spec is not None else None
    grader = next(
        (t for t in run.trainers if reviewer is None or t.email == email_of(reviewer)), None
    )
    deck, quick = Deck(f"{seed}:{run.title}", run.course.key), run.starts_on == run.ends_on
    for task in tasks:
        task.grader, task.deck, task.quick, task.past = grader, deck, quick, view.finished
    if not view.finished:
        _current_modes(tasks)
    tasks.sort(key=lambda t: (t.when, t.user_id))
    reviews = _trainer_task(view, spec, seed)
    for task in reviews:
        task.deck = deck
    made = sum(perform(task, now) for task in tasks + reviews)
    _started_before_completed(run.id)
    return made


def _started_before_completed(run_id: int) -> None:
    """Activities completed by an attempt got "started" now: start them when completed."""
    enrolments = sa.select(Enrolment.id).where(Enrolment.run_id == run_id)
    db.session.execute(
        sa.update(Progress)
        .where(Progress.enrolment_id.in_(enrolments), Progress.completed_at < Progress.started_at)
        .values(started_at=Progress.completed_at)
    )


def _campaigns(seed: str, now: datetime) -> list[str]:
    """The follow-up campaigns' demo (the 2022 runs' follow-ups), when that part is installed."""
    try:
        from quizzes.demo import followups as campaigns
    except ImportError:  # pragma: no cover - the campaigns part is optional
        return []
    return campaigns.load(random.Random(f"{seed}:campaigns"), now)


def _surveys(seed: str, now: datetime) -> list[str]:
    """The survey campaigns' demo (the observatory's barometer)."""
    from quizzes.demo import surveys

    return surveys.load(random.Random(f"{seed}:surveys"), now)


def load(rng, now: datetime) -> list[str]:
    """Answer the demo runs' instruments, then load the campaigns' demo; return lines to print."""
    seed = f"{rng.getrandbits(64):x}"
    made = 0
    for spec in (*data.PAST_GCU07, data.ONE_DAY_2019, data.WEBINAR_RUN):
        run = find_run(spec.course_key, spec.title)
        if run is not None:
            made += answer_run(run, spec, seed, now)
    current = find_run(data.GCU07, CURRENT_RUN_TITLE)
    if current is not None:
        made += answer_run(current, None, seed, now)
    db.session.commit()
    lines = [f"Évaluations : {made} tentative(s) de démonstration enregistrée(s)."]
    return lines + _campaigns(seed, now) + evidence.load() + _surveys(seed, now)
