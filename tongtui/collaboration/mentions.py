"""@mentions in a comment, pure: an @ (or a full-width ＠) followed by a person's name. Chinese names have no
space after them (“@张联络请补充”), so the longest known name that the text continues with wins."""

from collections.abc import Iterable

AT = ("@", "＠")
LONGEST = 20  # a person's name is shorter than this (orgs.Person.name allows 50; nobody's is that long)
STOP = set(" \t\r\n,，.。;；:：!！?？、()（）[]【】<>《》\"'“”‘’@＠")


def _tails(text: str) -> list[str]:
    """What follows each @, up to a stop character or LONGEST characters."""
    out = []
    for i, ch in enumerate(text):
        if ch not in AT:
            continue
        tail = []
        for c in text[i + 1 : i + 1 + LONGEST]:
            if c in STOP:
                break
            tail.append(c)
        if tail:
            out.append("".join(tail))
    return out


def candidates(text: str) -> set[str]:
    """Every string that could be a name mentioned: the prefixes of what follows each @ (for one lookup)."""
    return {tail[:k] for tail in _tails(text) for k in range(1, len(tail) + 1)}


def mentioned(text: str, names: Iterable[str]) -> list[str]:
    """The names mentioned, in the order of the text, each once: after each @ the longest known name."""
    known = set(names)
    out: list[str] = []
    for tail in _tails(text):
        for k in range(len(tail), 0, -1):
            if tail[:k] in known:
                if tail[:k] not in out:
                    out.append(tail[:k])
                break
    return out
