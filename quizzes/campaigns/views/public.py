"""The pages a learner reaches from a follow-up e-mail, without a password: the questionnaire
behind the personal link (saved and changeable until sent, then closed), and unsubscribing.

A link opens only its own invitation's questionnaire: the invitation is found by the hash of
the token and the attempt by the invitation, never by an id taken from the request.
"""

from __future__ import annotations

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import format_time
from flask_babel import gettext as _
from flask_wtf.csrf import ValidationError, validate_csrf

from lms.db import db, utcnow
from lms.errors import csrf
from lms.models import User
from quizzes.blueprint import bp
from quizzes.campaigns import answers
from quizzes.campaigns.forms import ActionForm
from quizzes.campaigns.models import FollowUpOptOut
from quizzes.campaigns.scheduling import opt_out
from quizzes.campaigns.tokens import read_optout_token
from quizzes.campaigns.views.common import questionnaire_page
from quizzes.models import Channel
from quizzes.taking import attempts as service


def refused(reason: str, invitation=None):
    """The clear page of a link that does not open the questionnaire (404 or 410)."""
    page = render_template(
        "quizzes/campaigns/public/refused.html",
        reason=reason,
        invitation=invitation,
        run=invitation.campaign.run if invitation is not None else None,
    )
    return page, answers.STATUS[reason]


@bp.route("/suivi/<token>", methods=["GET", "POST"])
def followup_link(token: str):
    """The questionnaire of the link. POST ``action=save`` keeps the answers, ``submit`` sends."""
    invitation = answers.find(token)
    reason = answers.problem(invitation)
    if reason:
        return refused(reason, invitation)
    if request.method == "GET":
        attempt = answers.open_attempt(invitation, Channel.EMAIL_LINK)
        db.session.commit()
        return questionnaire_page(
            "quizzes/campaigns/public/answer.html", invitation, attempt, token=token
        )
    return _save_or_submit(invitation, token)


def _save_or_submit(invitation, token: str):
    """The POST of the questionnaire page: keep the answers, and send them on ``submit``."""
    try:
        attempt = answers.save(invitation, request.form, Channel.EMAIL_LINK)
    except service.AttemptRefused:
        db.session.rollback()
        return refused(answers.ANSWERED, invitation)
    if request.form.get("action") == "submit":
        missing = answers.submit(invitation, attempt)
        db.session.commit()
        if missing:
            return questionnaire_page(
                "quizzes/campaigns/public/answer.html",
                invitation,
                attempt,
                missing,
                422,
                token=token,
            )
        return redirect(url_for("quizzes.followup_link_thanks", token=token), 303)
    db.session.commit()
    flash(
        _("Vos réponses sont enregistrées. Vous pourrez les modifier jusqu'à l'envoi."), "success"
    )
    return redirect(url_for("quizzes.followup_link", token=token), 303)


@bp.route("/suivi/<token>/enregistrer", methods=["POST"])
def followup_link_autosave(token: str):
    """Save the answers sent by attempt.js (the whole form); JSON answer."""
    invitation = answers.find(token)
    reason = answers.problem(invitation)
    if reason:
        return jsonify(saved=False, error=reason), answers.STATUS[reason]
    try:
        answers.save(invitation, request.form, Channel.EMAIL_LINK)
    except service.AttemptRefused as refusal:
        db.session.rollback()
        return jsonify(saved=False, error=refusal.message), 409
    db.session.commit()
    now = utcnow()
    return jsonify(saved=True, saved_at=now.isoformat() + "Z", saved_at_text=format_time(now))


@bp.route("/suivi/<token>/merci")
def followup_link_thanks(token: str):
    """Thanks, once the questionnaire is sent (read-only: the answers cannot change any more)."""
    invitation = answers.find(token)
    if invitation is None:
        return refused(answers.UNKNOWN)
    if invitation.answered_at is None:
        return redirect(url_for("quizzes.followup_link", token=token))
    return render_template(
        "quizzes/campaigns/public/thanks.html", invitation=invitation, run=invitation.campaign.run
    )


def check_unsubscribe_post() -> None:
    """An unsubscribe POST is the one-click POST of a mail client (RFC 8058), which the signed
    token of the URL alone authorises, or the page's button, which carries a CSRF token (400)."""
    if request.form.get("List-Unsubscribe") != "One-Click":
        try:
            validate_csrf(request.form.get("csrf_token"))
        except ValidationError:
            abort(400)


@bp.route("/suivi/desinscription/<token>", methods=["GET", "POST"])
@csrf.exempt
def followup_unsubscribe(token: str):
    """Unsubscribe from follow-ups: a page with a confirmation button (POST with CSRF token),
    or the one-click POST of mail clients (RFC 8058, ``List-Unsubscribe=One-Click``), which the
    signed token alone authorises."""
    user_id = read_optout_token(token)
    user = db.session.get(User, user_id) if user_id is not None else None
    if user is None:
        return refused(answers.UNKNOWN)
    if request.method == "POST":
        check_unsubscribe_post()
        opt_out(user.id)
        db.session.commit()
        return render_template("quizzes/campaigns/public/unsubscribed.html", user=user)
    done = db.session.get(FollowUpOptOut, user.id) is not None
    return render_template(
        "quizzes/campaigns/public/unsubscribe.html", user=user, done=done, form=ActionForm()
    )
