"""The cast with dispatch's setting (tasks assigned, liaison_c of unit C, a co-unit of task_a and the lead of
task_c), plus helpers that write instructions, requests and comments through the actions."""

import datetime

import pytest

from tests.dispatch.conftest import d, fast_password_hashing, media_in_tmp  # noqa: F401  (fixtures)
from tongtui.collaboration import actions, actions_requests, targets
from tongtui.collaboration.models import CoordinationRequest, Instruction

D = datetime.date
TODAY = D(2026, 3, 6)  # a Friday: three working days later is Wednesday 11 March


def instruct(cast, task=None, text="请加快项目前期手续办理,3个工作日内报送进展。", **kw) -> Instruction:
    target = targets.resolve(cast.user("leader"), "task", (task or cast.task_a).pk)
    return actions.instruct(target, by=cast.user("leader"), text=text, today=kw.pop("today", TODAY), **kw)


def ask(cast, **kw) -> CoordinationRequest:
    kw.setdefault("to_unit", cast.unit_c)
    return actions_requests.ask(cast.task_a, by=cast.user("liaison_a"), subject="请提供土地出让收入测算数据",
                                today=kw.pop("today", TODAY), **kw)  # fmt: skip


@pytest.fixture
def en():
    from django.utils import translation

    with translation.override("en"):
        yield
