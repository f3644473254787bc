"""Statistical disclosure control for linked tables of counts (pure; no database).

``LinkedCells`` describes every count a reader can get from one linked set of
outputs and how they add up; ``protect`` decides primary and secondary suppression
with linear and integer programming (HiGHS, through ``scipy.optimize.milp``);
``feasible_ranges`` and ``unmet_requirements`` audit a pattern.
"""

from survey_app.disclosure.audit import FeasibleRange, feasible_ranges, unmet_requirements
from survey_app.disclosure.cells import Key, LinkedCells, Status
from survey_app.disclosure.protect import Decision, protect

__all__ = [
    "Decision",
    "FeasibleRange",
    "Key",
    "LinkedCells",
    "Status",
    "feasible_ranges",
    "protect",
    "unmet_requirements",
]
