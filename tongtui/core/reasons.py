"""History change reasons are stored as written, in the language of whoever wrote them; where one is a fixed
phrase of the catalogue (an action's "raised", "category deleted" …) it is shown in the reader's language."""

from functools import cache

from django.utils.translation import gettext, trans_real

SOURCE_LANGUAGE = "zh-hans"  # the language actions usually run in (the middleware puts Chinese first)


@cache
def _msgids() -> dict[str, str]:
    """Chinese phrase -> its English msgid, for the catalogue's fixed phrases (no placeholders, no context)."""
    catalog = trans_real.translation(SOURCE_LANGUAGE)._catalog  # type: ignore[attr-defined]
    found: dict[str, str] = {}
    for msgid, msgstr in catalog.items():
        if isinstance(msgid, str) and msgid and "\x04" not in msgid and "%" not in msgid and msgstr:
            found.setdefault(msgstr, msgid)
    return found


def reason_text(stored: str) -> str:
    """The stored reason in the active language when it is a fixed phrase; otherwise as it was written."""
    if not stored:
        return ""
    return gettext(_msgids().get(stored, stored))
