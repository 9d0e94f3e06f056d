"""Sentences and clauses: the units attribution reads subjects and entities from."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

_SENTENCE = re.compile(r"[^。！？!?\n]+(?:[。！？!?]+[”’」』\"')）]?)?|\n")
_EN_SENTENCE_END = re.compile(r"(?<![A-Z][a-z])(?<!\b[A-Z])(?<=[.!?])[\"”’']?\s+(?=[\"“A-Z0-9])")
_EN_SENTENCE_END_HINT = re.compile(r"[.!?][\"”’']?\s")
_CLAUSE_BREAK = re.compile(r"[，,；;：]|:(?!\d)")
MAX_SENTENCE = 2000  # no real sentence is longer; a cap keeps the per-figure scans of a sentence bounded


@dataclass(frozen=True, slots=True)
class Segments:
    """Sentence boundaries of one text, with paragraph numbers, for offset lookups."""

    text: str
    starts: list[int]
    ends: list[int]
    paragraphs: list[int]

    def index_of(self, offset: int) -> int:
        return max(0, bisect_right(self.starts, offset) - 1)

    def sentence(self, i: int) -> tuple[int, int]:
        return self.starts[i], self.ends[i]

    def sentence_text(self, offset: int) -> str:
        i = self.index_of(offset)
        return self.text[self.starts[i]:self.ends[i]]


def split(text: str) -> Segments:
    starts: list[int] = []
    ends: list[int] = []
    paragraphs: list[int] = []
    paragraph = 0
    # Where an English sentence end can be ('. ' after the full stop): only a run holding one is split further.
    hints = [m.start() + 1 for m in _EN_SENTENCE_END_HINT.finditer(text)]
    for m in _SENTENCE.finditer(text):
        start, end = m.span()
        if text[start] == "\n":
            paragraph += 1
            continue
        i = bisect_left(hints, start)
        pieces = _english_pieces(text, start, end) if i < len(hints) and hints[i] < end else [(start, end)]
        if end - start > MAX_SENTENCE:
            pieces = _capped(pieces)
        for s, e in pieces:
            while s < e and text[s].isspace():
                s += 1
            while e > s and text[e - 1].isspace():
                e -= 1
            if s < e:
                starts.append(s)
                ends.append(e)
                paragraphs.append(paragraph)
    return Segments(text, starts, ends, paragraphs)


def _capped(pieces: list[tuple[int, int]]) -> list[tuple[int, int]]:
    return [(a, min(a + MAX_SENTENCE, e)) for s, e in pieces for a in range(s, e, MAX_SENTENCE)]


def _english_pieces(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Split a run of text further at English sentence ends ('. ' before a capital)."""
    pieces, s = [], start
    for m in _EN_SENTENCE_END.finditer(text, start, end):
        pieces.append((s, m.start()))
        s = m.end()
    pieces.append((s, end))
    return pieces


def clauses(text: str, sent_start: int, sent_end: int) -> list[tuple[int, int]]:
    """Every clause of a sentence, in one pass (the bounds clause_bounds gives each offset)."""
    out, start = [], sent_start
    for m in _CLAUSE_BREAK.finditer(text, sent_start, sent_end):
        if m.group() == "," and 0 < m.start() < len(text) - 1 and text[m.start() - 1].isdigit() \
                and text[m.start() + 1].isdigit():
            continue
        out.append((start, m.start()))
        start = m.end()
    out.append((start, sent_end))
    return out


@dataclass(frozen=True, slots=True)
class Clauses:
    """The clauses of one sentence, for the clause of any offset in it by bisection."""

    bounds: list[tuple[int, int]]
    breaks: list[int]  # where each clause but the last ends

    def at(self, offset: int) -> tuple[int, int]:
        """The same as clause_bounds(text, sent_start, sent_end, offset)."""
        return self.bounds[bisect_left(self.breaks, offset)]


def sentence_clauses(text: str, sent_start: int, sent_end: int) -> Clauses:
    bounds = clauses(text, sent_start, sent_end)
    return Clauses(bounds, [end for _, end in bounds[:-1]])


def clause_bounds(text: str, sent_start: int, sent_end: int, offset: int) -> tuple[int, int]:
    """The clause (between commas, semicolons, colons) of a sentence holding `offset`."""
    start, end = sent_start, sent_end
    for m in _CLAUSE_BREAK.finditer(text, sent_start, sent_end):
        # A comma between digits is a thousands separator, not a clause break.
        if m.group() == "," and 0 < m.start() < len(text) - 1 and text[m.start() - 1].isdigit() \
                and text[m.start() + 1].isdigit():
            continue
        if m.start() < offset:
            start = m.end()
        else:
            end = m.start()
            break
    return start, end
