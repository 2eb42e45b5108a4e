"""Announcements from plans to the apps above it (floors: plans never imports them).

Only for derived data that can always be recomputed from scratch.
"""

from django.dispatch import Signal

# Sent inside the writing transaction with task_ids=[...] when tasks were written without save signals
# (bulk import). Receivers defer their work to after commit.
tasks_changed = Signal()
