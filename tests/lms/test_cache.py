"""The small per-worker caches: bounded, least recently used dropped, one per application."""

from __future__ import annotations

from lms import create_app
from lms.cache import LRU, app_cache


def test_the_least_recently_used_entry_is_dropped_beyond_the_size():
    cache = LRU(2)
    cache.put("a", 1)
    cache.put("b", 2)
    assert cache.get("a") == 1  # « a » used: « b » is now the oldest
    cache.put("c", 3)
    assert (cache.get("a"), cache.get("b"), cache.get("c")) == (1, None, 3)
    cache.put("a", 4)  # a new value for a key kept refreshes it
    cache.put("d", 5)
    assert (cache.get("a"), cache.get("c"), cache.get("d")) == (4, None, 5)
    assert len(cache) == 2


def test_each_application_has_its_own(app, tmp_path):
    mine = app_cache("test.cache", 4)
    mine.put("k", "v")
    assert app_cache("test.cache", 4) is mine
    other = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'autre.sqlite'}",
            "SECRET_KEY": "test",
            "INSTANCE_PATH": str(tmp_path / "instance"),
        }
    )
    with other.app_context():
        assert app_cache("test.cache", 4).get("k") is None
