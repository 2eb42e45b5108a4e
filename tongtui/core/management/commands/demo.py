import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from tongtui.demo.build import build_demo


class Command(BaseCommand):
    help = "Build the demo district (units, people, a plan year of key tasks brought to today) and print its logins."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--year", type=int, default=timezone.localdate().year, help="Plan year (default: this year)."
        )
        parser.add_argument(
            "--as-of",
            type=datetime.date.fromisoformat,
            metavar="YYYY-MM-DD",
            help="Bring the plan to this day instead of today (a training set as it stood on that day).",
        )
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Wipe all domain data (units, people, plans, tasks, history) and build again.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        result = build_demo(year=options["year"], reset=options["reset"], today=options["as_of"])
        counts = result.counts
        if result.built:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Demo district built in {result.seconds:.1f} s: {counts['units']} units, {counts['people']} people, "
                    f"{counts['tasks']} tasks, {counts['milestones']} milestones, {counts['indicators']} indicators "
                    f"(plan {result.year})."
                )
            )
        else:
            self.stdout.write(
                f"The {result.year} plan is already there ({counts['tasks']} tasks); nothing rebuilt. "
                "Use --reset to wipe and rebuild."
            )
        self.stdout.write("\nDemo logins (username / password):")
        for username, password, role, person in result.logins:
            unit = person.unit.label if person.unit else ""
            login = f"{username} / {password}"
            self.stdout.write(f"  {role:<20}{login:<30}{person.name} · {unit} {person.title}")
