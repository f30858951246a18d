"""Row links built once per page give exactly the URLs ``url_for`` gives."""

import pytest
from flask import url_for

from lms.urls import url_builder


def test_row_links_are_those_of_url_for(app):
    with app.test_request_context("/"):
        link = url_builder("courses.admin_enrolment_resend", "enrolment_id", run_id=12)
        for enrolment_id in (1, 12, 987, 4_000_000):
            assert link(enrolment_id) == url_for(
                "courses.admin_enrolment_resend", run_id=12, enrolment_id=enrolment_id
            )
        learner = url_builder("courses.trainer_learner", "user_id", run_id=3)
        assert learner(45) == url_for("courses.trainer_learner", run_id=3, user_id=45)


def test_a_row_link_takes_only_whole_numbers(app):
    with app.test_request_context("/"):
        link = url_builder("courses.trainer_learner", "user_id", run_id=3)
        with pytest.raises(ValueError):
            link("1/../../admin")
