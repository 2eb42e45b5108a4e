"""Progress-history import (进展台账导入): an office's Excel ledger of past reports -> imported, accepted reports.

cells    pure parsing: percentages in progress text, month and period headers, dates
ledger   blocks of rows (the task-book readers) -> entries: one per task and month, long or wide form
matching entries -> tasks (by code, else title) and report periods, with per-row errors
write    the import action and the all-or-nothing apply (history reason "import_reports <file>")
"""
