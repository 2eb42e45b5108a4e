"""Pure supervision signals over plain data: no Django, no database.

- `days`: time axes (calendar days, or working days from any `is_workday` callable)
- `facts`: the input dataclasses (TaskFacts, MilestoneFact, ReportFact, EscalationFact, CycleFact, IndicatorFact)
- `trajectory`: the planned trajectory from start and milestones
- `forecast`: earned schedule, SPI(t), forecast finish and its sentence
- `lights`: traffic lights with configurable rules and their reasons
- `warning`: early warning of milestones that will slip (expected slip, unit records of claims, risk words)
- `flags`, `integrity`, `indicators`, `textsim`: integrity signals and task risk ranking; `textsim` also the
  report form's check against pre-filled text and last period's report
- `texts`: the Chinese and English sentences of all of the above
"""
