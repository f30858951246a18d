"""What a long-lived server process does once it has built the application.

A gunicorn worker builds the application once (models, mappers, templates, translation
catalogs, the curriculum's outlines: hundreds of thousands of objects that live as long as the
process) and then serves thousands of requests, each allocating and dropping tens of thousands
of small objects. CPython's cyclic garbage collector walks its young generation every 700 net
allocations and, now and then, every object of the process: on a staff page of 50 learners that
was ~5 % of the request (the progress grid: ~1 ms a request in ~1,500 young and ~140 middle
collections per 100 requests). :func:`settle` moves what exists after start-up out of the
collector's reach (:func:`gc.freeze`) and makes young collections rarer; reference counting
still frees almost everything at once, the collector only ever finds cycles.
"""

from __future__ import annotations

import gc

from flask import Flask

#: Net allocations between two young collections (CPython's default is 700).
YOUNG_THRESHOLD = 5_000


def settle(app: Flask) -> bool:
    """Tune the garbage collector for serving ``app`` unless ``LMS_GC_TUNING`` is false; return
    whether it did. Called by ``wsgi.py`` (the entry point gunicorn loads), not by
    :func:`lms.create_app`: tests, the CLI and scripts keep CPython's defaults."""
    if not app.config.get("LMS_GC_TUNING", True):
        return False
    gc.collect()
    gc.freeze()
    young, middle, old = gc.get_threshold()
    gc.set_threshold(max(young, YOUNG_THRESHOLD), middle, old)
    return True
