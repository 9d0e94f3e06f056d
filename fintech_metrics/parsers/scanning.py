"""Faster whole-text scans with the same matches.

`re` tries a pattern that opens with a look-behind, a word boundary or an optional group at every position of
the text. A pattern that opens with a character class it skips ahead to the next character of the class, in C.
A gate is such a pattern: one character of the class where the slow pattern matches.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

# With IGNORECASE these match ASCII letters too (documented in the `re` module for [a-z]).
_IGNORECASE_EXTRAS = {"i": "İı", "s": "ſ", "k": "K"}


def either_case(letters: str) -> str:
    """Every character that (?i:[letters]) matches, for a character class without the flag."""
    return "".join(dict.fromkeys(
        ch for letter in letters.lower() for ch in letter + letter.upper() + _IGNORECASE_EXTRAS.get(letter, "")))


def initials(words: list[str] | tuple[str, ...]) -> str:
    """The first characters of the words in any case, for a character class."""
    firsts = sorted({w[0] for w in words if w})
    if any(not ch.isascii() and ch.lower() != ch.upper() for ch in firsts):
        return r"\s\S"  # a non-ASCII letter (É) has other cases `re` knows: try every position
    return either_case("".join(ch for ch in firsts if ch.isascii() and ch.isalpha())) + "".join(
        re.escape(ch) for ch in firsts if not (ch.isascii() and ch.isalpha()))


def gate(first_chars: str, *patterns: re.Pattern[str], before: str = "") -> re.Pattern[str]:
    """One character where every pattern matches, found by a scan that skips to the next of `first_chars`.

    first_chars: a character class body holding every character a match can start with.
    before: a cheap look-behind every match start passes, tried before the patterns.
    """
    ahead = "".join(f"(?={_inline_flags(p)})" for p in patterns)
    return re.compile(rf"[{first_chars}]{before}(?<={ahead}[\s\S])")


def _inline_flags(pattern: re.Pattern[str]) -> str:
    if pattern.flags & ~(re.UNICODE | re.IGNORECASE):
        raise ValueError(f"a gated pattern may only ignore case: {pattern.pattern}")
    return f"(?i:{pattern.pattern})" if pattern.flags & re.IGNORECASE else pattern.pattern


def search(gate: re.Pattern[str], pattern: re.Pattern[str], text: str, pos: int, endpos: int
           ) -> re.Match[str] | None:
    """pattern.search(text, pos, endpos), trying `pattern` only where `gate` matches."""
    g = gate.search(text, pos, endpos)
    return None if g is None else pattern.match(text, g.start(), endpos)


def finditer(gate: re.Pattern[str], pattern: re.Pattern[str], text: str) -> Iterator[re.Match[str]]:
    """pattern.finditer(text), trying `pattern` only where `gate` matches (for a pattern that cannot match
    empty text: finditer retries after an empty match, this does not)."""
    pos = 0
    # Each search starts after the last match, as finditer does: a gate tried inside a long match (a run of
    # a million 一) would read the rest of it again at every character.
    while (g := gate.search(text, pos)) is not None:
        m = pattern.match(text, g.start())
        if m is None:  # the gate holds only where the pattern matches
            raise AssertionError(f"gate without a match at {g.start()}")
        yield m
        end, start = m.end(), g.start()
        pos = end if end > start else start + 1
