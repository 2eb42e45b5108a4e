"""A backup made on one database restores into the other: SQLite → PostgreSQL on the SQLite run, PostgreSQL →
SQLite on the PostgreSQL run. The other database gets the models' tables directly (the schema `migrate` makes,
without replaying every migration, which `makemigrations --check` in CI keeps equal) and the same migration
records, so the restore's schema check is the real one."""

import contextlib
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import dj_database_url
import pytest
from django.apps import apps
from django.db import connection, connections
from django.db.migrations.recorder import MigrationRecorder
from django.db.utils import load_backend

from tests.backup.conftest import files_of, fresh_storage, next_id, rows_of
from tongtui.core.backup import make_backup, restore_backup
from tongtui.orgs.models import Unit

ALIAS = "backup_other"


def _admin_url() -> str:
    url = os.environ.get("TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/tongtui")
    return url.rsplit("/", 1)[0] + "/postgres"


@contextlib.contextmanager
def other_database(tmp_path: Path) -> Iterator[str]:
    created = None
    if connection.vendor == "sqlite":
        psycopg = pytest.importorskip("psycopg")
        created = f"tongtui_backup_{os.getpid()}_{uuid.uuid4().hex[:6]}"
        try:
            with psycopg.connect(_admin_url(), autocommit=True, connect_timeout=3) as admin:
                admin.execute(f'CREATE DATABASE "{created}"')
        except psycopg.OperationalError as e:
            pytest.skip(f"no PostgreSQL to restore into: {e}")
        url = _admin_url().rsplit("/", 1)[0] + "/" + created
    else:
        url = f"sqlite:///{tmp_path / 'other.sqlite3'}"
    conf = connections.configure_settings({"default": dj_database_url.parse(url)})["default"]
    # Not in settings: Django's test case allows connections created on the fly.
    connections[ALIAS] = load_backend(conf["ENGINE"]).DatabaseWrapper(conf, ALIAS)
    try:
        other = connections[ALIAS]
        with other.schema_editor() as editor:
            for model in apps.get_models():
                if model._meta.managed and not model._meta.proxy and not model._meta.swapped:
                    editor.create_model(model)
        recorder = MigrationRecorder(other)
        recorder.ensure_schema()
        for app, name in MigrationRecorder(connection).applied_migrations():
            recorder.record_applied(app, name)
        yield ALIAS
    finally:
        connections[ALIAS].close()
        del connections[ALIAS]
        if created:
            with psycopg.connect(_admin_url(), autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{created}"')


def test_a_backup_restores_into_the_other_database(installation, tmp_path):
    rows, files = rows_of(), files_of()
    make_backup(tmp_path / "b.zip")
    with other_database(tmp_path) as other:
        storage = fresh_storage(tmp_path, "other-media")
        result = restore_backup(tmp_path / "b.zip", using=other, storage=storage)
        assert result.rows == sum(len(r) for r in rows.values())
        assert rows_of(other) == rows
        assert files_of(storage) == files
        gone = Unit.history.filter(name="临时专班").latest("history_id").id
        assert (
            next_id("orgs_unit", other) > gone
        )  # the fresh database's counters start where the backup's stood

        make_backup(tmp_path / "back.zip", using=other, storage=storage)  # and back again, over the original
    restore_backup(tmp_path / "back.zip", force=True)
    assert rows_of() == rows
    assert files_of() == files
