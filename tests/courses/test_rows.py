"""Rows of the staff tables of learners written in Python (courses/rows.py): each the row the
template used to write — same HTML once whitespace between tags is set aside — for every kind
of learner (civility or not, withdrawn, never seen, access period open, closed or not started,
an unknown status), in French and English, with every text from people escaped."""

from __future__ import annotations

import re
from datetime import datetime
from types import SimpleNamespace

import pytest
from flask import render_template_string
from flask_babel import force_locale
from markupsafe import Markup

from courses import enrolments as ops
from courses.rows import enrolment_rows, grid_row, row_words
from lms.urls import url_builder

EVIL = '<script>alert("x")</script>&\''

#: The rows as the templates wrote them before courses/rows.py.
GRID_TEMPLATE = """
{% set status_labels = {'invited': _('Invité'), 'active': _('En cours'), 'completed': _('Terminé'), 'withdrawn': _('Retiré')} %}
{% set status_tones = {'invited': 'warn', 'active': '', 'completed': 'ok', 'withdrawn': 'bad'} %}
{% macro status(value) %}<span class="badge {{ status_tones.get(value, '') }}">{{ status_labels.get(value, value) }}</span>{% endmacro %}
    <tr>
      <th scope="row"><a href="{{ learner_url(row.enrolment.user_id) }}">{{ row.enrolment.user.name }}</a></th>
      {{ row.modules|heat_cells }}
      <td class="num"><strong>{{ row.ratio|percent }}</strong></td>
      <td>{{ status(row.enrolment.status) }}</td>
      <td>{{ row.enrolment.last_seen_at|datetime('short') if row.enrolment.last_seen_at else _('jamais') }}</td>
    </tr>
"""  # noqa: E501
ADMIN_TEMPLATE = """
    {% set csrf_field, resend, withdraw = csrf, _("Renvoyer l'invitation"), _('Retirer') %}
    {% set unlimited, not_started = _('(sans limite)'), _('pas encore commencée') %}
    {% for enrolment, user in rows %}
    <tr>
      <th scope="row">{% if user.civility %}<span class="muted">{{ user.civility }}</span> {% endif %}{{ user.name }}</th>
      <td>{{ user.email }}</td>
      <td>{{ user.organisation or '—' }}</td>
      <td>{{ user.job_title or '—' }}</td>
      <td><span class="badge">{{ labels.get(enrolment.status, enrolment.status) }}</span></td>
      <td>{{ enrolment.invited_at|datetime('short') if enrolment.invited_at else '—' }}</td>
      <td class="num">{{ enrolment.invitations_sent }}</td>
      <td>{% if enrolment.access_starts_at %}{{ _('du %(start)s', start=enrolment.access_starts_at|date) }}{% if enrolment.access_ends_at %} {{ _('au %(end)s', end=enrolment.access_ends_at|date) }}{% else %} {{ unlimited }}{% endif %}{% else %}<span class="muted">{{ not_started }}</span>{% endif %}</td>
      <td>
        {% if enrolment.status != 'withdrawn' %}
        <form method="post" action="{{ resend_url(enrolment.id) }}" class="inline">
          {{ csrf_field }}
          <button type="submit" class="link-button">{{ resend }}<span class="visually-hidden"> {{ _('à %(name)s', name=user.name) }}</span></button>
        </form>
        ·
        <a href="{{ withdraw_url(enrolment.id) }}">{{ withdraw }}<span class="visually-hidden"> {{ user.name }}</span></a>
        {% endif %}
      </td>
    </tr>
    {% endfor %}
"""  # noqa: E501
NEW_ADMIN = "{% for pair in rows %}{{ pair|enrolment_row(shared) }}{% endfor %}"


def _same(html) -> str:
    """Whitespace between tags set aside, apostrophes written one way."""
    html = re.sub(r">\s+", ">", str(html))
    return re.sub(r"\s+<", "<", html).replace("&#39;", "'").strip()


def _learners():
    seen = datetime(2026, 11, 30, 17, 45)
    statuses = ["invited", "active", "completed", "withdrawn", "suspendu<b>"]
    people = []
    for number, status in enumerate(statuses, start=1):
        user = SimpleNamespace(
            name=f"{EVIL} {number}",
            email=f"a{number}@example.org{EVIL}",
            civility=EVIL if number % 2 else None,
            organisation=EVIL if number != 2 else None,
            job_title=None if number % 2 else EVIL,
        )
        enrolment = SimpleNamespace(
            id=40 + number,
            user_id=10 + number,
            user=user,
            status=status,
            last_seen_at=seen if number % 2 else None,
            invited_at=seen if number != 3 else None,
            invitations_sent=number - 1,
            access_starts_at=None if number == 4 else datetime(2026, 9, number, 8, 0),
            access_ends_at=datetime(2027, 1, number, 22, 30) if number in (1, 3) else None,
        )
        modules = [SimpleNamespace(ratio=r) for r in (0, 1 / 3, 1, 0.575 * number / 5)]
        people.append((enrolment, user, modules))
    return people


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_grid_row_is_the_one_the_template_wrote(app, language):
    with app.test_request_context("/"), force_locale(language):
        learner_url = url_builder("courses.trainer_learner", "user_id", run_id=7)
        words = row_words()
        for enrolment, _user, modules in _learners():
            row = SimpleNamespace(enrolment=enrolment, modules=modules, ratio=modules[-1].ratio)
            old = render_template_string(GRID_TEMPLATE, row=row, learner_url=learner_url)
            new = grid_row(row, learner_url, words)
            assert _same(new) == _same(old)
            assert "<script>" not in new and "&lt;script&gt;" in new


@pytest.mark.parametrize("language", ["fr", "en"])
def test_an_enrolment_row_is_the_one_the_template_wrote(app, language):
    with app.test_request_context("/"), force_locale(language):
        values = {
            "rows": [(enrolment, user) for enrolment, user, _modules in _learners()],
            "labels": {status: str(label) for status, label in ops.STATUS_LABELS.items()},
            "csrf": Markup('<input name="csrf_token" type="hidden" value="t0k3n">'),
            "resend_url": url_builder("courses.admin_enrolment_resend", "enrolment_id", run_id=7),
            "withdraw_url": url_builder(
                "courses.admin_enrolment_withdraw", "enrolment_id", run_id=7
            ),
        }
        old = render_template_string(ADMIN_TEMPLATE, **values)
        shared = enrolment_rows(
            values["labels"], values["csrf"], values["resend_url"], values["withdraw_url"]
        )
        new = render_template_string(NEW_ADMIN, shared=shared, **values)
        assert _same(new) == _same(old)
        assert "<script>" not in new and "<b>" not in new
        assert new.count("/renvoyer") == 4  # every learner but the withdrawn one
        assert new.count('value="t0k3n"') == 4
