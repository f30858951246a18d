"""The campaign pages run a fixed number of SQL queries, whatever the number of learners."""

from tests.conftest import csrf_token
from tests.quizzes.campaign_builders import bulk_learners, followup_setup, invitations, wave


def _pages(run, six) -> list[str]:
    base = f"/admin/suivi/sessions/{run.id}"
    return ["/admin/suivi", base, f"{base}/vagues/{six.id}/sans-reponse", f"{base}/reponses"]


def _counts(client, count_queries, pages) -> list[int]:
    counts = []
    for path in pages:
        with count_queries() as counter:
            response = client.get(path)
        assert response.status_code == 200, path
        counts.append(counter.count)
    return counts


def test_campaign_pages_do_not_query_per_learner(app, client, make_user, login, count_queries):
    login(make_user("admin"))
    run, plan, _ = followup_setup(learners=2)
    six = wave(plan, 6)
    pages = _pages(run, six)
    send = f"/admin/suivi/sessions/{run.id}/vagues/{six.id}/envoyer"
    client.post(send, data={"csrf_token": csrf_token(client, pages[1])})
    small = _counts(client, count_queries, pages)
    bulk_learners(run, 25)
    client.post(send, data={"csrf_token": csrf_token(client, pages[1])})
    assert len(invitations()) == 27
    large = _counts(client, count_queries, pages)
    assert large == small, dict(zip(pages, zip(small, large, strict=True), strict=True))
