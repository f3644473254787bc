"""Blueprints: login and logout, account administration, series membership.

The account logic they call (roles, series access, sessions, login limits, API
tokens) is ``survey_app.accounts``.
"""
