"""A visitor reads a course's public indicators without signing in, and another site embeds
them in a frame."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.quizzes.test_evidence_indicators import population


@pytest.fixture
def other_site():
    """An organisation's website on another origin; ``other_site(html)`` serves ``html`` at /."""
    pages: dict[str, bytes] = {}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - http.server's name
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(pages.get("/", b""))

        def log_message(self, *args):
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()

    def serve(html: str) -> str:
        pages["/"] = html.encode()
        return f"http://localhost:{httpd.server_port}/"

    try:
        yield serve
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_visitor_reads_and_another_site_embeds_the_indicators(server, page, axe, other_site):
    course = population(5)
    url = f"{server}/formations/{course.id}/indicateurs"
    page.goto(url)
    assert page.get_by_role("heading", name="Indicateurs de résultats").is_visible()
    assert page.get_by_role("row", name="Taux de réussite à l'évaluation finale").is_visible()
    assert axe(page) == []

    site = other_site(f'<h1>Organisme</h1><iframe title="Indicateurs" src="{url}"></iframe>')
    page.goto(site)
    heading = page.frame_locator("iframe").get_by_role("heading", name="Indicateurs de résultats")
    heading.wait_for(timeout=5000)
    assert heading.is_visible()
