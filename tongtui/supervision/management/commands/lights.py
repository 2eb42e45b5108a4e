import datetime
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tongtui.plans.models import Plan, Task
from tongtui.supervision.export import write_lights
from tongtui.supervision.facts_db import today
from tongtui.supervision.recompute import recompute_plan


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"Not a date (YYYY-MM-DD): {value}") from None


class Command(BaseCommand):
    help = (
        "Traffic lights (红黄绿灯) of a plan year as known on a date: export one row per task to .xlsx, "
        "or, without -o, recompute and store today's lights."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--plan", type=int, required=True, metavar="YEAR", help="Plan year, e.g. 2026.")
        parser.add_argument(
            "--as-of",
            type=_date,
            metavar="DATE",
            help="Use only what was known on this day (default: today).",
        )
        parser.add_argument("-o", "--output", metavar="FILE.xlsx", help="Write the lights to this workbook.")

    def handle(self, *args: Any, **options: Any) -> None:
        plan = Plan.objects.filter(year=options["plan"]).first()
        if plan is None:
            raise CommandError(f"There is no plan for {options['plan']}.")
        as_of = options["as_of"] or today()
        output = options["output"]
        if output is None:
            counts = recompute_plan(plan, as_of)
            summary = ", ".join(f"{k} {v}" for k, v in sorted(counts.items())) or "no tasks"
            self.stdout.write(f"Lights of {plan.year} as of {as_of}: {summary}")
            return
        path = Path(output)
        if path.suffix.lower() != ".xlsx":
            raise CommandError("The lights are written as .xlsx: give a file name ending in .xlsx.")
        title = f"{plan.title} · 红黄绿灯 · {as_of.isoformat()}"
        rows = write_lights(Task.objects.filter(plan=plan), as_of, path, title=title)
        self.stdout.write(f"{rows} tasks written to {path}")
