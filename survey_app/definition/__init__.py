"""The instrument definition: the immutable model of a questionnaire, its checks and sources.

``model`` (Instrument, Section, Question, Option, Text, text_in), ``checker`` (Checker),
``source`` (Path, read_yaml) and ``errors`` (InstrumentProblem, InvalidInstrument). It knows
no question type: ``survey_app.questions`` builds on it, ``survey_app.instruments`` parses
files into it.
"""
