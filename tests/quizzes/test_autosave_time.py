"""The autosave message gives the time in the page's language and time zone (« 14:05:09 » in
French, never « 2:05:09 PM »): the server formats it, attempt.js only shows it."""

from __future__ import annotations

import re
from pathlib import Path

from tests.conftest import csrf_token
from tests.quizzes.taking_data import add_quiz
from tests.quizzes.test_attempts import by_key
from tests.quizzes.test_taking import data, started  # noqa: F401 - the fixture

JS = Path(__file__).resolve().parents[2] / "quizzes/static/attempt.js"


def test_autosave_answers_with_the_time_formatted_in_french(client, data):  # noqa: F811
    quiz = add_quiz(data.course)
    attempt = started(client, data, quiz)
    token = csrf_token(client, f"/parcours/tentatives/{attempt.id}")
    response = client.post(
        f"/parcours/tentatives/{attempt.id}/enregistrer",
        data={f"q{by_key(quiz)['calcul'].id}": "42"},
        headers={"X-CSRFToken": token},
    )
    text = response.get_json()["saved_at_text"]
    assert re.fullmatch(r"\d{2}:\d{2}:\d{2}", text), text


def test_script_shows_the_servers_time_not_the_browsers_locale():
    script = JS.read_text(encoding="utf-8")
    assert "body.saved_at_text" in script
    assert "toLocaleTimeString()" not in script  # never the browser's own locale
