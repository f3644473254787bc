"""Instrument files: reading YAML with line numbers, validating, building ``Instrument``."""

from survey_app.instruments.errors import InstrumentProblem, InvalidInstrument
from survey_app.instruments.model import Instrument, Question, Section
from survey_app.instruments.parse import parse_instrument_file, parse_instrument_text

__all__ = [
    "Instrument",
    "InstrumentProblem",
    "InvalidInstrument",
    "Question",
    "Section",
    "parse_instrument_file",
    "parse_instrument_text",
]
