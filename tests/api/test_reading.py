"""The API's serializers write each row as DRF's own `Serializer.to_representation` would (`tongtui.api.reading`
reads the plain columns directly): the same keys, in the same order, with the same values."""

import datetime
import json
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import models
from rest_framework import serializers
from rest_framework.relations import PKOnlyObject
from rest_framework.test import APIRequestFactory

from tongtui.api import fields, reading
from tongtui.api.urls import build_router
from tongtui.dispatch import actions as report_actions
from tongtui.dispatch import actions_cycles
from tongtui.dispatch.models import ReportContribution
from tongtui.dispatch.schedule import Period
from tongtui.plans import actions as plan_actions

ROUTER = build_router()  # every app's api module imported: every serializer of the API defined


def every_serializer() -> list[type[fields.ModelSerializer]]:
    found, todo = [], [fields.ModelSerializer]
    while todo:
        for sub in todo.pop().__subclasses__():
            todo.append(sub)
            if getattr(getattr(sub, "Meta", None), "model", None) is not None and sub.__module__.startswith(
                "tongtui."
            ):
                found.append(sub)
    return sorted(set(found), key=lambda c: f"{c.__module__}.{c.__qualname__}")


def sample(column: models.Field, variant: int) -> object:
    """A value of the column's type; variant 1 a second one (a boolean's other value, another number)."""
    if isinstance(column, models.ForeignKey):
        return 7 + variant
    if isinstance(column, models.BooleanField):
        return variant == 0
    if isinstance(column, models.DateTimeField):
        return datetime.datetime(2026, 3, 1 + variant, 9, 30, tzinfo=ZoneInfo("UTC"))
    if isinstance(column, models.DateField):
        return datetime.date(2026, 3, 31 - variant)
    if isinstance(column, models.TimeField):
        return datetime.time(9, 30 + variant)
    if isinstance(column, models.DecimalField):
        return Decimal("12.5") + variant
    if isinstance(column, (models.IntegerField, models.FloatField)):
        return 42 + variant
    if isinstance(column, models.JSONField):
        return [{"k": "值", "n": variant}]
    if isinstance(column, models.FileField):
        return f"evidence/2026/{variant}.pdf"
    if column.choices:
        return list(column.get_choices(include_blank=False))[variant % len(column.choices)][0]
    return f"第{variant}项 <b>“工作”</b>"


def drf_cell(field: serializers.Field, instance: models.Model) -> tuple[bool, object]:
    """What DRF's `Serializer.to_representation` writes for this field: (written?, value)."""
    try:
        attribute = field.get_attribute(instance)
    except serializers.SkipField:
        return False, None
    empty = attribute.pk if isinstance(attribute, PKOnlyObject) else attribute
    return True, None if empty is None else field.to_representation(attribute)


def made(cls: type[fields.ModelSerializer]) -> fields.ModelSerializer:
    request = APIRequestFactory().get("/api/")
    request.user = None
    return cls(context={"request": request})


@pytest.mark.parametrize(
    "cls", every_serializer(), ids=lambda c: f"{c.__module__.split('.')[1]}.{c.__name__}"
)
def test_each_plain_column_is_written_as_drf_writes_it(cls):
    serializer = made(cls)
    steps = reading.plan(serializer)
    assert [s[0] for s in steps] == [f.field_name for f in serializer._readable_fields]
    model = cls.Meta.model
    for name, how, attname, field, zone in steps:
        if how == reading.GENERAL:
            continue
        column = next(f for f in model._meta.concrete_fields if f.attname == attname)
        values = [sample(column, 0), sample(column, 1)] + ([None] if column.null else [])
        for value in values:
            instance = model()
            setattr(instance, attname, value)
            written, expected = drf_cell(field, instance)
            assert written, name
            got = reading.write([(name, how, attname, field, zone)], instance)
            assert got == {name: expected}, (cls.__name__, name, value)
            assert type(got[name]) is type(expected), (cls.__name__, name, value)


def test_every_way_of_reading_is_met_among_the_api_serializers():
    """The test above checks each way on real fields: none is left unexercised."""
    seen = {step[1] for cls in every_serializer() for step in reading.plan(made(cls))}
    assert seen == {
        reading.GENERAL,
        reading.COLUMN,
        reading.TEXT,
        reading.WHOLE,
        reading.YES_NO,
        reading.DAY,
        reading.MOMENT,
        reading.KEY,
    }


def test_what_drf_reads_its_own_way_stays_so():
    class Odd(fields.ModelSerializer):
        shown_code = serializers.CharField(source="code")  # a column under another name: a plain read
        plan_year = serializers.IntegerField(source="plan.year")  # along a relation
        label = serializers.CharField(source="__str__")  # a method
        whole = serializers.CharField(source="*")  # the row itself
        status_text = serializers.CharField(source="get_status_display")

        class Meta:
            from tongtui.plans.models import Task

            model = Task
            fields = [
                "id",
                "code",
                "shown_code",
                "plan_year",
                "label",
                "whole",
                "status",
                "status_text",
                "plan",
            ]

    how = {step[0]: step[1] for step in reading.plan(made(Odd))}
    assert how == {
        "id": reading.WHOLE,
        "code": reading.TEXT,
        "shown_code": reading.TEXT,
        "plan_year": reading.GENERAL,
        "label": reading.GENERAL,
        "whole": reading.GENERAL,
        "status": reading.COLUMN,  # a choice: DRF's ChoiceField writes it
        "status_text": reading.GENERAL,
        "plan": reading.KEY,
    }


@pytest.fixture
def filed(cast, roadmap):
    """Task A handed out, a monthly cycle, and March's report submitted with unit C's part, so that a task's
    reports and their nested rows are written too."""
    office, liaison = cast.user("office"), cast.user("liaison_a")
    plan_actions.assign_task(cast.task_a, by=office)
    cast.task_a.refresh_from_db()
    actions_cycles.set_report_cycle(by=office, plan=cast.plan, day_of_month=25)
    march = Period(datetime.date(2026, 3, 1), datetime.date(2026, 3, 31), datetime.date(2026, 3, 25))
    report = report_actions.start_or_get_draft(cast.task_a, march, by=liaison)
    report_actions.save_draft(
        report, by=liaison, version=None, progress=Decimal("30"), done="完成立项和规划选址。"
    )
    ReportContribution.objects.create(report=report, unit=cast.unit_c, text="配合完成选址。")
    report_actions.submit_report(report, by=liaison)
    return report


def test_every_list_and_a_task_with_its_reports_answer_the_same_as_drf_writes_them(
    cast, api, filed, monkeypatch
):
    office = api("office")
    urls = [f"/api/{prefix}/" for prefix, _viewset, _basename in ROUTER.registry]
    urls += [f"/api/tasks/{cast.task_a.pk}/?include=reports", f"/api/reports/{filed.pk}/"]

    def answers() -> dict[str, object]:
        out = {}
        for url in urls:
            response = office.get(url)
            if response.status_code == 200:
                out[url] = json.loads(response.content)
        return out

    fast = answers()
    monkeypatch.setattr(
        fields.ModelSerializer, "to_representation", serializers.ModelSerializer.to_representation
    )
    slow = answers()
    assert list(fast) == list(slow)
    for url in fast:
        assert json.dumps(fast[url], ensure_ascii=False) == json.dumps(slow[url], ensure_ascii=False), url
    assert len(fast) >= 30
    # an empty list proves nothing: the lists the cast and the filed report fill are written with rows
    written = {url for url, body in fast.items() if isinstance(body, dict) and body.get("results")}
    assert written >= {
        f"/api/{name}/"
        for name in ("units", "people", "memberships", "plans", "categories", "tasks", "milestones",
                     "indicators", "indicator-values", "report-cycles", "reports", "lights")
    }  # fmt: skip
    task = fast[f"/api/tasks/{cast.task_a.pk}/?include=reports"]
    assert task["reports"][0]["contributions"][0]["text"] == "配合完成选址。"
    assert task["co_units"] == [cast.unit_c.pk]


@pytest.mark.parametrize("zone", ["UTC", "Asia/Shanghai", "America/St_Johns"])
def test_a_moment_is_written_in_the_zone_of_the_request_as_drf_writes_it(zone):
    """Beijing time as +08:00, UTC as Z (DRF's spelling), a half-hour offset as it is; a naive value goes DRF's way."""
    from django.utils import timezone

    from tongtui.dispatch.models import ProgressReport
    from tongtui.dispatch.serializers import ReportSerializer

    with timezone.override(ZoneInfo(zone)):
        serializer = made(ReportSerializer)
        steps = [s for s in reading.plan(serializer) if s[1] == reading.MOMENT]
        assert {s[0] for s in steps} >= {"submitted_at", "signed_off_at", "reviewed_at"}
        for moment in (
            datetime.datetime(2026, 3, 25, 1, 30, 15, 250000, tzinfo=ZoneInfo("UTC")),
            datetime.datetime(2026, 12, 31, 23, 59, tzinfo=ZoneInfo("Asia/Shanghai")),
            datetime.datetime(2026, 3, 25, 9, 30),  # naive
        ):
            report = ProgressReport(submitted_at=moment, signed_off_at=moment, reviewed_at=None)
            got = reading.write(steps, report)
            for name, _how, _attname, field, _zone in steps:
                assert (True, got[name]) == drf_cell(field, report), (zone, moment, name)
        assert got["reviewed_at"] is None


def test_what_is_not_a_row_of_the_model_is_written_drf_s_way():
    """A mapping (a row read as values, a payload echoed back) has no attributes to read: DRF looks its keys up."""
    from tongtui.plans.serializers import PlanSerializer

    row = {"id": 3, "year": 2026, "title": "2026年重点工作", "status": "draft"}
    assert made(PlanSerializer).to_representation(row) == {
        "id": 3,
        "year": 2026,
        "title": "2026年重点工作",
        "status": "draft",
    }
