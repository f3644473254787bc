"""Participants: join by code, answer the questionnaire, see the thank-you page."""
