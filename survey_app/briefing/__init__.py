"""PDF briefings: template context from summaries, chart export, WeasyPrint render.

- ``context``: what a briefing covers and the template context (``build_context``);
- ``findings``: key findings as plain sentences (``key_findings``);
- ``sections``: the tables per question, per workshop and per breakdown group;
- ``method``: the method section, with the small-group protection and its labels;
- ``figures``/``charts``: the dashboard's figures for print, exported by Kaleido;
- ``render``: template folders, sandboxed Jinja, WeasyPrint with ``fetcher``;
- ``digest``: the data hash, a digest of exactly what a briefing prints from;
- ``stamp``: the hash and the build's parameters in the PDF's metadata, signed;
- ``records``/``build``: cache keys, records, and the whole build (``get_briefing``);
- ``verify``: a PDF checked against the data now (``survey-app briefing verify``).

Templates live in ``reports/<name>/`` (``briefing.html``, ``briefing.css``,
``texts.yaml``); users may edit them without touching code.
"""
