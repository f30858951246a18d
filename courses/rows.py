"""Rows of the staff tables of learners written by one filter per row.

A progress grid or an admin session page shows 50 learners a page; in Jinja each row was a
dozen outputs, a macro call (the status badge), filters and lookups through the template
context — more than half of the page's time (see benchmarks/README.md, fifth round). Here a row
is one f-string of escaped parts (plain strings, :func:`lms.escaping.esc`), the words it needs
translated once per table (:func:`row_words`). The HTML is the one the templates wrote.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from markupsafe import Markup, escape

from lms.escaping import esc
from lms.formatting import format_datetime, format_day, heat_cells, percent
from lms.i18n import gettext as _

#: Badge tone of each enrolment status (CSS class next to ``badge``).
STATUS_TONES = {"invited": "warn", "active": "", "completed": "ok", "withdrawn": "bad"}


@dataclass(frozen=True)
class RowWords:
    """What the rows of a table say, in the request's language."""

    badges: dict[str, Markup]  # status → its badge
    never: Markup  # a learner who never came


def status_labels() -> dict[str, str]:
    """Human label of each enrolment status, in the request's language."""
    return {
        "invited": _("Invité"),
        "active": _("En cours"),
        "completed": _("Terminé"),
        "withdrawn": _("Retiré"),
    }


def row_words() -> RowWords:
    """The words of a table's rows, translated once for the table."""
    labels = status_labels()
    badges = {
        status: Markup(f'<span class="badge {tone}">{escape(labels[status])}</span>')  # noqa: S704
        for status, tone in STATUS_TONES.items()
    }
    return RowWords(badges=badges, never=escape(_("jamais")))


def status_badge(status: str, words: RowWords) -> Markup:
    """The badge of ``status`` (an unknown one shown as it is, escaped)."""
    badge = words.badges.get(status)
    if badge is None:
        badge = Markup(f'<span class="badge ">{escape(status)}</span>')  # noqa: S704
    return badge


def grid_row(row, learner_url: Callable[[int], str], words: RowWords) -> Markup:
    """A learner's row of the progress grid (:class:`courses.queries.GridRow`): name linked to
    the learner's page, one shaded cell per module, the course's percentage, status, last visit.
    """
    enrolment = row.enrolment
    seen = enrolment.last_seen_at
    last = esc(format_datetime(seen, "short")) if seen else words.never
    return Markup(  # noqa: S704 - every part is escaped or written here
        f'<tr><th scope="row"><a href="{esc(learner_url(enrolment.user_id))}">'
        f"{esc(enrolment.user.name)}</a></th>{heat_cells(row.modules)}"
        f'<td class="num"><strong>{esc(percent(row.ratio))}</strong></td>'
        f"<td>{status_badge(enrolment.status, words)}</td><td>{last}</td></tr>"
    )


@dataclass(frozen=True)
class EnrolmentRows:
    """What every row of the admin's enrolment table shares: words translated once, the links'
    builders and the CSRF field of the row forms (rendered once)."""

    labels: dict[str, str]  # status → label
    csrf_field: Markup
    resend_url: Callable[[int], str]
    withdraw_url: Callable[[int], str]
    resend: Markup
    withdraw: Markup
    to_name: Markup  # « à %(name)s », completed per row
    from_day: Markup  # « du %(start)s »
    to_day: Markup  # « au %(end)s »
    unlimited: Markup
    not_started: Markup


def enrolment_rows(labels, csrf_field, resend_url, withdraw_url) -> EnrolmentRows:
    """:class:`EnrolmentRows` for a page, in the request's language."""
    return EnrolmentRows(
        labels=labels,
        csrf_field=Markup(csrf_field),  # noqa: S704 - WTForms' own rendering
        resend_url=resend_url,
        withdraw_url=withdraw_url,
        resend=escape(_("Renvoyer l'invitation")),
        withdraw=escape(_("Retirer")),
        # the catalog's texts, trusted as the templates' _() trusts them; values escaped by %
        to_name=Markup(_("à %(name)s")),  # noqa: S704
        from_day=Markup(_("du %(start)s")),  # noqa: S704
        to_day=Markup(_("au %(end)s")),  # noqa: S704
        unlimited=escape(_("(sans limite)")),
        not_started=escape(_("pas encore commencée")),
    )


def enrolment_row(pair, shared: EnrolmentRows) -> Markup:
    """A row of the admin's enrolment table: ``(enrolment, user)`` — name (with civility),
    address, organisation, job, status, invitation date and count, access period, and the
    « resend the invitation » / « withdraw » actions of a learner not withdrawn."""
    enrolment, user = pair
    name = esc(user.name)
    civility = f'<span class="muted">{esc(user.civility)}</span> ' if user.civility else ""
    invited = "—"
    if enrolment.invited_at:
        invited = esc(format_datetime(enrolment.invited_at, "short"))
    if enrolment.access_starts_at:
        period = shared.from_day % {"start": format_day(enrolment.access_starts_at)}
        if enrolment.access_ends_at:
            period += Markup(" ") + shared.to_day % {"end": format_day(enrolment.access_ends_at)}
        else:
            period += Markup(" ") + shared.unlimited
    else:
        period = Markup(f'<span class="muted">{shared.not_started}</span>')  # noqa: S704
    actions = ""
    if enrolment.status != "withdrawn":
        actions = (
            f'<form method="post" action="{esc(shared.resend_url(enrolment.id))}" '
            f'class="inline">{shared.csrf_field}<button type="submit" class="link-button">'
            f'{shared.resend}<span class="visually-hidden"> {shared.to_name % {"name": user.name}}'
            f"</span></button></form> · "
            f'<a href="{esc(shared.withdraw_url(enrolment.id))}">{shared.withdraw}'
            f'<span class="visually-hidden"> {name}</span></a>'
        )
    status = esc(shared.labels.get(enrolment.status, enrolment.status))
    return Markup(  # noqa: S704 - every part is escaped or written here
        f'<tr><th scope="row">{civility}{name}</th><td>{esc(user.email)}</td>'
        f"<td>{esc(user.organisation or '—')}</td><td>{esc(user.job_title or '—')}</td>"
        f'<td><span class="badge">{status}</span></td><td>{invited}</td>'
        f'<td class="num">{esc(enrolment.invitations_sent)}</td><td>{period}</td>'
        f"<td>{actions}</td></tr>"
    )
