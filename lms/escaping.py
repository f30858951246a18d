"""Escaping into plain strings, for HTML written a row at a time in Python.

:func:`markupsafe.escape` returns a ``Markup`` for each value; a table of 50 learners escapes
hundreds to thousands of values that are then joined into one row and marked safe once, and
building a ``Markup`` for each cost about a tenth of such a page.
"""

from __future__ import annotations

#: What :func:`markupsafe.escape` replaces, and by what.
_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&#34;", "'": "&#39;"})


def esc(value) -> str:
    """``str(markupsafe.escape(value))``: the same characters replaced by the same entities,
    markup (an object with ``__html__``) kept as it is."""
    html = getattr(value, "__html__", None)
    return str(html()) if html is not None else str(value).translate(_ESCAPES)
