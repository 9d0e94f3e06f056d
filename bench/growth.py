"""How extraction time grows with the number of figures in one text: it should be linear.

    python bench/growth.py
"""

from __future__ import annotations

import time

from fintech_metrics.parsers import extract_figures

UNITS = ("超过1家，", "在香港，超过1家，", "香港超过1家", "more than 1 bank, ")
SIZES = (500, 1000, 2000, 4000)


def seconds(text: str, language: str | None) -> float:
    start = time.perf_counter()
    extract_figures(text, language=language)
    return time.perf_counter() - start


def main() -> None:
    print(f"{'repeated unit':<22}" + "".join(f"{n:>10,}" for n in SIZES) + "   ratio 4000/500 (linear: 8)")
    for unit in UNITS:
        language = "en" if unit.isascii() else None
        times = [seconds(unit * n, language) for n in SIZES]
        print(f"{unit!r:<22}" + "".join(f"{t:>9.3f}s" for t in times) + f"   {times[-1] / times[0]:.1f}")


if __name__ == "__main__":
    main()
