"""Administration pages of the host: users and the mail log.

May import: ``lms``. Never a plugin.
"""

from flask import Blueprint

bp = Blueprint("lms_admin", __name__, url_prefix="/admin")

from lms.admin import api_tokens, dashboard, erase, mail_log, users  # noqa: E402,F401 - routes register on import
