"""The app under test as werkzeug's development server serves it to a browser in a thread.

When a client drops a connection (Chromium cancels the favicon or a stylesheet as it moves to
the next page), werkzeug's request handler reads what is left on the socket before it closes
the response; that read fails on the dead socket, the response's file is never closed, and
its ResourceWarning surfaces later in whatever test is running — a failure with no relation
to it. :func:`closing` reads the response and closes it inside the app call instead.
"""

from __future__ import annotations


def closing(app):
    """``app`` as a WSGI callable whose response is read and closed before it returns."""

    def wsgi(environ, start_response):
        iterable = app(environ, start_response)
        try:
            return [b"".join(iterable)]
        finally:
            close = getattr(iterable, "close", None)
            if close is not None:
                close()

    return wsgi
