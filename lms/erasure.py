"""Right to erasure (RGPD art. 17): an administrator erases a person. Their account is emptied
(name, e-mail, password, tokens), the e-mails sent to them are emptied, every plugin removes
what it holds (free-text answers, links), and what aggregates count (choices, scores, completion)
stays, attached to an anonymous account. The erasure is recorded; it cannot be undone."""

from __future__ import annotations

import sqlalchemy as sa

from lms.db import db, utcnow
from lms.mail.models import OutboxMessage
from lms.models import Erasure, User, UserToken
from lms.plugins import get_registry

#: Domain of the replacement addresses (``.invalid`` is reserved: nothing is ever sent there).
ERASED_DOMAIN = "efface.invalid"


class ErasureRefused(Exception):
    """The person may not be erased (already erased, or the administrator themselves)."""


def is_erased(user_id: int) -> bool:
    """Whether the person was erased already."""
    return db.session.scalar(sa.select(Erasure.id).where(Erasure.user_id == user_id)) is not None


def erase(user: User, by_id: int | None, reason: str = "request") -> Erasure:
    """Erase ``user``'s personal data; flushes, the caller commits."""
    if user.id == by_id:
        raise ErasureRefused("self")
    if is_erased(user.id):
        raise ErasureRefused("already")
    get_registry().erase_personal_data(user)
    placeholder = f"efface-{user.id}@{ERASED_DOMAIN}"
    db.session.execute(
        sa.update(OutboxMessage)
        .where(sa.or_(OutboxMessage.user_id == user.id, OutboxMessage.to_addr == user.email))
        .values(to_addr=placeholder, to_name=None, subject="—", body_text="", body_html=None)
        .execution_options(synchronize_session=False)
    )
    db.session.execute(sa.delete(UserToken).where(UserToken.user_id == user.id))
    user.name = f"Personne effacée n° {user.id}"
    user.email = placeholder
    user.password_hash = None
    user.locale = None
    user.last_login_at = None
    user.active = False
    record = Erasure(user_id=user.id, erased_at=utcnow(), erased_by_id=by_id, reason=reason)
    db.session.add(record)
    db.session.flush()
    return record
