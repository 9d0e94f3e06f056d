"""Bytes -> text: UTF-8, UTF-16, GB18030 or Big5, told apart by what the text looks like; binary refused."""

from __future__ import annotations

import codecs
import tomllib
from functools import cache
from importlib import resources

_CONTROL_BYTES = bytes(b for b in range(32) if b not in b"\t\n\x0b\x0c\r") + b"\x7f"
CONTROL_CHARS = frozenset(chr(b) for b in _CONTROL_BYTES)
_MAX_CONTROL_SHARE = 0.05  # more control bytes than this and it is not a text file
_MIN_UTF16_NUL_SHARE = 0.02  # share of 2-byte units whose high byte is NUL (ASCII in UTF-16)
# ASCII read as UTF-16 gives code points whose two bytes are both printable ASCII ("Bush hid the
# facts"); real Chinese has about a quarter of those, byte-paired ASCII nearly all.
_MAX_ASCII_PAIR_SHARE = 0.6
_MIN_PLAUSIBLE_SHARE = 0.90  # share of decoded chars that must look like text



class DecodeError(ValueError):
    """The bytes are not text in a supported encoding; `check` names the failed check."""

    def __init__(self, reason: str, check: str = "decodable", values: dict | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.check = check
        self.values = values




def _normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _plausible(ch: str) -> bool:
    """Does this character look like it belongs in a news article (ASCII, CJK, common scripts)?"""
    cp = ord(ch)
    if cp < 0x80:
        return ch in "\t\n\r\x0c" or 0x20 <= cp < 0x7F
    return (
        0xA0 <= cp <= 0x52F  # Latin-1, Latin Extended, IPA, Greek, Cyrillic
        or 0x2000 <= cp <= 0x2BFF  # punctuation, currency, letterlike, arrows, maths, symbols
        or 0x2E80 <= cp <= 0x9FFF  # CJK radicals, punctuation, kana, CJK ideographs
        or 0xF900 <= cp <= 0xFAFF
        or 0xFE30 <= cp <= 0xFE4F
        or 0xFF00 <= cp <= 0xFFEF  # fullwidth forms
        or 0x1F000 <= cp <= 0x1FAFF  # emoji
        or 0x20000 <= cp <= 0x3134F  # CJK extensions B-G
    )


def _control_check(data: bytes | str, what: str) -> None:
    if isinstance(data, str):
        controls = sum(1 for ch in data if ch in CONTROL_CHARS)
        first = next((i for i, ch in enumerate(data) if ch in CONTROL_CHARS), -1) if controls else -1
    else:
        controls = len(data) - len(data.translate(None, _CONTROL_BYTES))
        first = next((i for i, b in enumerate(data) if b in _CONTROL_BYTES), -1) if controls else -1
    if controls and controls > _MAX_CONTROL_SHARE * len(data):
        share = controls / len(data)
        raise DecodeError(
            f"binary file: {share:.0%} of the {what} are control characters "
            f"(first at offset {first}); only text files can be loaded",
            "not_binary",
            {"control": controls, "total": len(data), "first_offset": first},
        )


def _guess_utf16(data: bytes) -> tuple[str, str] | None:
    """UTF-16 without a BOM: NULs pile up at odd (LE) or even (BE) offsets, and the text reads."""
    units = len(data) // 2
    if units == 0 or len(data) % 2:
        return None
    even, odd = data[0::2].count(0), data[1::2].count(0)
    for encoding, high, low in (("utf-16-le", odd, even), ("utf-16-be", even, odd)):
        # The other parity gets NULs only from characters like U+4E00 "一"; binary gets them on both.
        if high >= max(2, _MIN_UTF16_NUL_SHARE * units) and low <= 0.5 * high:
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError:
                continue
            if "\x00" in text:
                continue
            sample = text[:200_000]
            wide = [ord(ch) for ch in sample if ord(ch) >= 0x100]
            ascii_pairs = sum(1 for cp in wide if 0x20 <= cp >> 8 <= 0x7E and 0x20 <= cp & 0xFF <= 0x7E)
            if ascii_pairs > _MAX_ASCII_PAIR_SHARE * len(wide):
                continue
            if sum(map(_plausible, sample)) >= _MIN_PLAUSIBLE_SHARE * len(sample):
                return text, encoding
    return None


@cache
def script_chars() -> dict[str, frozenset[str]]:
    raw = resources.files("fintech_metrics").joinpath("ingest_data", "script_chars.toml").read_text("utf-8")
    table = tomllib.loads(raw)
    return {key: frozenset(table[key]) for key in ("simplified_only", "traditional_only", "common")}


@cache
def _level1(encoding: str) -> frozenset[str]:
    """The frequently used hanzi of a legacy charset: GB2312 level 1, or Big5 level 1 (A440-C67E)."""
    if encoding == "gb18030":
        leads, trails = range(0xB0, 0xD8), range(0xA1, 0xFF)
    else:
        leads, trails = range(0xA4, 0xC7), [*range(0x40, 0x7F), *range(0xA1, 0xFF)]
    chars = (bytes((lead, trail)).decode(encoding, "ignore") for lead in leads for trail in trails)
    return frozenset(ch for ch in chars if ch)


# Punctuation that text in either legacy charset is full of. Each one's GB18030 bytes read as Big5 give a
# symbol (“ A1B0 reads as ※) and its Big5 bytes read as GB18030 give another or a private-use character,
# so it tells the codecs apart in text with no hanzi at all (English with curly quotes, a list of figures).
_FREQUENT_PUNCTUATION = frozenset("“”‘’、。，！？：；（）《》「」『』…—·")


def _cjk_score(text: str, encoding: str) -> int:
    """Frequent hanzi and punctuation in a decode: text read with the right codec is full of them,
    mojibake is not."""
    chars = script_chars()
    frequent = chars["common"] | chars["simplified_only"] | chars["traditional_only"] | _FREQUENT_PUNCTUATION
    level1 = _level1(encoding)
    sample = text[:100_000]
    return sum(1 for ch in sample if ch in level1) + sum(1 for ch in sample if ch in frequent)


def _charset_normalizer_guess(data: bytes) -> str | None:
    from charset_normalizer import from_bytes

    if len(data) < 64:  # too little to go on: its guess would be noise
        return None
    best = from_bytes(data[:65536], cp_isolation=["gb18030", "big5"]).best()
    if best is None:
        return None
    name = codecs.lookup(best.encoding).name
    if name in ("gb18030", "gbk", "gb2312"):
        return "gb18030"
    if name in ("big5", "big5hkscs", "cp950"):
        return "big5"
    return None


def _decode_legacy(data: bytes, utf8_error: UnicodeDecodeError) -> tuple[str, str]:
    decoded: dict[str, str] = {}
    offsets = {"utf-8": utf8_error.start}
    for encoding in ("gb18030", "big5"):
        try:
            decoded[encoding] = data.decode(encoding)
        except UnicodeDecodeError as exc:
            offsets[encoding] = exc.start
    if not decoded:
        where = max(offsets.values())
        snippet = data[where : where + 4].hex(" ")
        tried = ", ".join(f"{enc} fails at byte {pos}" for enc, pos in offsets.items())
        raise DecodeError(
            f"undecodable bytes at offset {where} in any supported encoding ({tried}; bytes {snippet}); "
            "save the file as UTF-8",
            "decodable",
            {"offset": where, **{f"{enc}_offset": pos for enc, pos in offsets.items()}},
        )
    if len(decoded) == 1:
        return next(iter(decoded.items()))[::-1]
    scores = {enc: _cjk_score(text, enc) for enc, text in decoded.items()}
    if scores["gb18030"] != scores["big5"]:
        best = max(scores, key=scores.__getitem__)
    else:
        best = _charset_normalizer_guess(data) or "gb18030"
    return decoded[best], best


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode a raw file to (text, encoding name), or raise `DecodeError`.

    Tried in order: a BOM (utf-8-sig, utf-16-le, utf-16-be), UTF-16 without a BOM (NUL-byte
    pattern), strict UTF-8, then GB18030 vs Big5 (whichever decodes strictly and reads as more
    common Chinese characters and punctuation; a tie goes to charset_normalizer, then GB18030).
    Valid UTF-8 always wins, so a few GBK characters that happen to be valid UTF-8 too ("元" is D4 AA) read as UTF-8.
    The BOM is removed and CRLF/CR become "\\n": every text offset downstream is into this
    normalised text, not into the file's bytes.
    """
    if not data:
        raise DecodeError("empty file", "not_empty", {"bytes": 0})
    if data.startswith(codecs.BOM_UTF8):
        try:
            text, encoding = data[3:].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError as exc:
            raise DecodeError(
                f"undecodable bytes at offset {exc.start + 3} in UTF-8 (the file starts with a UTF-8 BOM)",
                "decodable",
                {"offset": exc.start + 3, "encoding": "utf-8-sig"},
            ) from None
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16-le" if data.startswith(codecs.BOM_UTF16_LE) else "utf-16-be"
        body = data[2:]
        if len(body) % 2:
            raise DecodeError(
                f"undecodable bytes at offset {len(data) - 1} in {encoding} (odd number of bytes after "
                "the UTF-16 BOM)",
                "decodable",
                {"offset": len(data) - 1, "encoding": encoding},
            )
        try:
            text = body.decode(encoding)
        except UnicodeDecodeError as exc:
            raise DecodeError(
                f"undecodable bytes at offset {exc.start + 2} in {encoding}: {exc.reason}",
                "decodable",
                {"offset": exc.start + 2, "encoding": encoding},
            ) from None
        _control_check(text, "characters")
    elif b"\x00" in data:
        guess = _guess_utf16(data)
        if guess is None:
            nuls = data.count(0)
            first = data.index(0)
            raise DecodeError(
                f"binary file: {nuls:,} NUL byte{'s' if nuls > 1 else ''} (first at offset {first}); "
                "text files have none "
                "(if this is UTF-16 text, save it with a byte-order mark)",
                "not_binary",
                {"nul_bytes": nuls, "first_offset": first},
            )
        text, encoding = guess
    else:
        _control_check(data, "bytes")
        try:
            text, encoding = data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError as exc:
            text, encoding = _decode_legacy(data, exc)
    if "\x00" in text:
        first = text.index("\x00")
        raise DecodeError(
            f"binary file: NUL characters in the decoded text (first at offset {first})",
            "not_binary",
            {"first_offset": first},
        )
    return _normalise_newlines(text), encoding
