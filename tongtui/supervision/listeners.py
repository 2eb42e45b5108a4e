"""Recompute a task's light after a relevant change in plans or dispatch (derived data only)."""
