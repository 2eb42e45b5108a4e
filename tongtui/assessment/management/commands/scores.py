import datetime
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tongtui.assessment.export import write_scores
from tongtui.assessment.ledger_db import recompute
from tongtui.assessment.ranking import parse_period
from tongtui.plans.models import Plan


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"Not a date (YYYY-MM-DD): {value}") from None


class Command(BaseCommand):
    help = (
        "Scores (考核) of a plan year: export one row per unit (group, unit, score, rank, points per rule) for a "
        "period to .xlsx, or, without -o, recompute and store the plan's score ledger."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--plan", type=int, required=True, metavar="YEAR", help="Plan year, e.g. 2026.")
        parser.add_argument(
            "--period", metavar="PERIOD", help="2026, 2026-H1, 2026-Q2 or 2026-06 (default: the year)."
        )
        parser.add_argument("--as-of", type=_date, metavar="DATE",
                            help="Score from what was known on this day (computed, the stored ledger untouched).")  # fmt: skip
        parser.add_argument("-o", "--output", metavar="FILE.xlsx", help="Write the scores to this workbook.")

    def handle(self, *args: Any, **options: Any) -> None:
        plan = Plan.objects.filter(year=options["plan"]).first()
        if plan is None:
            raise CommandError(f"There is no plan for {options['plan']}.")
        try:
            period = parse_period(options["period"] or str(plan.year))
        except ValueError as e:
            raise CommandError(str(e)) from None
        if period.start.year != plan.year:
            raise CommandError(f"The period {period.key} is not in {plan.year}.")
        if not options["output"]:
            w = recompute(plan)
            self.stdout.write(
                f"{plan.year}: {w.created} entries added, {w.updated} changed, {w.deleted} removed"
            )
            return
        if options["as_of"] is None:
            recompute(plan)
        Path(options["output"]).write_bytes(write_scores(plan, period, options["as_of"]))
        self.stdout.write(f"Wrote {options['output']} ({plan.year} {period.key})")
