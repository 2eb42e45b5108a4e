import datetime

import pytest
from django.db import transaction

from tongtui.demo.build import Result, build_demo

TODAY = datetime.date(2026, 11, 27)


@pytest.fixture(scope="package")
def built(django_db_setup, django_db_blocker) -> Result:
    """One demo build shared by every test of this package (built once per database: it takes minutes); each test
    runs in its own savepoint, all rolled back at the end. Tests here that need no demo live elsewhere."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_demo(year=2026, today=TODAY)
        transaction.set_rollback(True)
