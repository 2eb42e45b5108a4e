from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Build the demo district (placeholder until the demo module lands)."

    def handle(self, *args, **options):
        self.stdout.write("demo: not built yet")
