"""Numerals as written in Chinese and English news: Arabic, full-width, Chinese and financial forms."""

from __future__ import annotations

import math
import re
import unicodedata
from functools import lru_cache

CN_DIGITS = {
    "零": 0, "〇": 0, "○": 0,
    "一": 1, "壹": 1, "幺": 1,
    "二": 2, "两": 2, "兩": 2, "倆": 2, "俩": 2, "贰": 2, "貳": 2,
    "三": 3, "叁": 3, "參": 3, "叄": 3,
    "四": 4, "肆": 4,
    "五": 5, "伍": 5,
    "六": 6, "陆": 6, "陸": 6,
    "七": 7, "柒": 7,
    "八": 8, "捌": 8,
    "九": 9, "玖": 9,
}
CN_SMALL_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
# 兆 is 10**12 as Hong Kong and Taiwan financial text uses it (新台幣5兆), not the SI mega.
CN_BIG_UNITS = {"万": 10**4, "萬": 10**4, "亿": 10**8, "億": 10**8, "兆": 10**12}
CN_NUMERAL_CHARS = "".join([*CN_DIGITS, *CN_SMALL_UNITS, *CN_BIG_UNITS])
MULTIPLIER_CHARS = "十百千万亿萬億拾佰仟兆"
MAX_DIGITS = 40  # longer digit runs are ids or noise, not amounts
_CN_POINT = re.compile(r"[.．點点](?=[零〇○一二三四五六七八九])")
_TOKEN = re.compile(r"[0-9]+(?:,[0-9]{3})*(?:\.[0-9]+)?|.", re.S)


def parse_chinese(numeral: str) -> int:
    """Value of a Chinese numeral: 一百二十 → 120, 九万四 → 94000, 二〇二五 → 2025.

    >>> parse_chinese("三千五百万"), parse_chinese("一万亿"), parse_chinese("两千")
    (35000000, 1000000000000, 2000)
    """
    if not numeral or any(ch not in CN_NUMERAL_CHARS for ch in numeral):
        raise ValueError(f"not a Chinese numeral: {numeral!r}")
    return int(parse_mixed(numeral))


def parse_mixed(numeral: str) -> float:
    """Chinese units over Chinese or Arabic digits: 3万4000 → 34000, 5亿1万4千6百, 1千零20, 五兆六十二亿."""
    tokens = _numeral_tokens(numeral)
    if all(t in CN_DIGITS for t in tokens):  # digit-by-digit form: 二〇二五
        return _digit_by_digit(tokens)
    tokens = _digit_runs(tokens)
    total, digit, last_unit, after_zero = _sum_units(tokens)
    if digit and _counts_in_unit_below(tokens, last_unit, after_zero):
        digit *= last_unit // 10
    return total + digit


def _numeral_tokens(numeral: str) -> list[str]:
    """The numeral as Arabic digit runs (1,200 / 4.5) and single characters; ValueError if a character is none."""
    tokens = _TOKEN.findall(unicodedata.normalize("NFKC", numeral).replace("，", ","))
    if not tokens or any(len(t) == 1 and t not in CN_NUMERAL_CHARS and not t.isdigit() for t in tokens):
        raise ValueError(f"not a numeral: {numeral!r}")
    return tokens


def _digit_by_digit(tokens: list[str]) -> float:
    """二〇二五 → 2025."""
    if len(tokens) > MAX_DIGITS:
        raise ValueError("digit run too long")
    return float("".join(str(CN_DIGITS[t]) for t in tokens))


def _sum_units(tokens: list[str]) -> tuple[float, float, int, bool]:
    """Digits times their units, summed: (the total but for the last digit, that last digit, the last unit
    read, whether the last digit came right after a zero)."""
    groups: list[tuple[float, int]] = []  # amounts already closed by a big unit, and that unit
    section = digit = 0.0
    last_unit = 1
    after_zero = False
    for t in tokens:
        if t in CN_SMALL_UNITS:
            section += (digit or 1) * CN_SMALL_UNITS[t]
            digit, last_unit, after_zero = 0.0, CN_SMALL_UNITS[t], False
        elif t in CN_BIG_UNITS:
            unit = CN_BIG_UNITS[t]
            amount = section + digit or (0 if groups else 1)
            # 四千五百六十九万八千三百一十一亿, 四万万: smaller groups before a bigger unit are its multiplier.
            while groups and groups[-1][1] <= unit:
                amount += groups[-1][0] * groups.pop()[1]
            groups.append((amount, unit))
            section = digit = 0.0
            last_unit, after_zero = unit, False
        else:
            digit = float(CN_DIGITS[t]) if t in CN_DIGITS else parse_arabic(t)
            after_zero = t in CN_DIGITS and digit == 0
    return sum(a * u for a, u in groups) + section, digit, last_unit, after_zero


def _counts_in_unit_below(tokens: list[str], last_unit: int, after_zero: bool) -> bool:
    """九万四 means 94000, 三千五 3500: a last lone Chinese digit right after a unit of 百 or more (not after a
    zero, 一千零五) counts in the next unit down."""
    return last_unit >= 100 and not after_zero and len(tokens) >= 2 and tokens[-1] in CN_DIGITS \
        and tokens[-2] not in CN_DIGITS and not tokens[-2][:1].isdigit()


def _digit_runs(tokens: list[str]) -> list[str]:
    """三七○○億, 四二四億: a run of three Chinese digits, or of two with a zero, is read digit by digit (a run of
    two without a zero, 三四十, is a vague "thirty or forty" and stays as it was)."""
    out: list[str] = []
    i = 0
    while i < len(tokens):
        j = i
        while j < len(tokens) and tokens[j] in CN_DIGITS:
            j += 1
        run = tokens[i:j]
        if len(run) >= 3 or (len(run) == 2 and any(CN_DIGITS[t] == 0 for t in run) and CN_DIGITS[run[0]] != 0):
            out.append("".join(str(CN_DIGITS[t]) for t in run))
            i = j
        else:
            out.append(tokens[i])
            i += 1
    return out


def parse_arabic(numeral: str) -> float:
    """Value of 1,200 / 1，200 / １２００ / 4.78 / -3.5 (thousands separators dropped)."""
    norm = unicodedata.normalize("NFKC", numeral).replace(",", "").replace("−", "-").replace(" ", "")
    if len(norm) > MAX_DIGITS + 2:
        raise ValueError("digit run too long")
    return float(norm)


def parse_number(numeral: str) -> float:
    """Arabic or Chinese digits with optional trailing Chinese multipliers: 4.78万亿, 3千, 一百二十."""
    numeral = numeral.strip()
    negative = numeral[:1] in ("负", "負", "-", "−", "－")
    if negative:
        numeral = numeral[1:]
    head = numeral.rstrip(MULTIPLIER_CHARS) if numeral[:1].isdigit() or numeral[:1] in "０１２３４５６７８９" else ""
    if head:
        value = parse_arabic(head) * multiplier(numeral[len(head):])
    elif (point := _CN_POINT.search(numeral)) is not None:
        # 四八六六．一七億, 三十六．七五: a whole part, digits after the point, then the multiplier.
        whole, rest = numeral[:point.start()], numeral[point.end():]
        digits = rest.rstrip(MULTIPLIER_CHARS)
        if not digits or any(ch not in CN_DIGITS for ch in digits):
            raise ValueError(f"not a numeral: {numeral!r}")
        fraction = float("0." + "".join(str(CN_DIGITS[ch]) for ch in digits))
        value = (float(parse_chinese(whole)) + fraction) * multiplier(rest[len(digits):])
    else:
        value = float(parse_chinese(numeral))
    return -value if negative else value


def multiplier(units: str) -> int:
    """万亿 → 10**12, 亿 → 10**8, 千万 → 10**7, '' → 1."""
    factor = 1
    for ch in units:
        factor *= CN_BIG_UNITS.get(ch) or CN_SMALL_UNITS[ch]
    return factor


@lru_cache(maxsize=4096)  # the same values recur; equal keys (1, 1.0) give the same answer
def tidy(value: float) -> float | int:
    """Whole numbers as int (1200, not 1200.0), others rounded off float noise."""
    if not math.isfinite(value):
        return value
    value = float(f"{value:.15g}")  # 4.9 * 10**8 is 490000000.00000006 in binary
    if value == int(value) and abs(value) < 2**63:
        return int(value)
    return float(f"{value:.12g}") if abs(value) < 1e-4 else round(value, 10)
