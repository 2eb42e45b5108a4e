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


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """`demo --reset` (test_demo_reset) wipes the package's shared demo: it runs after every other test here,
    and before the package's demo is rolled back."""
    here = [i for i, item in enumerate(items) if item.nodeid.startswith("tests/demo/")]
    reset = [item for item in items if item.nodeid.startswith("tests/demo/test_demo_reset.py")]
    if not reset:
        return
    last = max(here)
    rest = [item for item in items[: last + 1] if item not in reset]
    items[:] = rest + reset + items[last + 1 :]
