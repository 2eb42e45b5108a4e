"""Each task's traffic light as dispatch shows it (the meeting agenda and pack), filled by supervision.

Dispatch stands below supervision and cannot import it; supervision registers the one source of lights here
(`provide_lights`, from its AppConfig.ready), the same stored light and reason sentences the desk, the task page
and the ledger show. Without a registered source every task is simply without a light.
"""

import datetime
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

RED = "red"
YELLOW = "yellow"


@dataclass(frozen=True)
class LightView:
    """A task's light as shown to people: the colour, its reasons as sentences (worst first), how severe."""

    light: str  # green, yellow, red, blue or grey
    reasons: tuple[str, ...] = ()
    as_of: datetime.date | None = None
    severity: tuple[float, ...] = ()  # larger is worse; compare only lights of the same colour
    planned: float | None = None  # 序时进度 the light compared against
    progress: float | None = None  # the unit's latest reported progress the light judged

    @property
    def reason(self) -> str:
        """The main reason: the first sentence."""
        return self.reasons[0] if self.reasons else ""


# task ids and a language code ("zh-hans", "en") -> the light of every task that has one; set-based.
LightProvider = Callable[[Sequence[int], str], Mapping[int, LightView]]
_provider: list[LightProvider] = []


def provide_lights(provider: LightProvider) -> None:
    """Register the source of lights (supervision does, once)."""
    _provider[:] = [provider]


def lights_of(task_ids: Sequence[int], lang: str = "zh-hans") -> Mapping[int, LightView]:
    if not _provider or not task_ids:
        return {}
    return _provider[0](task_ids, lang)
