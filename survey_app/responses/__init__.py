"""Responses: reading a posted questionnaire into answer rows, and storing it exactly once.

``answers`` reads a posted form with the question types (and back, for editing);
``operations`` stores responses, idempotent by ``submission_id``; ``forms`` is the
fixed part of the participant form (shared by the questionnaire and its preview).
"""
