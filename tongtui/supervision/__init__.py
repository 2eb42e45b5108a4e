"""Supervision (督查): traffic lights, forecasts, integrity signals, and later the office's orders.

Only the pure computations live here so far, in `tongtui.supervision.signals`; the Django app
(models, actions, views) comes later and feeds them from set-based queries.
"""
