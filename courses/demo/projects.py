"""Demo projects of GCU07's module 6: the 2022 sessions' projects submitted, graded by two
trainers and released; in the current session, a jury member and submissions awaiting grades.

Guarded by natural keys (one submission per learner and project), so loading twice creates
nothing the second time.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa

from courses.demo.base import email_of, ensure_user, local_moment
from courses.models import Activity, CourseRun, Enrolment, Progress
from courses.projects.models import (
    DefenceSlot,
    JuryMember,
    ProjectFile,
    ProjectGrade,
    ProjectSubmission,
)
from courses.projects.service import from_local, points_of
from lms import storage
from lms.db import db
from lms.models import Role

#: The demo jury member of the current session (an outside professional).
JUROR = ("Bernard Lemoine", "bernard.lemoine")
COMMENTS = (
    "Diagnostic solide et objectifs mesurables ; le plan d'action gagnerait à être daté.",
    "Dispositif réaliste qui associe bien les publics éloignés du numérique.",
    "Bonne articulation entre open data et participation ; budget à préciser.",
    "Stratégie de médias sociaux convaincante, indicateurs d'impact encore trop généraux.",
)


def _pdf(title: str) -> bytes:
    """A small, valid one-page PDF naming the project."""
    text = title.encode("latin-1", "replace")
    stream = b"BT /F1 14 Tf 72 720 Td (" + text + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = b"%PDF-1.4\n", []
    for n, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return out


def project_of(course_id: int) -> Activity | None:
    """The course's project activity (GCU07's « Dossier de projet »), if any."""
    return db.session.scalar(
        sa.select(Activity).where(
            Activity.course_id == course_id,
            Activity.kind == "project",
            Activity.archived.is_(False),
        )
    )


def _submit(run, project, enrolment, when: datetime) -> ProjectSubmission | None:
    """The learner's submission with one PDF, unless there is one already."""
    exists = db.session.scalar(
        sa.select(ProjectSubmission.id).where(
            ProjectSubmission.activity_id == project.id,
            ProjectSubmission.enrolment_id == enrolment.id,
        )
    )
    if exists:
        return None
    name = enrolment.user.name
    data = _pdf(f"Dossier de projet - {name}")
    submission = ProjectSubmission(
        run_id=run.id,
        activity_id=project.id,
        enrolment_id=enrolment.id,
        user_id=enrolment.user_id,
        text="Bonjour, voici mon dossier de projet et le support de ma soutenance.",
        submitted_at=when,
    )
    submission.files.append(
        ProjectFile(
            filename="dossier-de-projet.pdf",
            content_type="application/pdf",
            size=len(data),
            storage_key=storage.put("projects", data, "application/pdf"),
        )
    )
    db.session.add(submission)
    db.session.flush()
    return submission


def _grade(submission, project, jurors, rng, when: datetime) -> None:
    """Each juror grades with the rubric (passing marks); the mean is released."""
    rubric, marks = project.settings["rubric"], []
    for n, juror in enumerate(jurors):
        levels, points = {}, -1
        while points < float(project.settings["pass_mark"]):  # the 2022 trainees all passed
            levels = {c["key"]: rng.randint(1, len(c["levels"]) - 1) for c in rubric}
            points = points_of(rubric, levels)
        marks.append(points)
        db.session.add(
            ProjectGrade(
                submission_id=submission.id,
                juror_id=juror.id,
                levels=levels,
                points=points,
                comment=COMMENTS[(submission.id + n) % len(COMMENTS)],
                graded_at=when,
            )
        )
    submission.final_points = round(sum(marks) / len(marks), 2)
    submission.passed = submission.final_points >= float(project.settings["pass_mark"])
    submission.feedback = "\n\n".join(
        COMMENTS[(submission.id + n) % len(COMMENTS)] for n in range(len(jurors))
    )
    submission.released_at = when


def load_past_projects(run: CourseRun, enrolments: list[Enrolment], rng) -> None:
    """Projects of a finished run: submitted, graded by two trainers, released (completed)."""
    project = project_of(run.course_id)
    jurors = list(run.trainers)[:2]
    if project is None or not jurors:
        return
    released = local_moment(run.ends_on, 18)
    for enrolment in enrolments:
        when = local_moment(run.ends_on - timedelta(days=5), 9 + rng.randrange(0, 9))
        submission = _submit(run, project, enrolment, when)
        if submission is None:
            continue
        _grade(submission, project, jurors, rng, released)
        if submission.passed:
            db.session.add(
                Progress(
                    enrolment_id=enrolment.id,
                    activity_id=project.id,
                    started_at=when,
                    completed_at=released,
                )
            )
    db.session.flush()


def load_current_projects(run: CourseRun, enrolments: list[Enrolment], now: datetime) -> None:
    """The current session: a jury member, two submissions awaiting grades, defence slots."""
    project = project_of(run.course_id)
    if project is None:
        return
    juror = ensure_user(JUROR[0], JUROR[1], Role.JURY)
    if db.session.get(JuryMember, (run.id, juror.id)) is None:
        db.session.add(JuryMember(run_id=run.id, user_id=juror.id, invited_at=now))
    for n, enrolment in enumerate(enrolments[:2]):
        _submit(run, project, enrolment, now - timedelta(days=2 - n, hours=3))
    for n, enrolment in enumerate(enrolments[:6]):
        exists = db.session.scalar(
            sa.select(DefenceSlot.id).where(
                DefenceSlot.activity_id == project.id, DefenceSlot.enrolment_id == enrolment.id
            )
        )
        if exists is None:
            start = datetime.combine(run.ends_on, datetime.min.time()) + timedelta(
                hours=9, minutes=40 * n
            )
            db.session.add(
                DefenceSlot(
                    run_id=run.id,
                    activity_id=project.id,
                    enrolment_id=enrolment.id,
                    starts_at=from_local(start),
                    place="Paris — salle du conseil, ou https://visio.example.org/gcu07-soutenance",
                )
            )
    db.session.flush()


def juror_login() -> str:
    """The demo juror's address, printed with the demo logins."""
    return email_of(JUROR[1])
