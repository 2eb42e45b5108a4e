import datetime
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from tongtui.orgs.models import Person
from tongtui.plans.models import Category, Plan
from tongtui.publicity.actions import draft_of
from tongtui.publicity.docx import bulletin_docx
from tongtui.publicity.models import Scope


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"Not a date (YYYY-MM-DD): {value}") from None


class Command(BaseCommand):
    help = (
        "Write a bulletin (通报) of a plan year as a GB/T 9704 .docx, generated from the facts as of a date; "
        "nothing is stored (the office publishes bulletins in the app)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--plan", type=int, required=True, metavar="YEAR", help="Plan year, e.g. 2026.")
        parser.add_argument("--as-of", type=_date, required=True, metavar="DATE", help="The bulletin's date.")
        parser.add_argument("--from", dest="start", type=_date, metavar="DATE",
                            help="Start of the period (default: 1 January of the plan year).")  # fmt: skip
        parser.add_argument(
            "--scope", default="plan", metavar="SCOPE",
            help="plan (default), category:NAME (a category of the plan) or leader:NAME (a leader's tasks).",
        )  # fmt: skip
        parser.add_argument("--ranking-period", metavar="PERIOD",
                            help="A published ranking period to include (default: the latest published).")  # fmt: skip
        parser.add_argument("-o", "--output", required=True, metavar="FILE.docx")

    def handle(self, *args: Any, **options: Any) -> None:
        plan = Plan.objects.filter(year=options["plan"]).first()
        if plan is None:
            raise CommandError(f"There is no plan for {options['plan']}.")
        kind, _sep, name = options["scope"].partition(":")
        category = leader = None
        if kind == Scope.CATEGORY:
            category = Category.objects.filter(plan=plan, name=name.strip()).first()
            if category is None:
                raise CommandError(f"No category {name!r} in {plan.year}.")
        elif kind == Scope.LEADER:
            leader = Person.objects.filter(name=name.strip(), led_tasks__plan=plan).distinct().first()
            if leader is None:
                raise CommandError(f"No leader {name!r} with tasks in {plan.year}.")
        elif kind != Scope.PLAN:
            raise CommandError("--scope is plan, category:NAME or leader:NAME.")
        try:
            b = draft_of(plan, start=options["start"] or datetime.date(plan.year, 1, 1), as_of=options["as_of"],
                         scope=kind, category=category, leader=leader, ranking_period=options["ranking_period"])  # fmt: skip
        except ValidationError as e:
            raise CommandError(" ".join(e.messages)) from None
        Path(options["output"]).write_bytes(bulletin_docx(b))
        self.stdout.write(f"Wrote {options['output']} ({b.title})")
