"""`flask lms demo`: what the demo's users see, loading twice, and the same data every time.

The demo is loaded once for the module (it takes seconds); the tests read its pages.
"""

from __future__ import annotations

import csv
import hashlib
import html
import io
import json
import re
import zipfile

import pytest
import sqlalchemy as sa

from courses.demo import data as demo_data
from courses.demo.base import CURRENT_RUN_TITLE, DEMO_PASSWORD, email_of
from courses.models import Course, CourseRun, Enrolment, EnrolmentStatus
from lms import create_app
from lms.db import db
from lms.models import User
from quizzes.demo import texts as demo_texts
from quizzes.models import Answer, AnswerChoice, Attempt, Instrument, Purpose, Question
from tests.conftest import (
    _empty_tables,
    base_config,
    csrf_token,
    fresh_database,
    release_database,
)

SPRING = demo_data.SPRING_2022
NUMBER = r"-?\d+(?:,\d+)?"


def load_demo(app) -> str:
    result = app.test_cli_runner().invoke(args=["lms", "demo"])
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture(scope="module")
def demo_app(migrated, tmp_path_factory):
    """An app whose database holds the catalogue and the demo data (loaded once)."""
    folder = tmp_path_factory.mktemp("demo")
    url = fresh_database(migrated, folder)
    app = create_app(base_config(url, str(folder / "instance")))
    with app.app_context():
        load_demo(app)
        db.session.remove()
    yield app
    with app.app_context():
        release_database(url)
        db.engine.dispose()


@pytest.fixture
def demo(demo_app):
    """The demo app, in an application context of the test's own (requests share its ``g``)."""
    with demo_app.app_context():
        yield demo_app
        db.session.remove()


def signed_in(app, local: str):
    """A client signed in as the demo account ``local``."""
    client = app.test_client()
    response = client.post(
        "/compte/connexion",
        data={
            "email": email_of(local),
            "password": DEMO_PASSWORD,
            "csrf_token": csrf_token(client),
        },
    )
    assert response.status_code == 302
    return client


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def run_id(title: str) -> int:
    return db.session.scalar(sa.select(CourseRun.id).where(CourseRun.title == title))


def numbers(cells: str) -> list[float]:
    return [float(n.replace(",", ".")) for n in re.findall(rf'class="num">({NUMBER})<', cells)]


def test_the_trainer_sees_every_learner_s_scores_in_a_past_run(demo):
    trainer = signed_in(demo, "helene.marchand")
    results = page(trainer, f"/formateur/sessions/{run_id(SPRING.title)}/resultats")
    quizzes = db.session.scalar(
        sa.select(sa.func.count(Instrument.id))
        .join(Course, Course.id == Instrument.course_id)
        .where(Course.key == "gcu07", Instrument.purpose.in_((Purpose.VALIDATION, Purpose.EXAM)))
    )
    for name, _local, _function in SPRING.learners:
        row = re.search(rf'<tr><th scope="row">{re.escape(name)}</th>(.*?)</tr>', results)
        assert row, name
        scores = re.findall(rf'/formateur/tentatives/\d+">({NUMBER})</a>', row.group(1))
        assert len(scores) == quizzes, name
    grid = page(trainer, f"/formateur/sessions/{run_id(SPRING.title)}")
    assert grid.count("<strong>100\xa0%</strong>") == len(SPRING.learners)
    assert grid.count("Terminé") >= len(SPRING.learners)


def test_the_item_analysis_of_module_1_s_quiz_shows_figures(demo):
    quiz = db.session.scalar(
        sa.select(Instrument.id)
        .join(Course, Course.id == Instrument.course_id)
        .where(Course.key == "gcu07", Instrument.purpose == Purpose.VALIDATION)
        .order_by(Instrument.activity_id)
    )
    trainer = signed_in(demo, "helene.marchand")
    analysis = page(trainer, f"/formateur/sessions/{run_id(SPRING.title)}/quiz/{quiz}/analyse")
    questions = analysis.split("Statistiques par question", 1)[1].split("</tbody>", 1)[0]
    rows = re.findall(r'<tr><th scope="row">\d+\. .*?</tr>', questions)
    assert len(rows) >= 8
    figures = [numbers(row) for row in rows]  # max, attempts, facility, deviation, discrimination
    assert {int(f[1]) for f in figures} == {len(SPRING.learners)}
    assert any(0 < f[2] < 100 for f in figures) and any(f[4] > 30 for f in figures)
    assert "Choisie (nombre)" in analysis


def test_the_self_assessments_show_progress_between_pre_and_post(demo):
    trainer = signed_in(demo, "helene.marchand")
    report = page(trainer, f"/formateur/sessions/{run_id(SPRING.title)}/auto-evaluations")
    footer = re.search(r"Moyenne du groupe</th>(.*?)</tr>", report).group(1)
    means = numbers(footer)
    pre, post, gain = means[0::3], means[1::3], means[2::3]
    assert len(pre) == 6 and sum(post) > sum(pre)
    assert sum(g > 0 for g in gain) >= 4


def test_the_satisfaction_page_shows_french_comments(demo):
    trainer = signed_in(demo, "helene.marchand")
    results = html.unescape(
        page(trainer, f"/formateur/sessions/{run_id(SPRING.title)}/satisfaction")
    )
    texts = demo_texts.STRENGTHS + demo_texts.IMPROVEMENTS + demo_texts.REMARKS
    assert len({text for text in texts if text in results}) >= 8
    assert "Moyenne" in results


def test_the_current_run_has_answers_waiting_for_grading(demo):
    essays = db.session.scalar(
        sa.select(sa.func.count(Question.id))
        .join(Instrument, Instrument.id == Question.instrument_id)
        .join(Course, Course.id == Instrument.course_id)
        .where(Course.key == "gcu07", Question.type == "essay", Question.archived.is_(False))
    )
    if not essays:
        pytest.skip("no essay question in GCU07's quizzes: nothing can wait for grading")
    trainer = signed_in(demo, "helene.marchand")
    queue = page(trainer, f"/formateur/sessions/{run_id(CURRENT_RUN_TITLE)}/a-corriger")
    body = queue.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    assert body.count('<tr><th scope="row">') >= 1


def test_the_follow_up_campaign_of_a_past_run_shows_figures(demo):
    if not any(r.rule.startswith("/admin/suivi/sessions/") for r in demo.url_map.iter_rules()):
        pytest.skip("the follow-up campaigns are not installed")
    admin = signed_in(demo, "admin")
    campaign = html.unescape(page(admin, f"/admin/suivi/sessions/{run_id(SPRING.title)}"))
    assert re.search(r"Taux de réponse.*?\d+\s?%", campaign, re.DOTALL)


def test_the_2022_session_report_quotes_comments_and_downloads_as_pdf(demo):
    trainer = signed_in(demo, "helene.marchand")
    url = f"/formateur/sessions/{run_id(SPRING.title)}/rapport"
    report = html.unescape(page(trainer, url))
    texts = demo_texts.STRENGTHS + demo_texts.IMPROVEMENTS + demo_texts.REMARKS
    assert len({text for text in texts if f"« {text} »" in report}) == 3
    assert re.search(r"Inscrits</th><td class=\"num\">11<", report)
    assert re.search(r"Taux de réponse : \d+\s?%", report)
    assert trainer.get(url + "?format=pdf").data.startswith(b"%PDF-")


def test_the_public_indicators_of_gcu07_state_their_period(demo):
    course = db.session.scalar(sa.select(Course.id).where(Course.key == demo_data.GCU07))
    public = demo.test_client().get(f"/formations/{course}/indicateurs")
    assert public.status_code == 200 and "12 derniers mois" in public.get_data(as_text=True)
    year = page(demo.test_client(), f"/formations/{course}/indicateurs?annee=2022")
    assert "(année 2022)" in year
    assert re.search(r'id="indicateur-trainees">.*?class="num">2\d<', year, re.S)
    assert "Taux de satisfaction" in year


def test_gcu07_s_2022_open_data_is_published_with_its_descriptor(demo):
    course = db.session.scalar(sa.select(Course.id).where(Course.key == demo_data.GCU07))
    anyone = demo.test_client()
    listing = page(anyone, f"/formations/{course}/donnees-ouvertes")
    link = re.search(r'href="(/donnees-ouvertes/\d+\.zip)"', listing)
    assert link, listing
    archive = zipfile.ZipFile(io.BytesIO(anyone.get(link.group(1)).data))
    descriptor = json.loads(archive.read("datapackage.json"))
    assert {r["path"] for r in descriptor["resources"]} <= set(archive.namelist())
    assert "indicateurs.csv" in archive.namelist()


def test_the_demo_learner_sees_her_progress(demo):
    learner = signed_in(demo, "sophie.lefevre")
    mine = html.unescape(page(learner, "/parcours"))
    progress = [int(p) for p in re.findall(r"Progression globale : <strong>(\d+)\s?%", mine)]
    assert progress and all(p > 0 for p in progress)
    if db.session.scalar(sa.select(Course.id).where(Course.key == demo_data.WEBINARS)):
        assert len(progress) == 2 and "Cycle de webinaires sur la participation" in mine
    current = run_id(CURRENT_RUN_TITLE)
    chart = html.unescape(page(learner, f"/parcours/sessions/{current}/progression"))
    assert "Vous n'avez pas encore répondu" not in chart


def test_the_current_gcu07_session_has_its_live_days_ahead(demo):
    learner = signed_in(demo, "sophie.lefevre")
    current = run_id(CURRENT_RUN_TITLE)
    overview = html.unescape(page(learner, f"/parcours/sessions/{current}"))
    assert "À venir" in overview and "Journée de soutenance orale" in overview
    assert f"/parcours/sessions/{current}/activites/" in overview and "agenda.ics" in overview


def test_the_trainer_sees_the_current_session_s_live_days(demo):
    current = run_id(CURRENT_RUN_TITLE)
    trainer = signed_in(demo, "helene.marchand")
    schedule = html.unescape(page(trainer, f"/formateur/sessions/{current}/classes"))
    assert "Journée de soutenance orale" in schedule and "2022" not in schedule
    assert "salle du conseil" in schedule


def test_the_2022_sessions_have_their_roll_calls(demo):
    trainer = signed_in(demo, SPRING.trainers[0])
    past = html.unescape(page(trainer, f"/formateur/sessions/{run_id(SPRING.title)}/classes"))
    learners = len(SPRING.learners)
    assert f"{learners} présents, 0 absents, 0 excusés sur {learners}" in past


def test_the_current_session_s_forum_has_discussions(demo):
    current = run_id(CURRENT_RUN_TITLE)
    learner = signed_in(demo, "sophie.lefevre")
    forum = html.unescape(page(learner, f"/parcours/sessions/{current}/forum/espaces/0"))
    assert "Présentations : qui êtes-vous, d'où venez-vous ?" in forum


def test_the_trainer_has_help_requests_in_the_queue_and_the_report(demo):
    trainer = signed_in(demo, "helene.marchand")
    queue = html.unescape(page(trainer, "/formateur/assistance"))
    assert "Quiz du module 3 : une réponse me semble discutable" in queue
    report = html.unescape(page(trainer, "/formateur/assistance/rapport"))
    assert CURRENT_RUN_TITLE in report


def test_past_learners_completed_their_training(demo):
    rows = db.session.execute(
        sa.select(CourseRun.title, CourseRun.ends_on, Enrolment.status, Enrolment.completed_at)
        .join(Enrolment, Enrolment.run_id == CourseRun.id)
        .where(CourseRun.title.in_([spec.title for spec in demo_data.PAST_GCU07]))
    ).all()
    assert len(rows) == sum(len(spec.learners) for spec in demo_data.PAST_GCU07)
    assert {status for _, _, status, _ in rows} == {EnrolmentStatus.COMPLETED}
    assert all(done.date() == ends for _, ends, _, done in rows)


def table_counts() -> dict[str, int]:
    return {
        table.name: db.session.scalar(sa.select(sa.func.count()).select_from(table))
        for table in db.metadata.sorted_tables
    }


def test_loading_again_creates_nothing(demo):
    before = table_counts()
    load_demo(demo)
    db.session.expire_all()
    assert table_counts() == before


def digest() -> str:
    """What the demo recorded, without times or ids."""
    answers = db.session.execute(
        sa.select(
            Instrument.key,
            User.email,
            CourseRun.title,
            Attempt.number,
            Attempt.state,
            Attempt.score,
            Attempt.channel,
            Question.key,
            Answer.response,
            Answer.score,
            Answer.value,
            Answer.comment,
        )
        .join(Attempt, Attempt.id == Answer.attempt_id)
        .join(Instrument, Instrument.id == Attempt.instrument_id)
        .join(User, User.id == Attempt.user_id)
        .join(Question, Question.id == Answer.question_id)
        .outerjoin(CourseRun, CourseRun.id == Attempt.run_id)
    ).all()
    choices = db.session.execute(
        sa.select(User.email, Question.key, AnswerChoice.choice_key)
        .join(Answer, Answer.id == AnswerChoice.answer_id)
        .join(Attempt, Attempt.id == Answer.attempt_id)
        .join(User, User.id == Attempt.user_id)
        .join(Question, Question.id == AnswerChoice.question_id)
    ).all()
    lines = sorted(json.dumps(list(row), sort_keys=True, default=str) for row in answers + choices)
    assert len(lines) > 1000
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


def test_two_loads_from_scratch_give_the_same_data(demo):
    first = digest()
    db.session.remove()
    _empty_tables()
    load_demo(demo)
    assert digest() == first


def test_the_demo_has_graded_projects_and_a_juror_with_work_waiting(demo):
    from courses.projects.models import ProjectSubmission

    released = db.session.scalar(
        sa.select(sa.func.count(ProjectSubmission.id)).where(
            ProjectSubmission.run_id == run_id(SPRING.title),
            ProjectSubmission.released_at.is_not(None),
            ProjectSubmission.passed.is_(True),
        )
    )
    assert released == len(SPRING.learners)
    juror = signed_in(demo, "bernard.lemoine")
    home = page(juror, "/jury")
    assert "Dossier de projet de transition numérique" in home
    assert SPRING.title not in home  # only the session they are invited to
    link = re.search(r'href="(/jury/sessions/\d+/projets/\d+)"', home).group(1)
    table = page(juror, link)
    assert "à évaluer" in table and "Passage" in table
    assert f"/jury/sessions/{run_id(CURRENT_RUN_TITLE)}/" in link


def test_the_barometer_campaigns_have_answers_and_open_data(demo):
    from quizzes.surveys.models import SurveyCampaign

    admin = signed_in(demo, "admin")
    listing = page(admin, "/admin/enquetes")
    assert "Baromètre 2026 — collectivités partenaires" in listing
    assert "Baromètre 2026 — lien public" in listing
    campaigns = {c.mode: c for c in db.session.scalars(sa.select(SurveyCampaign))}
    listed = html.unescape(page(admin, f"/admin/enquetes/{campaigns['list'].id}"))
    assert re.search(r"Taux de réponse.*?\d+\s?%", listed, re.DOTALL)
    assert 0 < campaigns["list"].answered < 12
    assert campaigns["public"].answered == 9
    response = admin.get(f"/admin/enquetes/{campaigns['public'].id}/donnees-ouvertes.zip")
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    (answers,) = [n for n in archive.namelist() if n.startswith("reponses-")]
    rows = list(csv.DictReader(io.StringIO(archive.read(answers).decode())))
    assert any(row["nombre"] for row in rows)  # some figures are published (9 answers)
