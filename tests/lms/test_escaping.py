"""lms.escaping.esc: what markupsafe.escape writes, as a plain string (the rows of the staff
tables and the report cells are written with it)."""

from markupsafe import Markup, escape

from lms.escaping import esc

EVIL = '<script>alert("x")</script>&'


def test_esc_writes_exactly_what_markupsafe_escape_writes():
    values = [EVIL, "l'équipe & « Café »", "a>b<c\"d'e&f", "", "  ", "🙂 n° 3", 7, 80.5, None]
    values += [Markup("<b>déjà</b>"), chr(0) + "\t\n", True]
    for value in values:
        written = esc(value)
        assert type(written) is str
        assert written == str(escape(value)), value
