"""Parser cases as data: every line of tests/cases/*.jsonl is one text and the figures expected from it.

A case is a JSON object:
  text        the input (a sentence written for the project, never text from a corpus or the dev set)
  published   optional, the article's published date (ISO 8601 at the precision known)
  language    optional, zh-Hans, zh-Hant or en (default: read as Chinese)
  region      optional, whose money a bare 元, $ or dollar is (HK, TW, CN, SG, IN, US, ...)
  kinds       optional, compare only the figures of these kinds
  skip_kinds  optional, compare all figures but those of these kinds
  figures     the figures expected, in text order: each an object of Figure fields (surface, start, end, kind,
              value, unit, currency, qualifier, change, value_from, subject, entity, as_of, ...); only the
              fields given are compared, null meaning None, and the list must match in length
  group       a label (zh.date, zh.change, ...) for the test id and for reading the file
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from fintech_metrics.parsers import extract_figures
from fintech_metrics.records import Figure

CASES = Path(__file__).parent / "cases"
CASE_KEYS = {"group", "text", "published", "language", "region", "kinds", "skip_kinds", "figures"}
FIGURE_KEYS = {f.name for f in dataclasses.fields(Figure)}


def _cases() -> list:
    out = []
    for path in sorted(CASES.glob("*.jsonl")):
        for n, line in enumerate(path.read_text("utf-8").splitlines(), 1):
            if line.strip():
                case = json.loads(line)
                out.append(pytest.param(case, id=f"{path.stem}:{n}:{case.get('group', '')}"))
    return out


ALL = _cases()


def test_the_case_files_are_well_formed():
    assert len(ALL) >= 200
    for param in ALL:
        case = param.values[0]
        assert set(case) <= CASE_KEYS and {"text", "figures"} <= set(case), param.id
        assert all(set(f) <= FIGURE_KEYS and f for f in case["figures"]), param.id


@pytest.mark.parametrize("case", ALL)
def test_case(case):
    text = case["text"]
    figures = extract_figures(text, published=case.get("published"), language=case.get("language"),
                              region=case.get("region"))
    assert all(text[f.start:f.end] == f.surface for f in figures)
    if "kinds" in case:
        figures = [f for f in figures if f.kind in case["kinds"]]
    if "skip_kinds" in case:
        figures = [f for f in figures if f.kind not in case["skip_kinds"]]
    expected = case["figures"]
    assert len(figures) == len(expected), [f.surface for f in figures]
    assert [{k: getattr(f, k) for k in want} for f, want in zip(figures, expected, strict=True)] == expected
