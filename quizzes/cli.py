"""``flask lms quiz ...`` commands."""

import click

quiz_cli = click.Group("quiz", help="Quiz, auto-évaluations et questionnaires.")


def _mount_gift() -> None:
    try:
        from quizzes.authoring.gift.cli import inspect
    except ImportError:  # pragma: no cover - the GIFT package is being written
        return
    quiz_cli.add_command(inspect)


_mount_gift()
