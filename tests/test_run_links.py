"""Plugins add links to a session's pages through the registry; the host adds its admin menu."""

from tests.factories import enrol, make_course, make_run


def test_trainer_run_page_links_to_the_evaluation_reports(client, make_user, login):
    trainer = make_user("trainer")
    run = make_run(make_course(), trainers=[trainer])
    login(trainer)
    html = client.get(f"/formateur/sessions/{run.id}").get_data(as_text=True)
    assert f'href="/formateur/sessions/{run.id}/resultats"' in html
    assert f'href="/formateur/sessions/{run.id}/auto-evaluations"' in html
    assert "/admin/suivi/" not in html  # follow-ups are for administrators


def test_learner_overview_links_to_my_progress(client, make_user, login):
    learner = make_user("learner")
    run = make_run(make_course())
    enrol(run, learner)
    login(learner)
    html = client.get(f"/parcours/sessions/{run.id}").get_data(as_text=True)
    assert f'href="/parcours/sessions/{run.id}/progression"' in html
    assert "/formateur/" not in html


def test_admin_menu_has_users_and_mail_log(client, make_user, login):
    login(make_user("admin"))
    html = client.get("/admin/sessions").get_data(as_text=True)
    assert 'href="/admin/utilisateurs"' in html and 'href="/admin/courriels"' in html
    learner = make_user("learner")
    login(learner)
    assert 'href="/admin/utilisateurs"' not in client.get("/parcours").get_data(as_text=True)


def test_admin_run_page_links_to_follow_ups_and_results(client, make_user, login):
    run = make_run(make_course())
    login(make_user("admin"))
    html = client.get(f"/admin/sessions/{run.id}").get_data(as_text=True)
    assert f'href="/admin/suivi/sessions/{run.id}"' in html
    assert f'href="/formateur/sessions/{run.id}/resultats"' in html
