"""What every benchmark does first: Django on the database it is given, and that database emptied.

A PostgreSQL database is emptied only when its name contains 'bench', so a benchmark pointed at a real
database by mistake refuses instead of flushing it. SQLite benchmarks write a file under bench/out/.
"""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"


def setup_django(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tongtui.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def fresh_database(database_url: str, sqlite_file: Path) -> None:
    """Migrate an empty database: the SQLite file deleted first, a PostgreSQL one flushed after."""
    from django.core.management import call_command

    if database_url.startswith("sqlite"):
        OUT.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{sqlite_file}{suffix}").unlink(missing_ok=True)
    elif "bench" not in database_url.rsplit("/", 1)[-1]:
        sys.exit("Refusing to empty a PostgreSQL database whose name lacks 'bench'.")
    call_command("migrate", verbosity=0)
    if not database_url.startswith("sqlite"):
        call_command("flush", interactive=False, verbosity=0)
