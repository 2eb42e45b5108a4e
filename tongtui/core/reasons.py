"""History change reasons are stored as written, in the language of whoever wrote them; where one is a phrase of
the catalogue (an action's "raised", "report accepted: %(report)s" …) it is shown in the reader's language."""

import re
from functools import cache, lru_cache

from django.utils.translation import get_language, gettext, trans_real

SOURCE_LANGUAGE = "zh-hans"  # the language actions usually run in (the middleware puts Chinese first)
_NAMED = re.compile(r"%\((\w+)\)s")
MIN_LITERAL = 5  # "%(name)s完成" would read any "…完成" as that phrase


@cache
def _phrases() -> tuple[dict[str, str], list[tuple[re.Pattern[str], str]]]:
    """Chinese phrase -> English msgid for fixed phrases; (pattern, msgid) for phrases with %(name)s values."""
    catalog = trans_real.translation(SOURCE_LANGUAGE)._catalog  # type: ignore[attr-defined]
    fixed: dict[str, str] = {}
    patterns: list[tuple[re.Pattern[str], str]] = []
    for msgid, msgstr in catalog.items():
        if not isinstance(msgid, str) or not msgid or "\x04" in msgid or not msgstr:
            continue
        if "%" not in msgid:
            fixed.setdefault(msgstr, msgid)
        else:
            patterns += [(pattern, msgid) for text in (msgstr, msgid) if (pattern := _pattern(text))]
    return fixed, patterns


def _pattern(text: str) -> re.Pattern[str] | None:
    """A regex matching `text` with its %(name)s values filled in; None when it has other placeholders, a name
    twice, or too little fixed text to tell it from free text."""
    names = _NAMED.findall(text)
    literal = _NAMED.sub("", text)
    if not names or "%" in literal or len(names) != len(set(names)) or len(literal.strip()) < MIN_LITERAL:
        return None
    parts = _NAMED.split(text)  # text, name, text, name, …
    regex = "".join(re.escape(p) if i % 2 == 0 else f"(?P<{p}>.+?)" for i, p in enumerate(parts))
    return re.compile(regex + r"\Z")


def reason_text(stored: str) -> str:
    """The stored reason in the active language when it is a catalogue phrase; otherwise as it was written."""
    if not stored:
        return ""
    return _reason_text(stored, get_language() or "")


@lru_cache(maxsize=4096)
def _reason_text(stored: str, language: str) -> str:
    fixed, patterns = _phrases()
    if stored in fixed:
        return gettext(fixed[stored])
    for pattern, msgid in patterns:
        m = pattern.match(stored)
        if m:
            return gettext(msgid) % m.groupdict()
    return gettext(stored)
