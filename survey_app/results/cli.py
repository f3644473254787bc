"""``survey-app audit``: what a reader of every output could work out of each hidden count."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from survey_app.database import read_transaction
from survey_app.disclosure import Status
from survey_app.extensions import db
from survey_app.results.audit import audit_selection, describe_cell
from survey_app.results.selection import SelectionError, WorkshopOptions, workshop_options
from survey_app.results.settings import ResultSettings

LABELS = {
    Status.SMALL: "fewer than k",
    Status.PROTECTS: "protects a small group",
    Status.WITHHELD: "not shown",
}


def _bound(value: float | None) -> str:
    return "?" if value is None else f"{value:g}"


@click.command("audit")
@workshop_options
@click.option("--all", "show_all", is_flag=True, help="Print every hidden cell, not only problems.")
@click.option(
    "--integer", is_flag=True, help="Exact ranges in whole numbers (integer programming; slower)."
)
@with_appcontext
def audit_command(chosen: WorkshopOptions, show_all: bool, integer: bool) -> None:
    """Print each hidden count's feasible range from every output a viewer can get.

    Ranges are those of linear programming, as tau-ARGUS's audit computes them;
    ``--integer`` computes them in whole numbers, which can only be narrower.

    Exit status 1 if a count of 1 to k-1 can be narrowed below 1..k-1, or an answer
    every member of a group gave can be told.
    """
    with read_transaction(db.session):
        try:
            selection = chosen.select(db.session())
        except SelectionError as exc:
            raise click.UsageError(str(exc)) from None
        settings = ResultSettings.for_selection(current_app.config, selection)
        audits = audit_selection(db.session(), selection, settings, integer)
    failed = False
    for audit in audits:
        k = audit.decision.k
        counts = audit.counts()
        click.echo(
            f"workshops {', '.join(map(str, audit.decision.table.workshop_ids))}: k = {k}, "
            f"{len(audit.decision.status)} cells: {counts[Status.SHOWN]} shown, "
            f"{counts[Status.SMALL]} fewer than k, {counts[Status.PROTECTS]} protecting, "
            f"{counts[Status.WITHHELD]} not shown, "
            f"{counts[Status.UNPUBLISHED]} below a hidden total or implied"
        )
        for entry in audit.ranges:
            if show_all or entry.exposed:
                verdict = "EXPOSED" if entry.exposed else "ok"
                click.echo(
                    f"  {describe_cell(entry.key)} [{LABELS.get(entry.status, '')}] "
                    f"range {_bound(entry.low)}..{_bound(entry.high)} {verdict}"
                )
        for requirement in audit.unmet:
            key = audit.decision.table.cells.keys[requirement.cell]
            click.echo(
                f"  {describe_cell(key)}: requirement not met ({requirement.sense} "
                f"{requirement.bound:g})"
            )
        small = [r for r in audit.ranges if r.status == Status.SMALL]
        click.echo(
            f"  {len(small)} hidden small counts, each with a range reaching 1..{k - 1}"
            if audit.protected
            else f"  NOT PROTECTED: {len(audit.exposed)} exposed, {len(audit.unmet)} unmet"
        )
        failed = failed or not audit.protected
    if failed:
        raise SystemExit(1)
