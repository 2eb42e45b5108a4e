"""Fixtures of the supervision records' tests, over the shared cast."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tongtui.supervision import actions_orders as orders

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(name: str = "整改报告.pdf", body: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, body, content_type="application/pdf")


@pytest.fixture
def order(cast):
    """A rectification order to unit A on its task, issued on 2026-09-30 for 3 working days."""
    return orders.issue_order(
        by=cast.user("office"),
        plan=cast.plan,
        unit=cast.unit_a,
        task=cast.task_a,
        problem="项目进度滞后,佐证材料不全",
        requirement="补齐佐证材料并加快进度",
        workdays=3,
        issued_on=datetime.date(2026, 9, 30),
    )


@pytest.fixture
def admonition(cast):
    return orders.schedule_admonition(
        by=cast.user("office"),
        plan=cast.plan,
        unit=cast.unit_a,
        tasks=[cast.task_a],
        reason="连续两个月进度滞后",
        scheduled_for=datetime.date(2026, 10, 12),
        talked_by="王副区长",
        talked_with="区发改局局长 李局长",
    )


@pytest.fixture
def accountability(cast, order):
    return orders.record_accountability(
        by=cast.user("office"),
        plan=cast.plan,
        unit=cast.unit_a,
        task=cast.task_a,
        order=order,
        kind="criticism",
        persons="某某",
        decided_by="区纪委监委",
        decided_on=datetime.date(2026, 11, 2),
        decision="给予通报批评",
    )
