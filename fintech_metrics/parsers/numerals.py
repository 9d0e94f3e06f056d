"""Numerals as written in Chinese and English news: Arabic, full-width, Chinese and financial forms."""

from __future__ import annotations

import unicodedata

CN_DIGITS = {
    "零": 0, "〇": 0, "○": 0,
    "一": 1, "壹": 1, "幺": 1,
    "二": 2, "两": 2, "兩": 2, "贰": 2, "貳": 2,
    "三": 3, "叁": 3, "參": 3, "叄": 3,
    "四": 4, "肆": 4,
    "五": 5, "伍": 5,
    "六": 6, "陆": 6, "陸": 6,
    "七": 7, "柒": 7,
    "八": 8, "捌": 8,
    "九": 9, "玖": 9,
}
CN_SMALL_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
CN_BIG_UNITS = {"万": 10**4, "萬": 10**4, "亿": 10**8, "億": 10**8}
CN_NUMERAL_CHARS = "".join([*CN_DIGITS, *CN_SMALL_UNITS, *CN_BIG_UNITS])
MULTIPLIER_CHARS = "十百千万亿萬億拾佰仟"


def parse_chinese(numeral: str) -> int:
    """Value of a Chinese numeral: 一百二十 → 120, 九万四 → 94000, 二〇二五 → 2025.

    >>> parse_chinese("三千五百万"), parse_chinese("一万亿"), parse_chinese("两千")
    (35000000, 1000000000000, 2000)
    """
    if not numeral or any(ch not in CN_NUMERAL_CHARS for ch in numeral):
        raise ValueError(f"not a Chinese numeral: {numeral!r}")
    if all(ch in CN_DIGITS for ch in numeral):  # digit-by-digit form: 二〇二五
        return int("".join(str(CN_DIGITS[ch]) for ch in numeral))
    above_yi = above_wan = section = digit = 0
    last_unit = 1
    after_zero = False
    for ch in numeral:
        if ch in CN_DIGITS:
            digit = CN_DIGITS[ch]
            after_zero = digit == 0
        elif ch in CN_SMALL_UNITS:
            unit = CN_SMALL_UNITS[ch]
            section += (digit or 1) * unit
            digit, last_unit, after_zero = 0, unit, False
        elif CN_BIG_UNITS[ch] == 10**4:
            above_wan = (above_wan + section + digit) * 10**4
            section = digit = 0
            last_unit, after_zero = 10**4, False
        else:
            above_yi = (above_yi + above_wan + section + digit) * 10**8
            above_wan = section = digit = 0
            last_unit, after_zero = 10**8, False
    # 九万四 means 94000, 三千五 3500: a last digit right after a unit counts in the next unit down.
    if digit and last_unit >= 100 and not after_zero and numeral[-2] not in CN_DIGITS:
        digit *= last_unit // 10
    return above_yi + above_wan + section + digit


def parse_arabic(numeral: str) -> float:
    """Value of 1,200 / 1，200 / １２００ / 4.78 / -3.5 (thousands separators dropped)."""
    norm = unicodedata.normalize("NFKC", numeral).replace(",", "").replace("−", "-").replace(" ", "")
    return float(norm)


def parse_number(numeral: str) -> float:
    """Arabic or Chinese digits with optional trailing Chinese multipliers: 4.78万亿, 3千, 一百二十."""
    numeral = numeral.strip()
    negative = numeral[:1] in ("负", "負", "-", "−", "－")
    if negative:
        numeral = numeral[1:]
    head = numeral.rstrip(MULTIPLIER_CHARS) if numeral[:1].isdigit() or numeral[:1] in "０１２３４５６７８９" else ""
    value = parse_arabic(head) * multiplier(numeral[len(head):]) if head else float(parse_chinese(numeral))
    return -value if negative else value


def multiplier(units: str) -> int:
    """万亿 → 10**12, 亿 → 10**8, 千万 → 10**7, '' → 1."""
    factor = 1
    for ch in units:
        factor *= CN_BIG_UNITS.get(ch) or CN_SMALL_UNITS[ch]
    return factor


def tidy(value: float) -> float | int:
    """Whole numbers as int (1200, not 1200.0), others rounded off float noise."""
    if value == int(value) and abs(value) < 2**63:
        return int(value)
    return round(value, 10)
