import pytest
from django.db import transaction

from tongtui.demo.build import Result, build_demo


@pytest.fixture(scope="module")
def built(django_db_setup, django_db_blocker) -> Result:
    """A demo of its own: `demo --reset` restarts the database's id sequences, which a rollback does not undo on
    PostgreSQL, so it must not share the package-wide demo of tests/demo. Built for today, as the command
    rebuilds it, so that the rebuild can be compared with it."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_demo(year=2026)
        transaction.set_rollback(True)
