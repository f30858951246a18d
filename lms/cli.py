"""``flask lms ...``: the host's commands, and the mount point of plugins' commands."""

from __future__ import annotations

from datetime import datetime

import click
import sqlalchemy as sa
from flask import Flask, current_app
from flask.cli import AppGroup

from lms.db import db, utcnow
from lms.models import Role, User
from lms.plugins import get_registry

HOST_COMMANDS: list[click.Command] = []


def _host(command: click.Command) -> click.Command:
    HOST_COMMANDS.append(command)
    return command


def parse_now(value: str | None) -> datetime:
    """Parse ``--now`` (ISO 8601; with an offset it is converted to UTC); default: now."""
    if not value:
        return utcnow()
    try:
        moment = datetime.fromisoformat(value)
    except ValueError as exc:
        raise click.BadParameter(f"{value!r} is not an ISO 8601 date-time") from exc
    if moment.tzinfo is not None:
        from datetime import UTC

        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment


@_host
@click.command("create-admin")
@click.option("--email", prompt=True, help="Adresse e-mail de l'administrateur.")
@click.option("--name", prompt="Nom", help="Nom affiché.")
@click.password_option(help="Mot de passe (au moins 10 caractères).")
def create_admin(email: str, name: str, password: str) -> None:
    """Create an administrator, or promote and reset the password of an existing account."""
    email = User.normalise_email(email)
    if "@" not in email:
        raise click.BadParameter(f"{email!r} is not an e-mail address", param_hint="--email")
    if len(password) < 10:
        raise click.BadParameter("at least 10 characters", param_hint="--password")
    user = db.session.scalar(sa.select(User).where(User.email == email))
    created = user is None
    if created:
        user = User(email=email, name=name)
        db.session.add(user)
    user.role, user.active = Role.ADMIN, True
    user.set_password(password)
    db.session.commit()
    click.echo(f"{'Created' if created else 'Updated'} administrator {email}")


@_host
@click.command("send-mail")
@click.option("--limit", default=500, show_default=True)
def send_mail(limit: int) -> None:
    """Send the queued e-mails now."""
    from lms.mail import send_queued

    click.echo(f"{send_queued(limit=limit)} message(s) sent")


@_host
@click.command("tick")
@click.option("--now", "now_text", metavar="ISO-DATETIME", help="Pretend it is this moment.")
def tick(now_text: str | None) -> None:
    """Do the scheduled work of every plugin, then send the outbox. Safe to run from cron."""
    from lms.mail import send_queued

    now = parse_now(now_text)
    for plugin in get_registry(current_app).plugins.values():
        if plugin.tick:
            plugin.tick(now)
    sent = 0
    while True:
        batch = send_queued(limit=500, now=now)
        sent += batch
        if batch == 0:
            break
    from lms.xapi.sender import send_due

    statements = send_due(now)
    click.echo(
        f"tick {now.isoformat(timespec='minutes')}: {sent} message(s) sent"
        + (f", {statements} xAPI statement(s) sent" if statements else "")
    )


@_host
@click.command("demo")
@click.option("--seed", default=2022, show_default=True, help="Seed of the generated answers.")
def demo(seed: int) -> None:
    """Load the shipped catalogue and the demo accounts and sessions (safe to run again)."""
    import random

    now = utcnow()
    lines: list[str] = []
    for plugin in get_registry(current_app).plugins.values():
        if plugin.demo:
            lines.extend(plugin.demo(random.Random(f"{seed}:{plugin.name}"), now))
    db.session.commit()
    for line in lines:
        click.echo(line)


def init_app(app: Flask) -> None:
    """Mount ``flask lms`` and every plugin's commands under it."""
    group = AppGroup("lms", help="Commandes de Parcours.")
    for command in HOST_COMMANDS:
        group.add_command(command)
    for plugin in get_registry(app).plugins.values():
        if plugin.cli is not None:
            group.add_command(plugin.cli)
        for command in plugin.cli_commands:
            group.add_command(command)
    app.cli.add_command(group)
