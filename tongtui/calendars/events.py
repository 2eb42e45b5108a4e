"""What the calendar shows: dated entries of five kinds, and which of them a page or a feed selects.

Plain data; `loader.py` fills it from the database, the pages and `ical.py` render it."""

import datetime
from dataclasses import dataclass, field

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

MILESTONE, REPORT, MEETING, ORDER, CHASE = "milestone", "report", "meeting", "order", "chase"
KINDS: tuple[str, ...] = (MILESTONE, REPORT, MEETING, ORDER, CHASE)
KIND_LABELS: dict[str, Promise] = {
    MILESTONE: _("Milestone"),
    REPORT: _("Report due"),
    MEETING: _("Dispatch meeting"),
    ORDER: _("Rectification deadline"),
    CHASE: _("Chase notice reply due"),
}


@dataclass(frozen=True)
class Event:
    kind: str
    uid: str  # stable across feeds and days: the kind, the object's id (and the report period)
    day: datetime.date
    title: str  # what is due: a milestone's title, a report's period, a meeting's title …
    subject: str  # what it belongs to: the task's code and title, the unit's name
    url: str  # the object's page, a path on this site
    unit: str = ""  # the unit it falls on (short name), for the eye
    time: datetime.time | None = None
    done: bool = False
    overdue: bool = False

    @property
    def kind_label(self) -> str:
        return str(KIND_LABELS[self.kind])

    @property
    def sort_key(self) -> tuple:
        return (self.day, self.time or datetime.time(0), KINDS.index(self.kind), self.subject, self.uid)


@dataclass(frozen=True)
class Mine:
    """A person's own calendar: what falls on their units, what they answer for as leader or responsible
    person, the meetings they chair; for the office also every order, chase and meeting."""

    unit_ids: frozenset[int] = frozenset()
    person_id: int | None = None
    office: bool = False


@dataclass(frozen=True)
class Selection:
    """Filters, all of which must hold (a unit's entries are those of the tasks it leads or co-operates on)."""

    unit_id: int | None = None
    leader_id: int | None = None  # a Person
    category_id: int | None = None
    kinds: frozenset[str] = field(default_factory=lambda: frozenset(KINDS))
    mine: Mine | None = None


def sort(events: list[Event]) -> list[Event]:
    return sorted(events, key=lambda e: e.sort_key)


def by_day(events: list[Event]) -> dict[datetime.date, list[Event]]:
    result: dict[datetime.date, list[Event]] = {}
    for e in sort(events):
        result.setdefault(e.day, []).append(e)
    return result
