"""Faster whole-text scans with the same matches.

`re` tries a pattern that opens with a look-behind, a word boundary or an optional group at every position of
the text. A pattern that opens with a character class it skips ahead to the next character of the class, in C.
A gate is such a pattern: one character of the class where the slow pattern matches.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

# With IGNORECASE these match ASCII letters too (documented in the `re` module for [a-z]).
_IGNORECASE_EXTRAS = {"i": "İı", "s": "ſ", "k": "K"}


def either_case(letters: str) -> str:
    """Every character that (?i:[letters]) matches, for a character class without the flag."""
    return "".join(dict.fromkeys(
        ch for letter in letters.lower() for ch in letter + letter.upper() + _IGNORECASE_EXTRAS.get(letter, "")))


def any_case_words(words: list[str] | tuple[str, ...]) -> str:
    """The words as an alternation that ignores case as (?i:...) does, each first character written out in every case
    (`re` passes over an alternative that opens with a character other than the text's without entering it, but
    enters every alternative of a (?i:...) alternation to compare its first character)."""
    by_first: dict[str, list[str]] = {}
    for word in words:
        by_first.setdefault(word[0].lower(), []).append(re.escape(word[1:]))
    return "|".join(f"{re.escape(first)}(?i:{'|'.join(rests)})" for letter, rests in sorted(by_first.items())
                    for first in either_case(letter))


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


def finditer(gate: re.Pattern[str], pattern: re.Pattern[str], text: str, pos: int = 0, endpos: int | None = None
             ) -> Iterator[re.Match[str]]:
    """pattern.finditer(text, pos, endpos), trying `pattern` only where `gate` matches (for a pattern that cannot
    match empty text: finditer retries after an empty match, this does not)."""
    if endpos is None:
        endpos = len(text)
    # Each search starts after the last match, as finditer does: a gate tried inside a long match (a run of
    # a million 一) would read the rest of it again at every character.
    while (g := gate.search(text, pos, endpos)) is not None:
        m = pattern.match(text, g.start(), endpos)
        if m is None:  # the gate holds only where the pattern matches
            raise AssertionError(f"gate without a match at {g.start()}")
        yield m
        end, start = m.end(), g.start()
        pos = end if end > start else start + 1


def first_chars(pattern: re.Pattern[str]) -> str | None:
    """A character class body holding every character a match of `pattern` can start with, read from the parsed
    pattern; None when that cannot be told (a match that may start with anything, or be empty). `re` itself skips
    ahead only for a pattern that opens with a case-sensitive literal or class, not for a case-insensitive
    alternation of words (nor one whose first alternative is a class): `gate_of` gives those the skip."""
    from re import _constants as c  # type: ignore[attr-defined]
    from re import _parser  # type: ignore[attr-defined]

    pieces: list[str] = []

    def add_char(code: int, ignore_case: bool) -> bool:
        ch = chr(code)
        if ignore_case and ch.lower() != ch.upper():
            if not ch.isascii():
                return False  # a non-ASCII letter has other cases `re` knows (see initials)
            pieces.append(either_case(ch))
        else:
            pieces.append(re.escape(ch))
        return True

    def firsts(items: list, ignore_case: bool) -> bool:
        for op, av in items:
            if op in (c.AT, c.ASSERT, c.ASSERT_NOT):
                continue  # zero-width: the next item reads the first character
            if op is c.LITERAL:
                return add_char(av, ignore_case)
            if op is c.IN:
                for iop, iav in av:
                    if iop is c.LITERAL:
                        if not add_char(iav, ignore_case):
                            return False
                    elif iop is c.RANGE:
                        lo, hi = iav
                        if ignore_case and any(chr(x).lower() != chr(x).upper() for x in range(lo, hi + 1)):
                            return False
                        pieces.append(f"{re.escape(chr(lo))}-{re.escape(chr(hi))}")
                    elif iop is c.CATEGORY and iav in (c.CATEGORY_DIGIT, c.CATEGORY_SPACE, c.CATEGORY_WORD):
                        pieces.append({c.CATEGORY_DIGIT: r"\d", c.CATEGORY_SPACE: r"\s", c.CATEGORY_WORD: r"\w"}[iav])
                    else:
                        return False
                return True
            if op is c.BRANCH:
                return all(firsts(list(alt), ignore_case) for alt in av[1])
            if op is c.SUBPATTERN:  # (group, flags it adds, flags it removes, items): (?i:...) inside
                _, added, removed, inner = av
                return firsts(list(inner), (ignore_case or bool(added & re.IGNORECASE))
                              and not removed & re.IGNORECASE)
            if op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT) and av[0] >= 1:
                return firsts(list(av[2]), ignore_case)
            return False  # anything else (an optional part, any character, a back-reference): unknown
        return False  # the pattern may match empty text

    if not firsts(list(_parser.parse(pattern.pattern, pattern.flags)), bool(pattern.flags & re.IGNORECASE)):
        return None
    return "".join(dict.fromkeys(pieces))


def gate_of(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """A gate on the characters `pattern` can start with: gate_of(p).search(text, pos, endpos) finds a match where
    p.search does (a one-character match at its start), for a test of whether p occurs; the pattern itself when
    its first characters cannot be told."""
    chars = first_chars(pattern)
    return pattern if chars is None else gate(chars, pattern)


@dataclass(frozen=True, slots=True)
class WordScan:
    """A prefix tree of words (lexicon.trie_pattern) split for English text: `re` skips ahead only to a character a
    word can open with, and with words that open with a lower-case letter that is almost every letter. Those words
    need a word start (no letter or digit before them), so their gate is the character before: a space or a mark."""

    pattern: re.Pattern[str]  # every word
    lower: re.Pattern[str]  # the words that open with a lower-case ASCII letter
    rest: re.Pattern[str]  # the others
    lower_gate: re.Pattern[str]  # a character that is no letter or digit, before a match of `lower`
    # `rest` without its words outside ASCII, for ASCII text (where they cannot occur): after a failed branch `re`
    # still compares the first character of every later one, and most of them open with a CJK character
    ascii_rest: re.Pattern[str]


def word_scan(pattern: re.Pattern[str], lower: str, rest: str, ascii_rest: str) -> WordScan:
    """From the trie of every word, and the trie patterns of those that open with a lower-case ASCII letter, of
    the rest, and of the rest that is ASCII."""
    return WordScan(pattern, re.compile(lower), re.compile(rest), re.compile(rf"[^A-Za-z0-9](?=(?:{lower}))"),
                    re.compile(ascii_rest or "(?!)"))


def word_matches(scan: WordScan, text: str) -> Iterator[re.Match[str]]:
    """scan.pattern.finditer(text): for a text that is mostly ASCII, the lower-case words found at word starts only,
    beside the rest, merged in text order as one finditer would take them (a match inside a taken one is dropped
    and searched again after it)."""
    # In CJK text almost every character would pass the gate; with no lower-case words there is nothing to split.
    if not scan.lower.pattern or len(text.encode("utf-8", "surrogatepass")) > len(text) * 9 // 8:
        yield from scan.pattern.finditer(text)
        return
    rest_pattern = scan.ascii_rest if text.isascii() else scan.rest
    lower = _next_lower(scan, text, 0)
    rest = rest_pattern.search(text)
    while True:
        m = lower if lower is not None and (rest is None or lower.start() < rest.start()) else rest
        if m is None:
            return
        yield m
        pos = m.end()
        if lower is not None and lower.start() < pos:
            lower = _next_lower(scan, text, pos)
        if rest is not None and rest.start() < pos:
            rest = rest_pattern.search(text, pos)


def _next_lower(scan: WordScan, text: str, pos: int) -> re.Match[str] | None:
    """The first match of scan.lower at or after pos (its look-behinds see the text before pos, as finditer's do)."""
    if pos == 0 and (m := scan.lower.match(text)) is not None:
        return m
    g = scan.lower_gate.search(text, max(0, pos - 1))
    return None if g is None else scan.lower.match(text, g.end())
