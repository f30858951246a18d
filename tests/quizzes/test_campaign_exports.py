"""Follow-up results download per run and per course: each wave's questionnaire, anonymous,
formulas neutralised."""

from __future__ import annotations

from tests.quizzes.campaign_builders import followup_setup
from tests.quizzes.test_campaign_results import _answer_followup
from tests.support.spreadsheets import assert_csv_safe, assert_xlsx_safe


def test_followup_results_download_without_names(app, client, make_user, login):
    login(make_user("admin"))
    run, plan, enrolments = followup_setup(learners=2)
    _answer_followup(plan, 6, enrolments[0], "yes", '=HYPERLINK("http://x","y")')
    _answer_followup(plan, 6, enrolments[1], "no", "Pas de budget cette année.")
    page = client.get(f"/admin/suivi/sessions/{run.id}/reponses").get_data(as_text=True)
    assert "?format=csv" in page and "?format=xlsx" in page
    for url in (
        f"/admin/suivi/sessions/{run.id}/reponses",
        f"/admin/suivi/formations/{run.course_id}/reponses",
    ):
        response = client.get(url + "?format=csv")
        assert response.status_code == 200
        assert response.headers["Content-Disposition"].endswith('-suivi-a-froid.csv"')
        rows = assert_csv_safe(response.data, ['=HYPERLINK("http://x","y")'])
        cells = {cell for row in rows for cell in row}
        assert "Pas de budget cette année." in cells
        assert not {e.user.name for e in enrolments} & cells  # anonymous
        xlsx = client.get(url + "?format=xlsx")
        assert_xlsx_safe(xlsx.data, ['=HYPERLINK("http://x","y")'])


def test_only_administrators_download_followup_results(app, client, make_user, login):
    run, _plan, _enrolments = followup_setup(learners=1)
    login(make_user("trainer"))
    assert client.get(f"/admin/suivi/sessions/{run.id}/reponses?format=csv").status_code == 403
