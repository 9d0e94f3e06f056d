"""The record every parser returns before attribution: a figure's span and what it says.

Shared by the Chinese (`zh`) and English (`en`) parsers and by `attribution`, which turns each into a
`Figure` with its subject, entity and as-of date.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(slots=True)
class Candidate:
    """A figure before attribution: where it is and what it says."""

    start: int
    end: int
    kind: str
    value: float | int | str
    unit: str | None = None
    currency: str | None = None
    qualifier: str = "exact"
    change: str | None = None
    value_from: float | int | str | None = None
    rule: str = ""
    noun: str | None = None  # the measured noun read after a measure word
    date_cue: str | None = None
    from_after: bool = False  # the earlier value ends the span ("to 9.61 billion dlrs from 8.57 billion")
    cue_before: str | None = None  # the qualifier cue written before the number (约, 超过), which a list shares
