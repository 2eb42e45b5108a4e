"""What waits for someone: a pile of work (a count, the list behind it, the most urgent few items).

Plain data shared by the apps that load piles (dispatch, supervision) and the home pages that show them.
"""

from dataclasses import dataclass, field
from typing import Any

TOP = 8  # items shown on a home page; the count links to all of them


@dataclass
class Item:
    label: str  # what: "1.2 地区生产总值…", "督办〔2026〕3号 …"
    url: str
    detail: str = ""  # whose, which period
    deadline: Any = None  # a dispatch.acknowledging.Deadline, or None
    tag: str = ""  # a short mark such as "Returned"
    tag_css: str = "text-bg-secondary"


@dataclass
class Pile:
    key: str
    title: str
    count: int
    url: str  # the filtered list behind the count
    items: list[Item] = field(default_factory=list)
    urgent: int = 0  # how many of them are past their deadline
    note: str = ""
    rows: list[dict[str, Any]] = field(default_factory=list)  # a small table instead of items (by unit)
