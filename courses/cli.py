"""``flask lms import`` and ``flask lms export``: course folders in and out of the database."""

from __future__ import annotations

from pathlib import Path

import click

from courses.content.errors import ContentErrors


def _summary(report) -> str:
    course = report.course
    verb = "Created" if report.created else "Updated"
    return (
        f"{verb} course {course.key} ({course.title}): {report.modules} module(s), "
        f"{report.activities} activity(ies); {report.added} added, {report.archived} archived, "
        f"{report.restored} restored"
    )


@click.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
def import_command(paths: tuple[Path, ...]) -> None:
    """Import course folders (all or nothing): check everything, then write in one transaction.

    Re-importing a course updates it: activities are matched by key, so learners' progress is
    kept; activities no longer in the folder are archived.
    """
    from courses.content.loader import import_folders

    try:
        reports = import_folders(paths)
    except ContentErrors as exc:
        for error in exc.errors:
            click.echo(f"{error.location()}: {error.message}", err=True)
        click.echo(f"{len(exc.errors)} error(s); nothing was imported.", err=True)
        raise click.exceptions.Exit(1) from None
    for report in reports:
        click.echo(_summary(report))


@click.command("export")
@click.option("--all", "export_every", is_flag=True, help="Export every course into DEST.")
@click.argument("arguments", nargs=-1, metavar="COURSE_KEY DEST | --all DEST")
def export_command(export_every: bool, arguments: tuple[str, ...]) -> None:
    """Write a course back as a folder DEST/<course key>/ (course.yml, modules, activities)."""
    from courses.content.writer import ExportError, export_all, export_course

    expected = 1 if export_every else 2
    if len(arguments) != expected:
        usage = "--all DEST" if export_every else "COURSE_KEY DEST"
        raise click.UsageError(f"expected {usage}")
    try:
        if export_every:
            targets = export_all(arguments[0])
        else:
            targets = [export_course(arguments[0], arguments[1])]
    except ExportError as exc:
        raise click.ClickException(str(exc)) from None
    for target in targets:
        click.echo(f"Exported {target}")
    if not targets:
        click.echo("No course to export.")


COMMANDS: tuple = (import_command, export_command)
