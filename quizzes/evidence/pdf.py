"""The PDF of a report, rendered by WeasyPrint from the same HTML as the printable page.

WeasyPrint needs Debian's pango (``libpango-1.0-0 libpangoft2-1.0-0``), harfbuzz, fontconfig and
a font (``fonts-dejavu-core``); see the README. Nothing is fetched over the network: the
stylesheet is read from the plugin's static folder and every other URL is refused.
"""

from __future__ import annotations

from pathlib import Path

STYLESHEET = Path(__file__).resolve().parents[1] / "static" / "report.css"


def _no_fetch(url: str, *args, **kwargs):
    raise ValueError(f"the report PDF fetches nothing ({url})")


def render_pdf(html: str) -> bytes:
    """The PDF bytes of ``html`` styled with ``report.css``."""
    from weasyprint import CSS, HTML

    document = HTML(string=html, url_fetcher=_no_fetch)
    return document.write_pdf(stylesheets=[CSS(filename=str(STYLESHEET))])
