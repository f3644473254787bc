"""Participants: join by code, answer the questionnaire, see the thank-you page.

Reading and storing answers is ``survey_app.responses``.
"""
