"""The learners of a run one page at a time for the results tables (:mod:`lms.pagination`):
searched by name or e-mail and sorted in SQL, so that a page costs the same with 12 or 5,000
learners. Exports do not use it: they list every learner."""

from __future__ import annotations

import sqlalchemy as sa

from courses.models import CourseRun, Enrolment, EnrolmentStatus
from lms.db import db
from lms.models import User
from lms.pagination import Listing, Page, paginate, search

SORTS = ("name", "email")


def learners_listing(args) -> Listing:
    """What the person asked of the table (query string: page, q, sort, desc)."""
    return Listing.from_args(args, SORTS, "name")


def run_learners_page(run: CourseRun, chosen: Listing) -> Page:
    """One page of (enrolment_id, user_id, name, email) rows, as ``reports.run_learners``."""
    query = (
        sa.select(Enrolment.id, User.id.label("user_id"), User.name, User.email)
        .join(User, User.id == Enrolment.user_id)
        .where(Enrolment.run_id == run.id, Enrolment.status != EnrolmentStatus.WITHDRAWN)
    )
    found = search(chosen.q, User.name, User.email)
    counted = None
    if found is not None:
        query = query.where(found)
    else:  # every enrolment has its user: counted from the enrolments' index alone
        counted = sa.select(Enrolment.id).where(
            Enrolment.run_id == run.id, Enrolment.status != EnrolmentStatus.WITHDRAWN
        )
    # By name from the enrolments' index (``learner_name``): 50 rows read in order, whatever
    # the size of the run; the users are joined for the page's rows only.
    columns = {
        "name": [Enrolment.learner_name, Enrolment.user_id],
        "email": [User.email, User.id],
    }
    return paginate(
        query,
        chosen,
        chosen.order_by(columns),
        fetch=lambda s: db.session.execute(s).all(),
        counted=counted,
    )
