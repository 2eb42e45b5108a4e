"""`tongtui integrity --plan YEAR [--as-of DATE] -o FILE.xlsx`: one row per integrity flag, as known that day."""

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from tongtui.orgs.models import Unit
from tongtui.plans.models import Plan
from tongtui.supervision import integrity_db
from tongtui.supervision.exports import write_xlsx
from tongtui.supervision.models import FlagKindChoice

HEADERS = ("任务编号", "任务名称", "单位", "期间", "类型", "强度", "原因")


class Command(BaseCommand):
    help = "Export the integrity flags of a plan year, computed with only what was known on a date."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--plan", type=int, required=True, help="Plan year, e.g. 2026.")
        parser.add_argument("--as-of", type=datetime.date.fromisoformat, default=None, help="YYYY-MM-DD")
        parser.add_argument("-o", "--output", required=True, help="The .xlsx file to write.")
        parser.add_argument(
            "--save", action="store_true", help="Also store the flags for the office to verify."
        )

    def handle(
        self, *args: Any, plan: int, as_of: datetime.date | None, output: str, save: bool, **kw: Any
    ) -> None:
        try:
            plan_row = Plan.objects.get(year=plan)
        except Plan.DoesNotExist:
            raise CommandError(f"No plan for {plan}.") from None
        run = integrity_db.run_integrity(plan_row, as_of or timezone.localdate())
        tasks = integrity_db.task_codes({f.task_id for f in run.flags if f.task_id is not None})
        units = {
            u.pk: u.label for u in Unit.objects.filter(pk__in={f.unit_id for f in run.flags if f.unit_id})
        }
        labels = dict(FlagKindChoice.choices)
        rows = []
        for f in run.flags:
            code, title, lead = tasks.get(f.task_id or 0, ("", "", ""))
            unit = units.get(
                f.unit_id or 0, lead
            )  # the unit that filed the flagged report, else the lead unit
            rows.append(
                (
                    code,
                    title,
                    unit,
                    f.period,
                    str(labels.get(f.kind.value, f.kind.value)),
                    f.strength,
                    f.text(),
                )
            )
        with open(output, "wb") as out:
            write_xlsx(out, f"{plan} {run.as_of:%Y-%m-%d}", HEADERS, rows)
        if save:
            counts = integrity_db.store(run, prune=run.as_of >= timezone.localdate())
            self.stdout.write(f"stored: {counts}")
        self.stdout.write(f"{len(rows)} flags as of {run.as_of:%Y-%m-%d} written to {output}")
