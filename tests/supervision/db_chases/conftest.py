"""Fixtures of the chase notices' tests, over the shared cast."""

import datetime

import pytest

from tongtui.supervision import actions_chases as chases


@pytest.fixture
def chase(cast):
    """A chase notice to unit A about its task, issued on 2026-09-30 (before the National Day holiday)."""
    return chases.issue_chase(
        by=cast.user("office"),
        plan=cast.plan,
        unit=cast.unit_a,
        tasks=[cast.task_a],
        subject="9月进度未报送",
        content="你单位9月份进度至今未报送，请说明原因并立即补报。",
        issued_on=datetime.date(2026, 9, 30),
    )
