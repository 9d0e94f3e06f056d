"""Figures as English text states them."""

from __future__ import annotations

from .zh import Candidate


def find_figures_en(text: str, published: str | None) -> list[Candidate]:
    return []
