"""Small in-memory caches of a worker, for what only changes on import or edit (a course's
outline, a question's HTML for the same inputs): least recently used entries dropped, keyed
by everything the cached value depends on, so an entry is never stale — only unused.

Each application keeps its own (``app.extensions``): tests with several apps do not share.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable
from threading import Lock

from flask import current_app


class LRU:
    """A bounded dict dropping its least recently used entry, with a lock (the development
    server and gunicorn's threaded workers serve requests in threads)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.items: OrderedDict[Hashable, object] = OrderedDict()
        self.lock = Lock()

    def get(self, key: Hashable):
        """The value kept for ``key``, or None."""
        with self.lock:
            found = self.items.get(key)
            if found is not None:
                self.items.move_to_end(key)
            return found

    def put(self, key: Hashable, value: object) -> None:
        """Keep ``value`` for ``key``, dropping the oldest entries beyond the size."""
        with self.lock:
            self.items[key] = value
            self.items.move_to_end(key)
            while len(self.items) > self.size:
                self.items.popitem(last=False)

    def __len__(self) -> int:
        return len(self.items)


def app_cache(name: str, size: int) -> LRU:
    """The current application's cache ``name`` (created with ``size`` entries at first use)."""
    extensions = current_app.extensions
    found = extensions.get(name)
    if found is None:
        found = extensions.setdefault(name, LRU(size))
    return found
