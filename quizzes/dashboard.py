"""What the quizzes plugin shows on the administrator's dashboard: the satisfaction of the
sessions in progress (share of satisfaction-scale answers in the upper half, as bars with a
table) and the follow-up waves due this month."""

from __future__ import annotations

import calendar
from datetime import date

from flask_babel import gettext as _

from courses.dashboard import runs_in_progress
from lms import charts
from lms.plugins import DashboardPanel
from quizzes.campaigns.timing import slots
from quizzes.evidence.indicators import satisfaction_by_run


def satisfaction_panel(today: date) -> DashboardPanel:
    """Satisfaction of each session in progress (four queries whatever their number)."""
    runs = [r.run for r in runs_in_progress(today)]
    figures = satisfaction_by_run([run.id for run in runs])
    rows = []
    for run in runs:
        people, satisfied, answers = figures.get(run.id, (0, 0, 0))
        share = 100 * satisfied / answers if answers else None
        rows.append({"run": run, "people": people, "share": share})
    chart = {
        "chart": charts.bars([(row["run"].title, row["share"]) for row in rows]),
        "id": "runs-satisfaction",
        "title": _("Satisfaction des sessions en cours"),
        "desc": _(
            "Part des réponses du côté satisfait (moitié haute de l'échelle) aux questionnaires "
            "de satisfaction ; « — » : pas encore de réponse."
        ),
    }
    has_answers = any(row["people"] for row in rows)
    context = {"rows": rows, "chart": chart if has_answers else None}
    return DashboardPanel("quizzes/admin/_dashboard_satisfaction.html", context, order=20)


def followups_panel(today: date) -> DashboardPanel:
    """The follow-up waves whose invitations go out this month, by date."""
    first = today.replace(day=1)
    last = today.replace(day=calendar.monthrange(today.year, today.month)[1])
    due = [slot for slot in slots(ended_by=last) if first <= slot.due_on <= last]
    return DashboardPanel("quizzes/admin/_dashboard_followups.html", {"slots": due}, order=30)


def dashboard(user) -> list[DashboardPanel]:
    """The quizzes plugin's panels, for administrators."""
    if not user.is_admin:
        return []
    today = date.today()
    return [satisfaction_panel(today), followups_panel(today)]
