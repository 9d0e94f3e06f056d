"""Conformance of `normalize` with Microsoft Recognizers-Text's Chinese specs (MIT licence).

For every expected result in Number/Chinese/NumberModel.json, Number/Chinese/PercentModel.json and
NumberWithUnit/Chinese/CurrencyModel.json, normalizing the result's `Text` must give its `Resolution.value`
(and `isoCurrency` when the spec names one). Prints the pass rate per file and each failure.

Usage: python bench/conformance.py PATH/TO/recognizers-text/Specs [--quiet]

Out of scope (counted as failures, listed here so a reader knows they are deliberate):
- none at present; a case added here must say why.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

from fintech_metrics.parsers.normalize import normalize

FILES = ("Number/Chinese/NumberModel.json", "Number/Chinese/PercentModel.json",
         "NumberWithUnit/Chinese/CurrencyModel.json")


def expected_cases(spec_file: Path) -> list[dict]:
    """(text, value, currency) for every result of every case in one spec file."""
    cases = json.loads(spec_file.read_text("utf-8-sig"))
    out = []
    for case in cases:
        for result in case.get("Results", []):
            res = result["Resolution"]
            out.append({"text": result["Text"], "value": res.get("value"), "currency": res.get("isoCurrency")})
    return out


def check(case: dict) -> str | None:
    """None when normalize agrees with the spec, else what it said."""
    got = normalize(case["text"])
    if "error" in got:
        return got["error"]
    want = case["value"]
    if want is None:
        ok = got["value"] is None
    else:
        ok = got["value"] is not None and math.isclose(float(got["value"]), float(want.rstrip("%")),
                                                       rel_tol=1e-9, abs_tol=1e-12)
    if case["currency"] and got["currency"] != case["currency"]:
        ok = False
    return None if ok else f"got {got['kind']} {got['value']} {got['currency'] or ''}".rstrip()


def run(specs: Path, quiet: bool = False) -> dict[str, float]:
    rates = {}
    for name in FILES:
        cases = expected_cases(specs / name)
        failures = [(c, why) for c in cases if (why := check(c)) is not None]
        rates[name] = 1 - len(failures) / len(cases)
        print(f"{name}: {len(cases) - len(failures)}/{len(cases)} = {rates[name]:.1%}")
        if not quiet:
            for c, why in failures:
                print(f"  FAIL {c['text']!r}: want {c['value']} {c['currency'] or ''}, {why}")
    return rates


def main() -> None:
    ap = argparse.ArgumentParser(description="Pass rate of `normalize` on Recognizers-Text Chinese specs.")
    ap.add_argument("specs", type=Path, help="the Specs folder of a recognizers-text checkout")
    ap.add_argument("--quiet", action="store_true", help="rates only")
    args = ap.parse_args()
    rates = run(args.specs, args.quiet)
    sys.exit(0 if min(rates.values()) >= 0.97 else 1)


if __name__ == "__main__":
    main()
