"""Sentences and clauses: the units attribution reads subjects and entities from."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from .memo import last_text

_SENTENCE = re.compile(r"[^。！？!?\n]+(?:[。！？!?]+[”’」』\"')）]?)?")
# An English sentence end: the group `gap` (the quote and white space after the full stop, before a capital). The
# match opens with the full stop itself, so `re` skips ahead to the next one instead of trying every character; no
# end after an initial or a dotted abbreviation ("John F. Kennedy", "Ricoh U.K. Products Ltd").
_EN_SENTENCE_END = re.compile(r"[.!?](?<!\b[A-Z]\.)(?P<gap>[\"”’']?\s+)(?=[\"“A-Z0-9])")
# Opens with the line break itself, not a look-behind: `re` then skips ahead to the next line break.
_SOFT_WRAP = re.compile(r"\n(?<=[A-Za-z0-9,]\n)(?=[a-z0-9(])")
# a hard-wrapped line (newswire wraps at about 70 characters) goes on before a capital as well: "<Ricoh\nU.K. …",
# when the line it ends holds 50 characters or more (_unwrapped). Opens with the line break: a pattern that opens
# with ^ is tried at every character.
_WRAPPED_BEFORE_CAPITAL = re.compile(r"\n(?<=[A-Za-z0-9,&]\n)(?=[A-Z][a-z]*[\s.,'’&-])")
_WRAPPED_LINE = 50
_EN_SENTENCE_END_HINT = re.compile(r"[.!?][\"”’']?\s")
# [，,；;：] or a colon not before a digit (a time, a ratio), written to open with a character class, which `re`
# skips ahead to.
_CLAUSE_BREAK = re.compile(r"[，,；;：:](?<!:(?=\d))")
_CLAUSE_BREAK_CHARS = "，,；;：:"
_DIGIT = re.compile(r"\d")
# A wire story's dateline ("HOUSTON, April 24 -", "HONG KONG, Nov 3 (Reuters) -") says where and when it was filed:
# a sentence of its own, so that its day is not the date of the figures the first sentence states.
_DATELINE = re.compile(r"[A-Z][A-Za-z.'’ -]{1,40}(?:,\s*[A-Z][A-Za-z.'’ -]{1,30})?,\s+"
                       r"(?:(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2}|"
                       r"\d{1,2}\s+(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?)(?:,?\s+\d{4})?"
                       r"(?:\s*\([A-Za-z .]{2,20}\))?\s+[-–—]+\s+")
_DATELINE_REACH = 300  # a dateline opens the story: its title and the first lines
MAX_SENTENCE = 2000  # no real sentence is longer; a cap keeps the per-figure scans of a sentence bounded


@dataclass(frozen=True, slots=True)
class Segments:
    """Sentence boundaries of one text, for offset lookups."""

    text: str
    starts: list[int]
    ends: list[int]

    def index_of(self, offset: int) -> int:
        i = bisect_right(self.starts, offset) - 1  # asked for every figure and metric rule: no call to max()
        return i if i > 0 else 0

    def sentence(self, i: int) -> tuple[int, int]:
        return self.starts[i], self.ends[i]

    def sentence_text(self, offset: int) -> str:
        i = self.index_of(offset)
        return self.text[self.starts[i]:self.ends[i]]


def opens_with_a_dateline(text: str, start: int) -> bool:
    """A wire story's dateline opens text[start:] ("HOUSTON, April 24 - "): its day is when the story was filed."""
    return _DATELINE.match(text, start) is not None


@last_text
def split(text: str) -> Segments:
    """The sentences of `text` (the figure parsers and the metric rules both read them: kept for the last text)."""
    starts: list[int] = []
    ends: list[int] = []
    # newswire wraps its lines: a line break inside a sentence (before a lower-case word or a number) is a space
    # (same length: offsets hold)
    scan = _WRAPPED_BEFORE_CAPITAL.sub(_unwrapped, _SOFT_WRAP.sub(" ", text)) if "\n" in text else text
    # Where an English sentence end can be ('. ' after the full stop): only a run holding one is split further.
    hints = [m.start() + 1 for m in _EN_SENTENCE_END_HINT.finditer(scan)]
    for m in _SENTENCE.finditer(scan):
        start, end = m.span()
        i = bisect_left(hints, start) if hints else 0
        pieces = _english_pieces(scan, start, end) if i < len(hints) and hints[i] < end else [(start, end)]
        if end - start > MAX_SENTENCE:
            pieces = _capped(pieces)
        if start < _DATELINE_REACH and (dl := _DATELINE.match(scan, pieces[0][0], pieces[0][1])) is not None:
            pieces = [(pieces[0][0], dl.end()), (dl.end(), pieces[0][1]), *pieces[1:]]
        for s, e in pieces:
            while s < e and text[s].isspace():
                s += 1
            while e > s and text[e - 1].isspace():
                e -= 1
            if s < e:
                starts.append(s)
                ends.append(e)
    return Segments(text, starts, ends)


def _unwrapped(m: re.Match[str]) -> str:
    """A space for a line break that ends a line of _WRAPPED_LINE characters or more."""
    end = m.start()
    return " " if end - m.string.rfind("\n", 0, end) > _WRAPPED_LINE else "\n"


def _capped(pieces: list[tuple[int, int]]) -> list[tuple[int, int]]:
    return [(a, min(a + MAX_SENTENCE, e)) for s, e in pieces for a in range(s, e, MAX_SENTENCE)]


def _english_pieces(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Split a run of text further at English sentence ends ('. ' before a capital)."""
    pieces, s = [], start
    for m in _EN_SENTENCE_END.finditer(text, max(0, start - 1), end):  # a full stop just before the run
        pieces.append((s, m.start("gap")))
        s = m.end()
    pieces.append((s, end))
    return pieces


def _thousands_comma(text: str, pos: int) -> bool:
    """A comma between digits is a thousands separator, not a clause break."""
    return text[pos] == "," and 0 < pos < len(text) - 1 and text[pos - 1].isdigit() and text[pos + 1].isdigit()


def clauses(text: str, sent_start: int, sent_end: int) -> list[tuple[int, int]]:
    """Every clause of a sentence, in one pass (the bounds clause_bounds gives each offset)."""
    out, start = [], sent_start
    for m in _CLAUSE_BREAK.finditer(text, sent_start, sent_end):
        if _thousands_comma(text, m.start()):
            continue
        out.append((start, m.start()))
        start = m.end()
    out.append((start, sent_end))
    return out


# Not frozen: one is made per sentence with figures, and a frozen dataclass sets each field through
# object.__setattr__ (its lists made it unhashable all the same).
@dataclass(slots=True)
class Clauses:
    """The clauses of one sentence, for the clause of any offset in it by bisection."""

    start: int
    end: int
    break_starts: list[int]  # the breaks between its clauses
    break_ends: list[int]

    def at(self, offset: int) -> tuple[int, int]:
        """The same as clause_bounds(text, start, end, offset)."""
        i = bisect_left(self.break_starts, offset)
        return (self.break_ends[i - 1] if i else self.start,
                self.break_starts[i] if i < len(self.break_starts) else self.end)


def clause_breaks(text: str) -> tuple[list[int], list[int]]:
    """Start and end of every break `clauses` splits a sentence of the text at."""
    # Each break character found with str.find, in C: _CLAUSE_BREAK's scan tests a class at every character.
    found: list[int] = []
    for ch in _CLAUSE_BREAK_CHARS:
        at = text.find(ch)
        while at != -1:
            found.append(at)
            at = text.find(ch, at + 1)
    found.sort()
    last = len(text) - 1
    # What _CLAUSE_BREAK and _thousands_comma leave out: a colon before a digit (\d is isdecimal), a comma
    # between digits.
    starts = [b for b in found if not (
        (text[b] == ":" and b < last and text[b + 1].isdecimal())
        or (text[b] == "," and 0 < b < last and text[b - 1].isdigit() and text[b + 1].isdigit()))]
    return starts, [b + 1 for b in starts]  # a break is one character


def sentence_clauses(text: str, sent_start: int, sent_end: int, breaks: tuple[list[int], list[int]]) -> Clauses:
    """The clauses of a sentence from the text's clause_breaks."""
    starts, ends = breaks
    lo, hi = bisect_left(starts, sent_start), bisect_left(starts, sent_end)
    break_starts, break_ends = starts[lo:hi], ends[lo:hi]
    # Read in the sentence alone, a colon ending it is a break even before a digit (:(?!\d) sees its end).
    if sent_end > sent_start and text[sent_end - 1] == ":" and _DIGIT.match(text, sent_end):
        break_starts.append(sent_end - 1)
        break_ends.append(sent_end)
    return Clauses(sent_start, sent_end, break_starts, break_ends)


def clause_bounds(text: str, sent_start: int, sent_end: int, offset: int) -> tuple[int, int]:
    """The clause (between commas, semicolons, colons) of a sentence holding `offset`."""
    start, end = sent_start, sent_end
    for m in _CLAUSE_BREAK.finditer(text, sent_start, sent_end):
        if _thousands_comma(text, m.start()):
            continue
        if m.start() < offset:
            start = m.end()
        else:
            end = m.start()
            break
    return start, end
