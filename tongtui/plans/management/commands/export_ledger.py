from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tongtui.core.system import actor_for_command
from tongtui.plans.access import tasks_visible_to
from tongtui.plans.ledger import write_ledger
from tongtui.plans.models import Plan


class Command(BaseCommand):
    help = "Export a plan year's ledger (台账) of key tasks to .xlsx."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--plan", type=int, required=True, metavar="YEAR", help="Plan year, e.g. 2026.")
        parser.add_argument(
            "-o", "--output", required=True, metavar="FILE.xlsx", help="Where to write the ledger."
        )
        parser.add_argument(
            "--by",
            metavar="USERNAME",
            help="Export only what this user may see (default: the system account, which sees all).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        plan = Plan.objects.filter(year=options["plan"]).first()
        if plan is None:
            raise CommandError(f"There is no plan for {options['plan']}.")
        output = Path(options["output"])
        if output.suffix.lower() != ".xlsx":
            raise CommandError("The ledger is written as .xlsx: give a file name ending in .xlsx.")
        user = actor_for_command(options["by"])
        rows = write_ledger(plan, tasks_visible_to(user), output, viewer=user)
        self.stdout.write(f"{rows} tasks written to {output}")
