"""`normalize`: one expression to kind and value, checked against Recognizers-Text's Chinese specs."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from fintech_metrics.cli import app
from fintech_metrics.parsers.normalize import normalize

ROOT = Path(__file__).resolve().parents[1]
SPECS = Path(__file__).resolve().parent / "fixtures" / "recognizers-text" / "Specs"


def _conformance():
    spec = importlib.util.spec_from_file_location("conformance", ROOT / "bench" / "conformance.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("name", _conformance().FILES)
def test_recognizers_text_pass_rate(name):
    conformance = _conformance()
    cases = conformance.expected_cases(SPECS / name)
    failures = [c["text"] for c in cases if conformance.check(c) is not None]
    assert len(cases) > 30
    assert 1 - len(failures) / len(cases) >= 0.97, failures


@pytest.mark.parametrize("text, kind, value, currency", [
    ("九万四", "number", 94000, None), ("九萬四", "number", 94000, None),
    ("三分之一", "number", 0.333333333333333, None),
    ("一百二十", "number", 120, None), ("壹佰貳拾", "number", 120, None), ("1.2万亿", "number", 1.2e12, None),
    ("4.78萬億", "number", 4.78e12, None), ("１２００", "number", 1200, None), ("１．５", "number", 1.5, None),
    ("負三", "number", -3, None), ("新台幣5兆", "money", 5e12, "TWD"),
    ("百分之二十八", "percent", 28, None), ("28％", "percent", 28, None), ("三成", "percent", 30, None),
    ("两成半", "percent", 25, None), ("兩成半", "percent", 25, None), ("1.47厘", "percent", 1.47, None),
    ("七折", "percent", 70, None), ("3个基点", "points", 0.03, None), ("2.5個百分點", "points", 2.5, None),
    ("１．０７５３美元", "money", 1.0753, "USD"), ("美元6000亿", "money", 6e11, "USD"),
    ("HK$100亿", "money", 1e10, "HKD"), ("港幣100億", "money", 1e10, "HKD"),
    ("人民币3.5万亿元", "money", 3.5e12, "CNY"),
    ("五元三毛", "money", 5.3, "CNY"), ("US$1,200", "money", 1200, "USD"), ("20家银行", "count", 20, None),
])
def test_expressions(text, kind, value, currency):
    got = normalize(text)
    assert (got["kind"], got["currency"]) == (kind, currency)
    assert got["value"] == pytest.approx(value)


@pytest.mark.parametrize("text", ["", "abc", "成", "分之", "又", "点", "1" * 300, "分之" * 90, "负" * 150, "\ud800"])
def test_what_is_not_an_expression_is_an_error(text):
    assert set(normalize(text)) == {"text", "error"}


@given(st.text(max_size=60))
def test_normalize_never_raises(text):
    got = normalize(text)
    assert got["text"] == text
    assert "error" in got or got["kind"] in ("number", "percent", "points", "money", "count")


def test_normalize_command_prints_one_json_object_a_line():
    result = CliRunner().invoke(app, ["normalize"], input="九万四\n百分之二十八\n\n１．０７５３美元\nfoo\n")
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert rows == [
        {"text": "九万四", "kind": "number", "value": 94000, "currency": None},
        {"text": "百分之二十八", "kind": "percent", "value": 28, "currency": None},
        {"text": "１．０７５３美元", "kind": "money", "value": 1.0753, "currency": "USD"},
        {"text": "foo", "error": "not a number, percentage or amount"},
    ]
