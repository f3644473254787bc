"""Workshops and series: join codes, create/open/close/delete, queries, retention.

``operations`` changes series and workshops (they flush and write the audit log; the
caller commits); the model (``models.workshop``) refuses a state transition it does
not allow. ``queries`` are read-only look-ups, ``joining`` makes join links and QR
codes, ``retention`` deletes and purges responses, ``cli`` is ``survey-app purge``.
"""
