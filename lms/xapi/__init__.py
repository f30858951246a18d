"""xAPI statements to a learning record store: queued with the event, sent in batches by ``tick``.

Plugins build statements with :func:`lms.xapi.queue.queue_statement` inside the transaction of
the event (a signal handler); ``flask lms tick`` sends them to the LRS configured by
``XAPI_LRS_URL`` (xAPI 1.0.3, HTTP basic auth), with retries. Nothing is queued or sent when no
LRS is configured. May import: ``lms``. Never a plugin.
"""
