"""Instrument files: parsing with the question types, snapshots, uploads, XLSForm, diffs."""

from survey_app.instruments.parse import parse_instrument_file, parse_instrument_text

__all__ = ["parse_instrument_file", "parse_instrument_text"]
