"""Pure supervision signals over plain data: no Django, no database.

- `days`: time axes (calendar days, or working days from any `is_workday` callable)
- `facts`: the input dataclasses (TaskFacts, MilestoneFact, ReportFact, EscalationFact, CycleFact, IndicatorFact)
- `trajectory`: the planned trajectory from start and milestones
- `forecast`: earned schedule, SPI(t), forecast finish and its sentence
- `lights`: traffic lights with configurable rules and their reasons
- `flags`, `integrity`, `indicators`, `textsim`: integrity signals and task risk ranking
- `texts`: the Chinese and English sentences of all of the above
"""
