"""The one place where Markdown becomes HTML: Python-Markdown, then sanitised with nh3."""

from __future__ import annotations

import re

import markdown as md
import nh3
from markupsafe import Markup

EXTENSIONS = ["extra", "sane_lists", "smarty", "toc"]
EXTENSION_CONFIGS = {
    "smarty": {"smart_quotes": False},
    "toc": {"permalink": False},
}

ALLOWED_TAGS = {
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "caption",
    "code",
    "dd",
    "del",
    "div",
    "dl",
    "dt",
    "em",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "kbd",
    "li",
    "ol",
    "p",
    "pre",
    "s",
    "span",
    "strong",
    "sub",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "u",
    "ul",
    "img",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "img": {"src", "alt", "title"},
    "th": {"scope", "colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
    "h2": {"id"},
    "h3": {"id"},
    "h4": {"id"},
    "ol": {"start"},
}


def sanitise(html: str) -> str:
    """Keep only harmless tags and attributes; links get ``rel="noopener noreferrer"``."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )


#: An empty header cell (the corner of a two-way table): a header must name something.
_EMPTY_TH = re.compile(r"<th((?:\s[^>]*)?)>\s*</th>")


def render(text: str | None) -> str:
    """Render Markdown to sanitised HTML (raw HTML in the source is escaped or removed); the
    empty corner cell of a two-way table becomes a plain cell, not an empty header."""
    if not text:
        return ""
    html = md.markdown(text, extensions=EXTENSIONS, extension_configs=EXTENSION_CONFIGS)
    return _EMPTY_TH.sub(r"<td\1></td>", sanitise(html))


def render_safe(text: str | None) -> Markup:
    """Render Markdown for a template (already sanitised, so marked safe)."""
    return Markup(render(text))  # noqa: S704 - sanitised by nh3 just above
