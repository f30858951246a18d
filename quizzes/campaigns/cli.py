"""``flask lms followups ...``: what is due when, from the command line."""

from __future__ import annotations

import click

from lms.cli import parse_now
from quizzes.campaigns.figures import schedule
from quizzes.taking.opening import local_today

followups_cli = click.Group("followups", help="Suivi à froid : questionnaires à 6 et 12 mois.")


@followups_cli.command("status")
@click.option("--now", "now_text", metavar="ISO-DATETIME", help="Pretend it is this moment.")
def status(now_text: str | None) -> None:
    """List every follow-up wave of every run by due date, with its state and figures."""
    today = local_today(parse_now(now_text))
    rows = schedule(today)
    if not rows:
        click.echo("No follow-up wave (no course has an active follow-up plan).")
        return
    click.echo(
        "due on      state             months  eligible invited reminded answered "
        "expired failed  run"
    )
    for row in rows:
        fig = row.figures
        click.echo(
            f"{row.slot.due_on.isoformat()}  {row.status:<16}  {row.slot.wave.offset_months:>6}  "
            f"{row.eligible:>8} {fig.invited:>7} {fig.reminded:>8} {fig.answered:>8} "
            f"{fig.expired:>7} {fig.failed:>6}  {row.slot.run.title} ({row.slot.run.course.key})"
        )
