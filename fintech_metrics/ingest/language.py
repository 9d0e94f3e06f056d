"""The language of a text from its scripts: zh-Hans, zh-Hant, en or und."""

from __future__ import annotations

import re
from functools import cache

from .decoding import script_chars


@cache
def _script_pattern(key: str) -> re.Pattern[str]:
    return re.compile("[" + "".join(re.escape(ch) for ch in sorted(script_chars()[key])) + "]")


# Runs, not single characters: findall then builds one string per word instead of one per letter.
_IDEOGRAPH_RUNS = re.compile("[\u4e00-\u9fff\u3400-\u4dbf\uf900-\ufaff\U00020000-\U0003134f]+")
_ASCII_LETTERS = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
# Every other character that may be a letter (letters are word characters; digits and _ are not letters).
_OTHER_WORD = re.compile("[^\\W\\d_A-Za-z\u4e00-\u9fff\u3400-\u4dbf\uf900-\ufaff\U00020000-\U0003134f]")


def detect_language(text: str) -> str:
    """"zh-Hans", "zh-Hant", "en" or "und", from script shares and script-only characters."""
    # Counted with regexes and bytes methods, not a Python loop over every character: this runs on every article.
    encoded = text.encode("utf-8", "surrogatepass")
    latin = len(encoded) - len(encoded.translate(None, _ASCII_LETTERS))
    if text.isascii():  # no letter but A-Z and a-z (a third of the benchmark's articles): no other count to make
        return "en" if latin >= 2 else "und"
    ideographs = sum(map(len, _IDEOGRAPH_RUNS.findall(text)))
    others = [ch for ch in _OTHER_WORD.findall(text) if ch.isalpha()]
    kana = sum(1 for ch in others if 0x3040 <= ord(ch) <= 0x30FF)
    letters = latin + len(others)
    total = ideographs + letters
    if total == 0:
        return "und"
    if kana >= 0.1 * total:
        return "und"  # Japanese: kanji would otherwise pass for Chinese
    if ideographs >= 0.2 * total:
        simplified = len(_script_pattern("simplified_only").findall(text))
        traditional = len(_script_pattern("traditional_only").findall(text))
        return "zh-Hant" if traditional > simplified else "zh-Hans"
    if latin >= 2 and latin >= 0.8 * letters:
        return "en"
    return "und"
