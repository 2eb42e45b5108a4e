"""An installation worth backing up, and ways to compare two of them row by row and file by file.

`installation`: the cast's plan with both tasks assigned (history rows), a monthly cycle, unit A's accepted March
report with a photo and a Word file as evidence, a meeting with its pack, a rectification order with a file, a
practice with a photo, a unit created and deleted (its id lives on in history only), an API token, a group with
permissions, a task import with its binary content, a background task result and a login attempt."""

import datetime
import io
import shutil
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.files.storage import FileSystemStorage, Storage, default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connections, transaction
from django.test import override_settings
from django.utils import timezone

from tests.conftest import Cast
from tongtui.core.backup import make_backup, media
from tongtui.core.backup.tables import MIGRATE_MADE, counts, tables

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def docx_bytes(text: str = "会议材料") -> bytes:
    import docx

    doc = docx.Document()
    doc.add_paragraph(text)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def build(cast: Any) -> Any:
    from axes.models import AccessAttempt
    from django_tasks_db.models import DBTaskResult
    from rest_framework.authtoken.models import Token

    from tongtui.dispatch import actions, actions_cycles, actions_meetings
    from tongtui.dispatch.schedule import Period
    from tongtui.orgs import actions as org_actions
    from tongtui.orgs.models import Unit
    from tongtui.plans import actions as plan_actions
    from tongtui.plans.models import TaskImport
    from tongtui.publicity import actions_practices
    from tongtui.supervision import actions_orders

    office, liaison = cast.user("office"), cast.user("liaison_a")
    for task in (cast.task_a, cast.task_c):
        plan_actions.assign_task(task, by=office)
    actions_cycles.set_report_cycle(by=office, plan=cast.plan, day_of_month=25)
    march = Period(datetime.date(2026, 3, 1), datetime.date(2026, 3, 31), datetime.date(2026, 3, 25))
    report = actions.start_or_get_draft(cast.task_a, march, by=liaison)
    actions.save_draft(report, by=liaison, version=report.version, progress=Decimal("30.5"), done="完成项目立项",
                       next_steps="开工建设", problems="用地指标紧张")  # fmt: skip
    actions.add_attachment(report, by=liaison, file=SimpleUploadedFile("现场照片.png", PNG))
    actions.add_attachment(report, by=liaison, file=SimpleUploadedFile("立项批复.docx", docx_bytes("批复")))
    actions.submit_report(report, by=cast.user("head_a"))
    actions.accept_report(report, by=office)

    meeting = actions_meetings.create_meeting(by=office, plan=cast.plan, date=datetime.date(2026, 4, 8),
                                              time=datetime.time(14, 30), title="一季度调度会", chair=cast.leader)  # fmt: skip
    actions_meetings.store_pack(meeting, docx_bytes("一季度调度会材料"), by=office)

    order = actions_orders.issue_order(by=office, plan=cast.plan, unit=cast.unit_a, problem="进度滞后",
                                       requirement="十个工作日内整改", workdays=10, task=cast.task_a)  # fmt: skip
    actions_orders.add_order_file(order, by=liaison, file=SimpleUploadedFile("整改报告.png", PNG + b"order"))

    practice = actions_practices.create_practice(
        by=liaison,
        unit=cast.unit_a,
        plan=cast.plan,
        kind="practice",
        title="“周调度”推进机制",
        summary="每周一调度。",
        body="建立周调度机制。",
        tasks=[cast.task_a],
    )
    actions_practices.add_photo(practice, by=liaison, file=SimpleUploadedFile("现场.png", PNG + b"photo"))

    gone = org_actions.create_unit(by=office, name="临时专班", kind="department", parent=cast.district)
    Unit.objects.filter(pk=gone.pk).delete()

    Token.objects.create(user=office)
    group = Group.objects.create(name="督查组")
    group.permissions.set(Permission.objects.filter(codename__startswith="view_")[:5])
    cast.office.user.groups.add(group)
    TaskImport.objects.create(plan=cast.plan, filename="任务分解表.xlsx", content=b"PK\x03\x04\x00\xffbinary",
                              unit_mapping={"发改局": cast.unit_a.pk, "财政局": None},
                              summary={"rows": 2, "b": [1, 2.5, "三"], "a": {"z": 1, "y": None}})  # fmt: skip
    DBTaskResult.objects.create(
        id=uuid.UUID("12345678-1234-5678-1234-567812345678"),
        status="SUCCEEDED",
        args_kwargs={"args": [1], "kwargs": {}},
        priority=0,
        task_path="tongtui.dispatch.tasks.sweep",
        queue_name="default",
        backend_name="default",
        run_after=timezone.now(),
        return_value={"sent": 3},
        exception_class_path="",
        traceback="",
    )
    AccessAttempt.objects.create(username="leader", ip_address="127.0.0.1", user_agent="test", failures_since_start=3,
                                 get_data="", post_data="", http_accept="*/*", path_info="/login/")  # fmt: skip
    return cast


@dataclass
class Built:
    cast: Any
    media: Path
    archive: Path


@pytest.fixture(scope="package")
def built(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[Built]:
    """The installation built once for the package, with its backup; each test runs in a savepoint of it."""
    media_root = tmp_path_factory.mktemp("media")
    archive = tmp_path_factory.mktemp("backup") / "tongtui.zip"
    fast = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media_root, PASSWORD_HASHERS=fast):
        with transaction.atomic():
            cast = build(Cast())
            make_backup(archive)
            yield Built(cast, media_root, archive)
            transaction.set_rollback(True)


@pytest.fixture
def installation(built, db, settings, tmp_path):
    """The built installation, its media copied into this test's own folder."""
    shutil.copytree(built.media, tmp_path / "media")
    settings.MEDIA_ROOT = tmp_path / "media"
    return built.cast


@pytest.fixture
def archive(built, installation) -> Path:
    """The installation's backup (made before the test: the test may change the installation at will)."""
    return built.archive


def rows_of(using: str = "default") -> dict[str, list[tuple]]:
    """Every table's rows as Python values, in primary-key order."""
    out: dict[str, list[tuple]] = {}
    all_tables = tables()
    present = counts(all_tables, connections[using])  # one query; the empty tables need no more
    for table in all_tables:
        if not present[table.name]:
            out[table.name] = []
            continue
        attnames = [f.attname for f in table.fields]
        rows = table.model._base_manager.using(using).values_list(*attnames)
        values = [tuple(bytes(v) if isinstance(v, memoryview) else v for v in row) for row in rows]
        out[table.name] = sorted(values, key=lambda r: r[0])
    return out


def files_of(storage: Storage | None = None) -> dict[str, bytes]:
    storage = storage or default_storage
    out = {}
    for name in media.walk(storage):
        with storage.open(name, "rb") as f:
            out[name] = f.read()
    return out


def wipe_installation(using: str = "default") -> None:
    """What a freshly migrated database holds: content types and permissions only (and, on SQLite, where it is
    part of the transaction, id counters back at zero; PostgreSQL's would outlive the test's rollback)."""
    connection = connections[using]
    present = counts(tables(), connection)
    with connection.cursor() as cursor:
        for name, n in present.items():
            if n and name not in MIGRATE_MADE:
                cursor.execute(f"DELETE FROM {connection.ops.quote_name(name)}")
        if connection.vendor == "sqlite":
            cursor.execute("UPDATE sqlite_sequence SET seq = 0")


def next_id(table: str, using: str = "default") -> int:
    """The id the database would give the table's next row."""
    connection = connections[using]
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
            row = cursor.fetchone()
            return (row[0] if row else 0) + 1
        cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id'))", [table])
        return cursor.fetchone()[0]


def fresh_storage(tmp_path: Path, name: str) -> FileSystemStorage:
    return FileSystemStorage(location=tmp_path / name)
