"""The reference of the HTTP benchmark: a bare Flask app answering "ok", served like Parcours."""

from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello():
    """The cheapest page Flask can serve."""
    return "ok"
