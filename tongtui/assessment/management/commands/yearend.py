from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tongtui.assessment.actions_yearend import freeze_year
from tongtui.assessment.yearend_data import summary
from tongtui.assessment.yearend_files import write_report, write_results
from tongtui.core.errors import ActionError, Conflict, Forbidden
from tongtui.core.system import actor_for_command
from tongtui.plans.models import Plan


class Command(BaseCommand):
    help = (
        "Year-end review (年终评估) of a plan year, for audits: say how many tasks are decided by outcome; "
        "with --freeze, freeze the year's scores (every task must be decided); with -o, write the results "
        "workbook (.xlsx: task outcomes and the year ranking per group) or the report (.docx, GB/T 9704)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--plan", type=int, required=True, metavar="YEAR", help="Plan year, e.g. 2026.")
        parser.add_argument("--freeze", action="store_true", help="Freeze the year's scores first.")
        parser.add_argument("--by", metavar="USERNAME", help="Act as this office user (default: the system).")
        parser.add_argument(
            "-o", "--output", metavar="FILE.docx|FILE.xlsx", help="Write the report or results."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        plan = Plan.objects.filter(year=options["plan"]).first()
        if plan is None:
            raise CommandError(f"There is no plan for {options['plan']}.")
        out = options["output"]
        if out and not out.lower().endswith((".docx", ".xlsx")):
            raise CommandError("The output file must end in .docx or .xlsx.")
        if options["freeze"]:
            try:
                freeze_year(plan, by=actor_for_command(options["by"]))
            except (ActionError, Conflict, Forbidden) as e:
                raise CommandError("; ".join(getattr(e, "messages", None) or [str(e)])) from None
            self.stdout.write(f"{plan.year}: scores frozen")
        s = summary(plan)
        counts = ", ".join(f"{k} {v}" for k, v in s.by_outcome.items())
        frozen = "frozen" if s.freeze else "not frozen"
        self.stdout.write(f"{plan.year}: {s.total} tasks, {s.undecided} to decide, {counts}; scores {frozen}")
        if out:
            data = write_report(plan) if out.lower().endswith(".docx") else write_results(plan)
            Path(out).write_bytes(data)
            self.stdout.write(f"Wrote {out}")
