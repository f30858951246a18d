"""Pagination and incremental sync arguments shared by every list of the API."""

from __future__ import annotations

from datetime import UTC

import marshmallow as ma
import sqlalchemy as sa

from lms.db import db

MAX_PER_PAGE = 200


class PageArgs(ma.Schema):
    """``page``, ``per_page`` and ``updated_since`` (query string)."""

    page = ma.fields.Integer(load_default=1, validate=ma.validate.Range(min=1, max=1_000_000))
    per_page = ma.fields.Integer(
        load_default=50, validate=ma.validate.Range(min=1, max=MAX_PER_PAGE)
    )
    updated_since = ma.fields.AwareDateTime(
        load_default=None,
        default_timezone=UTC,
        metadata={"description": "Only rows changed at or after this instant (ISO 8601)"},
    )

    @ma.post_load
    def _naive_utc(self, data, **kwargs):
        """Timestamps are stored as naive UTC."""
        since = data.get("updated_since")
        if since is not None:
            data["updated_since"] = since.astimezone(UTC).replace(tzinfo=None)
        return data


def page_schema(item: type[ma.Schema], name: str) -> type[ma.Schema]:
    """A schema ``{items: [item], page, per_page, total, next_page}`` named ``name``."""
    fields = {
        "items": ma.fields.List(ma.fields.Nested(item), required=True),
        "page": ma.fields.Integer(required=True),
        "per_page": ma.fields.Integer(required=True),
        "total": ma.fields.Integer(required=True),
        "next_page": ma.fields.Integer(
            required=True, allow_none=True, metadata={"description": "null on the last page"}
        ),
    }
    return type(name, (ma.Schema,), fields)


def paginate(query: sa.Select, args: dict) -> dict:
    """Run ``query`` for one page (two queries: the count and the rows)."""
    page, per_page = args["page"], args["per_page"]
    total = db.session.scalar(
        sa.select(sa.func.count()).select_from(query.order_by(None).subquery())
    )
    rows = db.session.scalars(query.limit(per_page).offset((page - 1) * per_page)).unique().all()
    more = page * per_page < total
    return {
        "items": rows,
        "page": page,
        "per_page": per_page,
        "total": total,
        "next_page": page + 1 if more else None,
    }


class UtcDateTime(ma.fields.DateTime):
    """A stored (naive UTC) timestamp written as RFC 3339 with its offset (``…+00:00``)."""

    def _serialize(self, value, attr, obj, **kwargs):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return super()._serialize(value, attr, obj, **kwargs)
