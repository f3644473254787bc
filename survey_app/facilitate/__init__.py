"""Facilitators' pages: series and workshops, dashboards, moderation, library, exports.

The workshop domain they call (join codes, create/open/close/delete, queries,
retention) is ``survey_app.workshops``.
"""
