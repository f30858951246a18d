"""Small-count suppression of published counts (statistical disclosure control).

A group of counts (the options of one question) comes with its total (the people who answered).

- A total under ``k`` hides the whole group.
- Primary suppression hides every count between 1 and ``k - 1``.
- Secondary suppression: as long as fewer than two counts are hidden, or the hidden counts add
  up to less than ``k``, the next smallest non-zero published count is hidden too. Then
  « total minus the published counts » only gives the sum of at least two hidden counts, each at
  least 1, and that sum is at least ``k``: no hidden count can be recomputed. If no count is left
  to hide, the total is hidden instead.

Zeros are published (they reveal nobody's answer) and never picked as secondary cells.
"""

from __future__ import annotations

from dataclasses import dataclass

#: The default threshold: no published figure comes from fewer than this many people.
K = 5


@dataclass
class Suppressed:
    """A group after suppression: counts and total, ``None`` where hidden."""

    counts: list[int | None]
    total: int | None


def suppress(counts: list[int], total: int, k: int = K) -> Suppressed:
    """Hide the small counts of a group, and enough others that none can be recomputed."""
    if total < k:
        return Suppressed([None] * len(counts), None)
    hidden = {i for i, n in enumerate(counts) if 0 < n < k}
    if hidden:
        spare = sorted((n, i) for i, n in enumerate(counts) if n > 0 and i not in hidden)
        while spare and (len(hidden) < 2 or sum(counts[i] for i in hidden) < k):
            hidden.add(spare.pop(0)[1])
        if len(hidden) < 2 or sum(counts[i] for i in hidden) < k:
            total = None
    return Suppressed([None if i in hidden else n for i, n in enumerate(counts)], total)


def publishable(count: int | None, k: int = K) -> int | None:
    """A single count (people behind an indicator): itself from ``k`` on, else hidden."""
    return count if count is not None and count >= k else None
