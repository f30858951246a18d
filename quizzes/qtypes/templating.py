"""Template filters of the question templates (registered on the app with the blueprint)."""

from __future__ import annotations

from quizzes.blueprint import bp


@bp.app_template_filter("option_order")
def option_order(entries, options=None, key: str = "key") -> list:
    """``entries`` (dicts with a ``key``) in the order of ``options``; authored order without it.

    Entries missing from ``options`` come last, so a question edited after an attempt started
    still shows every choice.
    """
    entries = [e for e in entries or [] if isinstance(e, dict) and e.get(key) not in (None, "")]
    if not options:
        return entries
    rank = {str(k): n for n, k in enumerate(options)}
    return sorted(entries, key=lambda e: rank.get(str(e[key]), len(rank)))
