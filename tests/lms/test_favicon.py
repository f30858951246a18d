"""The site icon: served at /favicon.ico (no 404 in every log) and linked from every page."""

from __future__ import annotations


def test_favicon_is_served_and_linked(client):
    with client.get("/favicon.ico") as icon:
        assert icon.status_code == 200
        assert icon.data[:4] == b"\x00\x00\x01\x00"  # an ICO file
    page = client.get("/compte/connexion").get_data(as_text=True)
    assert 'rel="icon" href="/static/favicon.svg"' in page
    with client.get("/static/favicon.svg") as svg:
        assert svg.status_code == 200 and b"<svg" in svg.data
