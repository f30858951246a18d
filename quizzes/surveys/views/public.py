"""The pages respondents reach without signing in: the questionnaire behind a personal link,
the public link (one answer per browser, remembered by a signed cookie), and unsubscribing.

Nothing in the request points at an answer: a personal link finds its recipient by the hash of
its token, the public link its campaign, and a browser's attempt comes from a signed cookie
checked against that campaign's anonymous account.
"""

from __future__ import annotations

from flask import current_app, make_response, redirect, render_template, request, url_for
from itsdangerous import BadSignature, URLSafeSerializer

from lms.db import db
from lms.errors import csrf
from quizzes.blueprint import bp
from quizzes.campaigns.forms import ActionForm
from quizzes.campaigns.tokens import read_optout_token
from quizzes.campaigns.views.public import check_unsubscribe_post
from quizzes.models import Attempt, AttemptState, Channel
from quizzes.surveys import answering
from quizzes.surveys.mailing import OPTOUT_SALT
from quizzes.surveys.models import Respondent, SurveyOptOut
from quizzes.surveys.scheduling import opt_out
from quizzes.taking import attempts as service
from quizzes.taking.pages import attempt_items

_COOKIE_SALT = "parcours-survey-browser"
TEMPLATES = "quizzes/surveys/public/"


def refused(reason: str, campaign=None, respondent=None):
    """The clear page of a link that does not open the questionnaire (404, 403 or 410)."""
    page = render_template(
        TEMPLATES + "refused.html", reason=reason, campaign=campaign, respondent=respondent
    )
    return page, answering.STATUS[reason]


def _page(campaign, attempt, action: str, missing=(), status: int = 200, respondent=None):
    items = attempt_items(attempt, missing={q.id for q in missing})
    page = render_template(
        TEMPLATES + "answer.html",
        campaign=campaign,
        instrument=campaign.instrument,
        respondent=respondent,
        items=items,
        missing=[i for i in items if i.missing],
        action=action,
    )
    return page, status


@bp.route("/enquete/<token>", methods=["GET", "POST"])
def survey_link(token: str):
    """A recipient's questionnaire. POST ``action=save`` keeps the answers, ``submit`` sends."""
    respondent = answering.find_respondent(token)
    reason = answering.respondent_problem(respondent)
    if reason:
        return refused(reason, respondent.campaign if respondent else None, respondent)
    campaign, action = respondent.campaign, url_for("quizzes.survey_link", token=token)
    if request.method == "GET":
        attempt = respondent.attempt or answering.blank_attempt(campaign)
        return _page(campaign, attempt, action, respondent=respondent)
    try:
        attempt = answering.respondent_attempt(respondent)
        service.save_answers(attempt, request.form)
        if request.form.get("action") != "submit":
            db.session.commit()
            return redirect(action, 303)
        missing = answering.submit(campaign.id, attempt)
    except service.AttemptRefused:
        db.session.rollback()
        return refused(answering.ANSWERED, campaign, respondent)
    except answering.CampaignFull:
        db.session.rollback()
        return refused(answering.campaign_problem(campaign) or answering.FULL, campaign)
    if missing:
        db.session.commit()
        return _page(campaign, attempt, action, missing, 422, respondent)
    answering.mark_answered(respondent)
    db.session.commit()
    return redirect(url_for("quizzes.survey_link_thanks", token=token), 303)


@bp.route("/enquete/<token>/merci")
def survey_link_thanks(token: str):
    """Thanks, once a recipient's answers are sent."""
    respondent = answering.find_respondent(token)
    if respondent is None:
        return refused(answering.UNKNOWN)
    if respondent.answered_at is None:
        return redirect(url_for("quizzes.survey_link", token=token))
    return render_template(TEMPLATES + "thanks.html", campaign=respondent.campaign)


def _cookie_name(campaign) -> str:
    return f"enquete-{campaign.id}"


def _browser_attempt(campaign) -> Attempt | None:
    """This browser's attempt at the campaign, from its signed cookie (None if none)."""
    raw = request.cookies.get(_cookie_name(campaign))
    if not raw:
        return None
    try:
        attempt_id = URLSafeSerializer(_secret(), salt=_COOKIE_SALT).loads(raw)
    except BadSignature:
        return None
    attempt = db.session.get(Attempt, attempt_id) if isinstance(attempt_id, int) else None
    if attempt is None or attempt.user_id != campaign.owner_id:
        return None
    return attempt


def _secret() -> str:
    return current_app.config["SECRET_KEY"]


def _remember(response, campaign, attempt: Attempt):
    """Set the cookie naming this browser's attempt (for the campaign's link only)."""
    value = URLSafeSerializer(_secret(), salt=_COOKIE_SALT).dumps(attempt.id)
    response.set_cookie(
        _cookie_name(campaign),
        value,
        max_age=400 * 24 * 3600,
        httponly=True,
        samesite="Lax",
        path=request.path,
        secure=request.is_secure,
    )
    return response


@bp.route("/enquete-publique/<token>", methods=["GET", "POST"])
def survey_public(token: str):
    """The public questionnaire: anyone may answer, once per browser, until the close or cap."""
    campaign = answering.find_public(token)
    attempt = _browser_attempt(campaign) if campaign else None
    thanks = url_for("quizzes.survey_public_thanks", token=token)
    if attempt is not None and attempt.state != AttemptState.IN_PROGRESS:
        return redirect(thanks, 303)
    reason = answering.campaign_problem(campaign)
    if reason:
        return refused(reason, campaign)
    action = url_for("quizzes.survey_public", token=token)
    if request.method == "GET":
        return _page(campaign, attempt or answering.blank_attempt(campaign), action)
    attempt = attempt or answering.new_attempt(campaign, Channel.WEB)
    try:
        service.save_answers(attempt, request.form)
        missing = (
            answering.submit(campaign.id, attempt)
            if request.form.get("action") == "submit"
            else None
        )
    except answering.CampaignFull:
        db.session.rollback()
        return refused(answering.campaign_problem(campaign) or answering.FULL, campaign)
    db.session.commit()
    if missing is None:
        response = make_response(redirect(action, 303))
    elif missing:
        page, status = _page(campaign, attempt, action, missing, 422)
        response = make_response(page, status)
    else:
        response = make_response(redirect(thanks, 303))
    return _remember(response, campaign, attempt)


@bp.route("/enquete-publique/<token>/merci")
def survey_public_thanks(token: str):
    """Thanks, once this browser's answers are sent."""
    campaign = answering.find_public(token)
    if campaign is None:
        return refused(answering.UNKNOWN)
    attempt = _browser_attempt(campaign)
    if attempt is None or attempt.state == AttemptState.IN_PROGRESS:
        return redirect(url_for("quizzes.survey_public", token=token))
    return render_template(TEMPLATES + "thanks.html", campaign=campaign)


@bp.route("/enquete-desinscription/<token>", methods=["GET", "POST"])
@csrf.exempt
def survey_unsubscribe(token: str):
    """No more survey e-mails for this address: a page with a button (POST with CSRF token),
    or the one-click POST of mail clients (RFC 8058), which the signed token alone authorises."""
    respondent_id = read_optout_token(token, OPTOUT_SALT)
    respondent = db.session.get(Respondent, respondent_id) if respondent_id else None
    if respondent is None:
        return refused(answering.UNKNOWN)
    if request.method == "POST":
        check_unsubscribe_post()
        opt_out(respondent.email)
        db.session.commit()
        done = True
    else:
        done = db.session.get(SurveyOptOut, respondent.email) is not None
    return render_template(
        TEMPLATES + "unsubscribe.html", respondent=respondent, done=done, form=ActionForm()
    )
