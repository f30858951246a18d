"""The browser tests' server closes every response itself (tests/support/wsgi.py)."""

from __future__ import annotations

import gc
import warnings

from werkzeug.test import EnvironBuilder

from tests.support.wsgi import closing


def _drop_unclosed(wsgi) -> list[str]:
    """Ask for a static file as a client that goes away: the server never closes the
    response; the ResourceWarnings of what was left open."""
    environ = EnvironBuilder(path="/static/favicon.svg").get_environ()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        body = wsgi(environ, lambda status, headers, exc_info=None: None)
        del body
        gc.collect()
    return [str(w.message) for w in caught if issubclass(w.category, ResourceWarning)]


def test_a_dropped_response_leaves_no_file_open(app):
    assert _drop_unclosed(app.wsgi_app) != []  # what werkzeug's server leaves on a dead socket
    assert _drop_unclosed(closing(app.wsgi_app)) == []
