"""Backup and restore of a whole installation: every table's rows and every uploaded file, in one archive that
restores on SQLite and PostgreSQL alike (`tongtui backup`, `tongtui restore`; docs/backup.md)."""

from .archive import FORMAT_VERSION, BackupError
from .make import BackupResult, make_backup
from .restore import RestoreResult, restore_backup

__all__ = ["FORMAT_VERSION", "BackupError", "BackupResult", "RestoreResult", "make_backup", "restore_backup"]
