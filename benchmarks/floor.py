"""The floor of the HTTP benchmark: Parcours itself — the factory, configuration, extensions
and hooks of ``wsgi.py`` — with two pages that do nothing but answer "ok", one open to all, one
for signed-in people (Flask-Login loads the user from the database as on every page).

Served by gunicorn next to ``wsgi:app`` (never by it: these pages exist only here), they tell
what any page of Parcours costs before its own work: the ratio to bare Flask that no page can
beat with this stack.
"""

from flask_login import login_required

from lms import create_app
from lms.serving import settle

app = create_app()


@app.get("/_banc/vide")
def empty():
    """Nothing but the application's request cycle (session, language, security headers)."""
    return "ok"


@app.get("/_banc/vide-connecte")
@login_required
def signed_in_empty():
    """The same, for a signed-in person: the user loaded, as every learner page does."""
    return "ok"


settle(app)  # as wsgi.py, once the application is complete
