"""Server-side pagination, search, filters and sort of the staff tables, without JavaScript.

A page reads what the person asked for from the query string (:meth:`Listing.from_args`:
``page``, ``q``, ``sort``, ``desc``, and the page's own filters), applies it to its SQL query
(:func:`search`, :meth:`Listing.order_by`) and fetches one page of rows with :func:`paginate`
(one ``COUNT`` and one ``LIMIT``/``OFFSET`` query, whatever the size of the table). Templates
render the pager with ``lms/_pager.html`` (links only, a ``nav`` with an ``aria-label``, the
current page with ``aria-current``) and keep the other parameters in every link.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import sqlalchemy as sa
from flask import request, url_for

from lms.db import db

PER_PAGE = 50
MAX_PER_PAGE = 200
MAX_SEARCH = 100  # characters of a search kept


def _int(value: str | None, default: int, low: int, high: int) -> int:
    try:
        return min(high, max(low, int(value or default)))
    except (TypeError, ValueError):
        return default


@dataclass(frozen=True)
class Listing:
    """What a person asked of a table: page, rows per page, search, filters and sort."""

    page: int = 1
    per_page: int = PER_PAGE
    q: str = ""
    sort: str = ""
    desc: bool = False
    filters: Mapping[str, str] = field(default_factory=dict)
    default_sort: str = ""
    default_per_page: int = PER_PAGE  # left out of the links when asked for

    @classmethod
    def from_args(
        cls,
        args: Mapping[str, str],
        sorts: Iterable[str],
        default_sort: str,
        filters: Mapping[str, Iterable[str]] | None = None,
    ) -> Listing:
        """Read the query string; unknown sorts or filter values are ignored, never an error."""
        sort = args.get("sort", default_sort)
        chosen = {}
        for name, allowed in (filters or {}).items():
            value = (args.get(name) or "").strip()
            if value and value in {str(a) for a in allowed}:
                chosen[name] = value
        return cls(
            page=_int(args.get("page"), 1, 1, 10**6),
            per_page=_int(args.get("per_page"), PER_PAGE, 1, MAX_PER_PAGE),
            q=" ".join((args.get("q") or "").split())[:MAX_SEARCH],
            sort=sort if sort in set(sorts) else default_sort,
            desc=args.get("desc") == "1",
            filters=chosen,
            default_sort=default_sort,
        )

    def args(self, **changes: Any) -> dict[str, Any]:
        """The query-string parameters of this listing (defaults left out), with ``changes``."""
        values: dict[str, Any] = {"q": self.q, **self.filters}
        if self.sort != self.default_sort:
            values["sort"] = self.sort
        if self.desc:
            values["desc"] = "1"
        if self.per_page != self.default_per_page:
            values["per_page"] = self.per_page
        if self.page != 1:
            values["page"] = self.page
        values.update(changes)
        if values.get("page") == 1:
            values["page"] = None
        return {k: v for k, v in values.items() if v not in ("", None)}

    def url(self, **changes: Any) -> str:
        """This page's address with this listing and ``changes`` (e.g. ``page=3``)."""
        return url_for(request.endpoint, **(request.view_args or {}), **self.args(**changes))

    def sort_url(self, key: str) -> str:
        """The address sorting by ``key``: ascending first, descending when already ascending."""
        desc = "1" if key == self.sort and not self.desc else None
        return self.url(sort=None if key == self.default_sort else key, desc=desc, page=None)

    def aria_sort(self, key: str) -> str | None:
        """``ascending``/``descending`` for the column sorted by, else None."""
        if key != self.sort:
            return None
        return "descending" if self.desc else "ascending"

    def order_by(self, columns: Mapping[str, Iterable[Any]]) -> list:
        """ORDER BY clauses of the chosen sort (``columns`` maps sort keys to SQL columns)."""
        chosen = columns.get(self.sort) or columns[self.default_sort]
        return [c.desc() if self.desc else c.asc() for c in chosen]

    def filtered(self) -> bool:
        """Whether a search or a filter narrows the table."""
        return bool(self.q or self.filters)


@dataclass
class Page:
    """One page of rows and where it stands in all the rows matching the listing."""

    items: list
    total: int
    listing: Listing

    @property
    def number(self) -> int:
        """The page shown (1-based)."""
        return self.listing.page

    @property
    def pages(self) -> int:
        """How many pages the matching rows fill (at least 1)."""
        return max(1, -(-self.total // self.listing.per_page))

    @property
    def first(self) -> int:
        """Position of the first row shown (1-based; 0 when none)."""
        return (self.number - 1) * self.listing.per_page + 1 if self.items else 0

    @property
    def last(self) -> int:
        """Position of the last row shown."""
        return self.first + len(self.items) - 1 if self.items else 0

    def url(self, number: int) -> str:
        """The address of page ``number``, other parameters kept."""
        return self.listing.url(page=number)

    def window(self, around: int = 2) -> list[int | None]:
        """Page numbers to link: the first, the last and ``around`` either side of the current
        one; ``None`` where numbers are skipped."""
        shown = {1, self.pages, *range(self.number - around, self.number + around + 1)}
        numbers = sorted(n for n in shown if 1 <= n <= self.pages)
        out: list[int | None] = []
        for n in numbers:
            if out and n - (out[-1] or 0) > 1:
                out.append(None)
            out.append(n)
        return out


def search(q: str, *columns) -> sa.ColumnElement[bool] | None:
    """Every word of ``q`` found (case-insensitive) in one of ``columns``; None for no search."""
    words = q.split()
    if not words:
        return None
    conditions = []
    for word in words:
        pattern = "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        conditions.append(sa.or_(*(c.ilike(pattern, escape="\\") for c in columns)))
    return sa.and_(*conditions)


def paginate(
    query: sa.Select,
    listing: Listing,
    order_by: list,
    fetch: Callable[[sa.Select], list] | None = None,
    counted: sa.Select | None = None,
    total: int | None = None,
) -> Page:
    """One page of ``query`` in ``order_by`` order: a COUNT of the matching rows, then the
    rows of the page (a page past the end shows the last one). ``fetch`` turns the statement
    into the items (default: ORM entities, ``scalars()``); ``counted``, a cheaper statement
    with the same rows, is counted instead of ``query``; ``total``, the number of matching
    rows when the caller has it already (a run's totals for a table neither searched nor
    filtered), spares the COUNT."""
    if total is None:
        counted = query if counted is None else counted
        total = db.session.scalar(
            sa.select(sa.func.count()).select_from(counted.order_by(None).subquery())
        )
    pages = max(1, -(-total // listing.per_page))
    if listing.page > pages:
        listing = replace(listing, page=pages)
    statement = (
        query.order_by(*order_by)
        .limit(listing.per_page)
        .offset((listing.page - 1) * listing.per_page)
    )
    items = fetch(statement) if fetch else list(db.session.scalars(statement).unique())
    return Page(items, total, listing)
