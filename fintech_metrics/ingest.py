"""Raw files -> `Article` or `Rejected`: decode, strip HTML, read the sidecar, detect the language.

Nothing is silently lost: every file `listing` yields becomes exactly one `Article` or one
`Rejected` whose reason says what to fix.  Text offsets used downstream index `Article.text`,
i.e. the decoded text after BOM removal, newline normalisation and (for HTML) tag stripping.
"""

from __future__ import annotations

import codecs
import errno
import hashlib
import json
import os
import re
import stat
import tomllib
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache, lru_cache
from html.parser import HTMLParser
from importlib import resources
from pathlib import Path

from fintech_metrics.records import Article, ArticleMeta, Rejected

MAX_ARTICLE_BYTES = 20 * 1024 * 1024

LANGUAGES = ("zh-Hans", "zh-Hant", "en")
LANGUAGE_ALIASES = {
    "zh-hans": "zh-Hans", "zh-cn": "zh-Hans", "zh-sg": "zh-Hans", "zh-hans-cn": "zh-Hans",
    "zh-hant": "zh-Hant", "zh-tw": "zh-Hant", "zh-hk": "zh-Hant", "zh-mo": "zh-Hant",
    "zh-hant-tw": "zh-Hant", "zh-hant-hk": "zh-Hant",
    "en": "en", "en-us": "en", "en-gb": "en",
}
META_FIELDS = ("title", "source", "url", "language", "published", "region")
# A sidecar is a small flat object: anything bigger, deeper or longer is quarantined unread or unparsed.
MAX_SIDECAR_BYTES = 64 * 1024
MAX_SIDECAR_DEPTH = 20
MAX_META_CHARS = {"title": 1_000, "source": 200, "url": 2_048, "language": 35, "published": 64, "region": 35}

_CONTROL_BYTES = bytes(b for b in range(32) if b not in b"\t\n\x0b\x0c\r") + b"\x7f"
_CONTROL_CHARS = frozenset(chr(b) for b in _CONTROL_BYTES)
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


class MetaError(ValueError):
    """A sidecar that cannot be used; `reason` names the field and the bad value."""

    def __init__(self, reason: str, source: str | None = None) -> None:
        super().__init__(f"{source}: {reason}" if source else reason)
        self.reason = reason
        self.source = source


# --------------------------------------------------------------------------- decoding


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
        controls = sum(1 for ch in data if ch in _CONTROL_CHARS)
        first = next((i for i, ch in enumerate(data) if ch in _CONTROL_CHARS), -1) if controls else -1
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
def _script_chars() -> dict[str, frozenset[str]]:
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
    chars = _script_chars()
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


# --------------------------------------------------------------------------- HTML

_HTML_START = re.compile(r"\s*<(?:!doctype\s+html|html)[\s>]", re.IGNORECASE)
_BODY_TAG = re.compile(r"<body[\s>]", re.IGNORECASE)
_P_TAG = re.compile(r"<p[\s>]", re.IGNORECASE)
_BLOCK_TAGS = frozenset((
    "p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "ul", "ol", "table", "section",
    "article", "header", "footer", "main", "nav", "aside", "blockquote", "pre", "hr", "dt", "dd", "dl",
    "figure", "figcaption", "form", "title", "address",
))
_CELL_TAGS = frozenset(("td", "th"))
_SKIP_TAGS = frozenset(("script", "style", "head", "noscript", "template"))
_CJK_CLASS = r"\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef"
_CJK_LINE_BREAK = re.compile(rf"(?<=[{_CJK_CLASS}])[ \t]*\n\s*(?=[{_CJK_CLASS}])")


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        # convert_charrefs=True makes the parser run html.unescape over every text chunk.
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0
        self._pre = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP_TAGS:
            self._skip += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")
            if tag == "pre":
                self._pre += 1
        elif tag in _CELL_TAGS:
            self.parts.append(" ")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP_TAGS:
            self._skip = max(0, self._skip - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")
            if tag == "pre":
                self._pre = max(0, self._pre - 1)

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        if not self._pre:
            # Source line breaks inside a paragraph are not text; between two CJK characters
            # they must vanish rather than become a space.
            data = _CJK_LINE_BREAK.sub("", data)
            data = re.sub(r"\s+", " ", data)
        self.parts.append(data)


def _looks_like_html(text: str) -> bool:
    if _HTML_START.match(text) or _BODY_TAG.search(text):
        return True
    paragraphs = len(_P_TAG.findall(text))
    lines = sum(1 for line in text.splitlines() if line.strip())
    return paragraphs >= 2 and paragraphs >= 0.5 * lines


_HTML_DOCTYPE = re.compile(r"<!doctype[^>]*>", re.IGNORECASE)
_HTML_DECLARATION = re.compile(r"<!(?!--)")


def _html_text(text: str) -> str:
    parser = _TextExtractor()
    parser.feed(text)
    parser.close()
    return "".join(parser.parts)


def strip_html(text: str) -> str | None:
    """Plain text of an HTML page (scripts, styles and head dropped; blocks become lines), or None."""
    if not _looks_like_html(text):
        return None
    try:
        parts = _html_text(text)
    except AssertionError:
        # html.parser asserts on a malformed declaration (`<![;`, `<!ELEMENT<`) and would stop the run on
        # one bad page: read the page again with its declarations other than comments as text.
        parts = _html_text(_HTML_DECLARATION.sub("&lt;!", _HTML_DOCTYPE.sub("", text)))
    lines = [line.strip() for line in parts.split("\n")]
    plain = "\n".join(lines)
    plain = re.sub(r"\n{3,}", "\n\n", plain)
    return plain.strip()


# --------------------------------------------------------------------------- sidecar

_YEAR = re.compile(r"\d{4}")
_MONTH = re.compile(r"(\d{4})-(\d{2})")
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}.*")


_JSON_SPECIAL = re.compile(r'["\\\[\]{}]')
_EXCERPT_CHARS = 40


def excerpt(value: object, limit: int = _EXCERPT_CHARS) -> str:
    """A short, printable rendering of an input value (a string, quoted, or a JSON value) for a reason a person
    reads: quarantine reasons are published, so they carry at most `limit` characters of what a file said,
    with every character that does not print (controls, line and paragraph separators, bidi overrides)
    escaped, and `…` where it was cut."""
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    shown = "".join(ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii") for ch in text[:limit])
    if len(shown) > limit or len(text) > limit:
        shown = shown[:limit] + "…"
    return f"'{shown}'" if isinstance(value, str) else shown


def _parse_published(value: str) -> str:
    def bad() -> MetaError:
        return MetaError(f"published: {excerpt(value)} is not a valid ISO 8601 date (YYYY, YYYY-MM or YYYY-MM-DD)")

    text = value.strip()
    if _YEAR.fullmatch(text):
        if int(text) < 1:
            raise bad()
        return text
    if match := _MONTH.fullmatch(text):
        if int(match[1]) < 1 or not 1 <= int(match[2]) <= 12:
            raise bad()
        return text
    if _DAY.fullmatch(text):
        try:
            return date.fromisoformat(text).isoformat()
        except ValueError:
            raise bad() from None
    if _TIMESTAMP.fullmatch(text):
        try:
            # The date as written, in the article's own time zone: no conversion to UTC.
            return datetime.fromisoformat(text).date().isoformat()
        except ValueError:
            raise bad() from None
    raise bad()


def _json_type(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return type(value).__name__


def _nesting(raw: str) -> int:
    """How deep the JSON's arrays and objects nest (brackets inside strings do not count). One pass over the
    characters that matter, in linear time whatever the input (a regex for strings backtracks on `"\\"\\…`)."""
    depth = deepest = 0
    in_string = escaped = False
    last = -2
    for match in _JSON_SPECIAL.finditer(raw):
        ch, at = match[0], match.start()
        if escaped and at != last + 1:
            escaped = False  # the escape took the character after the backslash, which is not special
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif ch in "]}":
            depth -= 1
        last = at
    return deepest


def parse_meta(data: bytes, source: str) -> ArticleMeta:
    """Parse a `<stem>.meta.json` sidecar; `source` (its path) is kept on any `MetaError`.

    Bounded: at most MAX_SIDECAR_BYTES, nested at most MAX_SIDECAR_DEPTH deep, each field at most
    MAX_META_CHARS[field] characters; a reason quotes at most a short escaped excerpt of a value."""
    if len(data) > MAX_SIDECAR_BYTES:
        raise MetaError(f"sidecar is {len(data):,} bytes; the limit is {MAX_SIDECAR_BYTES:,} (MAX_SIDECAR_BYTES)",
                        source)
    try:
        raw = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise MetaError(f"not UTF-8: undecodable byte at offset {exc.start}", source) from None
    if (depth := _nesting(raw)) > MAX_SIDECAR_DEPTH:
        raise MetaError(f"JSON nested {depth:,} levels deep; the limit is {MAX_SIDECAR_DEPTH} (a sidecar is one "
                        "object of strings)", source)
    try:
        obj = json.loads(raw)
    except json.JSONDecodeError as exc:
        where = f"line {exc.lineno}, column {exc.colno}"
        raise MetaError(f"malformed JSON at {where}: {exc.msg}", source) from None
    except RecursionError:  # unreachable past the depth check, but never a crash
        raise MetaError("JSON nested too deep to read (a sidecar is one object of strings)", source) from None
    except ValueError as exc:  # a number too long for Python's int (over 4,300 digits)
        raise MetaError(f"unreadable JSON: {excerpt(str(exc), 80)}", source) from None
    if not isinstance(obj, dict):
        raise MetaError(f"the top level must be a JSON object, got {_json_type(obj)}", source)
    fields: dict[str, str | None] = {}
    for name in META_FIELDS:
        value = obj.get(name)
        if value is None:
            fields[name] = None
            continue
        if not isinstance(value, str):
            raise MetaError(f"{name}: expected a string, got {_json_type(value)} {excerpt(value)}", source)
        value = value.strip()
        if len(value) > MAX_META_CHARS[name]:
            raise MetaError(f"{name}: {len(value):,} characters; the limit is {MAX_META_CHARS[name]:,} "
                            f"(MAX_META_CHARS), starts {excerpt(value)}", source)
        if any(ch in _CONTROL_CHARS for ch in value):
            raise MetaError(f"{name}: control characters in {excerpt(value)}", source)
        fields[name] = value or None
    try:
        if (language := fields["language"]) is not None:
            normal = LANGUAGE_ALIASES.get(language.lower().replace("_", "-"))
            if normal is None:
                raise MetaError(
                    f"language: {excerpt(language)} is not supported (use zh-Hans, zh-Hant or en; "
                    "aliases zh-CN, zh-SG, zh-TW, zh-HK, en-US, en-GB)"
                )
            fields["language"] = normal
        if fields["published"] is not None:
            fields["published"] = _parse_published(fields["published"])
    except MetaError as exc:
        raise MetaError(exc.reason, source) from None
    return ArticleMeta(**fields)


# --------------------------------------------------------------------------- language


@cache
def _script_pattern(key: str) -> re.Pattern[str]:
    return re.compile("[" + "".join(re.escape(ch) for ch in sorted(_script_chars()[key])) + "]")


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


# --------------------------------------------------------------------------- files


def display_name(name: str) -> str:
    r"""A file name as text a table, a terminal and a Markdown cell can show: itself, unless it is not valid
    UTF-8 (each byte that is not shows as `\xNN`: a GBK name `新闻.txt` shows as `\xd0\xc2\xce\xc5.txt`) or
    holds characters that do not print (controls, line and paragraph separators, bidi overrides: escaped,
    `\n`, `\x1b`, `\u202e`). Spaces of every kind stay."""
    if name.isprintable():  # nearly every name: no surrogate (a byte that is not UTF-8) nor control in it
        return name
    text = os.fsencode(name).decode("utf-8", "backslashreplace")
    return "".join(ch if ch.isprintable() or unicodedata.category(ch) == "Zs"
                   else ch.encode("unicode_escape").decode("ascii") for ch in text)


def _display_names(names: list[str]) -> dict[str, str]:
    """Display name -> real name of a folder's entries, one to one: a name that `display_name` leaves alone
    shows as itself; another as `display_name` shows it, with `~2`, `~3`… added if that is taken."""
    shown: dict[str, str] = {}
    odd: list[tuple[bytes, str, str]] = []
    for name in names:
        display = display_name(name)
        if display == name:
            shown[name] = name
        else:
            odd.append((os.fsencode(name), display, name))
    for _, display, name in sorted(odd):
        candidate, n = display, 1
        while candidate in shown:
            n += 1
            candidate = f"{display}~{n}"
        shown[candidate] = name
    return shown


@lru_cache(maxsize=4)
def _folder_display_names(folder: str, inode: int, mtime_ns: int) -> dict[str, str]:
    """`_display_names` of a folder, listed once while it is unchanged (its inode and mtime are the key): a
    batch of many names that are not UTF-8 in one big folder lists it once, not once per file."""
    return _display_names(os.listdir(folder))


def real_path(raw_root: Path, source_path: str) -> Path:
    """The file a `source_path` (as `listing` shows it) names: itself, unless a part of it is the display
    name of a name `display_name` escapes (every such display holds a backslash)."""
    path = raw_root / source_path
    if "\\" not in source_path or os.path.lexists(path):
        return path
    real = raw_root
    for part in source_path.split("/"):
        candidate = real / part
        if not os.path.lexists(candidate):
            try:
                st = os.stat(real)
                name = _folder_display_names(str(real), st.st_ino, st.st_mtime_ns).get(part)
            except OSError:
                return path
            if name is None:
                return path
            candidate = real / name
        real = candidate
    return real


def _plain_relative(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def _relative(path: Path, root: Path) -> str:
    """The path relative to the root as text a table can hold (each name as `display_name` shows it)."""
    return "/".join(map(display_name, _plain_relative(path, root).split("/")))


def _rejected(source_path: str, stage: str, check: str, reason: str, values: dict | None = None) -> Rejected:
    encoded = json.dumps(values, ensure_ascii=False) if values else None
    return Rejected(source_path, stage, check, reason, encoded)


def _os_reason(exc: OSError) -> str:
    return f"{exc.strerror or exc} (errno {exc.errno})" if exc.errno is not None else str(exc)


def sidecar_path(path: Path) -> Path:
    """`a.zh-Hans.txt` -> `a.zh-Hans.meta.json`: the file's name without its last suffix."""
    return path.with_name(f"{path.stem}.meta.json")


def identify(text: str) -> tuple[str, str]:
    """(article_id, content_sha256) of a decoded text: the same article in any encoding is one id."""
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return digest[:16], digest


class Refused(Exception):  # noqa: N818 - a verdict, not a failure of the code
    """A raw file (or sidecar) that is not read: `check` and `reason` go to the quarantine table."""

    def __init__(self, check: str, reason: str, values: dict | None = None) -> None:
        super().__init__(reason)
        self.check = check
        self.reason = reason
        self.values = values


_O_PATH = getattr(os, "O_PATH", 0)
_O_READ = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
_PROC_FD = Path("/proc/self/fd")
_HAVE_PROC_FD = _PROC_FD.is_dir()
_KINDS = ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a named pipe (FIFO)"), (stat.S_ISSOCK, "a socket"),
          (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"))


def _kind(mode: int) -> str:
    return next((what for test, what in _KINDS if test(mode)), "not a regular file")


def _opened_path(fd: int, path: Path) -> str | None:
    """Where an open fd really is: /proc's link, or (without /proc) the real path if it is the same file."""
    if _HAVE_PROC_FD:
        try:
            return os.readlink(_PROC_FD / str(fd))
        except OSError:
            return None
    real = os.path.realpath(path)
    try:
        st, opened = os.stat(real), os.fstat(fd)
    except OSError:
        return None
    return real if (st.st_dev, st.st_ino) == (opened.st_dev, opened.st_ino) else None


def _inside(real: str, root: str) -> bool:
    return real == root or real.startswith(root.rstrip(os.sep) + os.sep)


def read_inside(path: Path, real_root: str, limit: int) -> bytes:
    """The bytes of a regular file inside the raw folder, at most `limit`; else raise `Refused`.

    Checked on the opened file, not on its name, so a link re-pointed after the listing cannot lead out:
    the path is opened with O_PATH (nothing is read, a FIFO or device is not opened for reading), the open
    file's real path (/proc/self/fd) must be under `real_root` (the raw folder's real path) and fstat must
    say a regular file of at most `limit` bytes; then that same file is opened for reading through
    /proc/self/fd, non-blocking, and read up to `limit` bytes, whatever its size says. Where there is no
    O_PATH, the file is opened non-blocking and compared by device and inode with its real path."""
    try:
        fd = os.open(path, (_O_PATH | getattr(os, "O_CLOEXEC", 0)) if _O_PATH and _HAVE_PROC_FD else _O_READ)
    except FileNotFoundError:
        if os.path.islink(path):
            raise Refused("symlink_target", "a symbolic link whose target does not exist (a dangling link); "
                          "point it at a file inside the raw folder or remove it") from None
        raise Refused("exists", "file no longer exists (removed after it was discovered)") from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise Refused("symlink_target", "a symbolic link that leads back to itself (a symlink loop); "
                          "point it at a file inside the raw folder or remove it") from None
        raise Refused("readable", f"cannot read file: {_os_reason(exc)}", {"errno": exc.errno}) from None
    try:
        real = _opened_path(fd, path)
        st = os.fstat(fd)
        if real is None or st.st_nlink == 0:
            raise Refused("exists", "file no longer exists (removed or replaced while it was opened)")
        if not _inside(real, real_root):
            raise Refused("inside_raw", "leads outside the raw folder (a symbolic link, or a link on its path); "
                          "only files inside the raw folder are read: copy the file in instead")
        if not stat.S_ISREG(st.st_mode):
            raise Refused("regular_file", f"not a regular file: {_kind(st.st_mode)}; only regular files are read",
                          {"mode": stat.S_IFMT(st.st_mode)})
        if st.st_size > limit:
            raise Refused("max_size", "", {"bytes": st.st_size, "limit": limit})
        if _O_PATH and _HAVE_PROC_FD:
            reading = os.open(_PROC_FD / str(fd), _O_READ)
            again = os.fstat(reading)
            if (again.st_dev, again.st_ino) != (st.st_dev, st.st_ino) or not stat.S_ISREG(again.st_mode):
                os.close(reading)
                raise Refused("exists", "file no longer exists (removed or replaced while it was opened)")
            os.close(fd)
            fd = reading
        chunks, size = [], 0
        while size <= limit and (chunk := os.read(fd, min(1 << 20, limit + 1 - size))):
            chunks.append(chunk)
            size += len(chunk)
        if size > limit:  # grew after the fstat
            raise Refused("max_size", "", {"bytes": max(size, os.fstat(fd).st_size), "limit": limit})
        return b"".join(chunks)
    except OSError as exc:
        raise Refused("readable", f"cannot read file: {_os_reason(exc)}", {"errno": exc.errno}) from None
    finally:
        os.close(fd)


def read_article(path: Path, raw_root: Path) -> Article | Rejected:
    """Load one raw file and its optional sidecar as an `Article`, or say why it cannot be loaded.

    `path` is under `raw_root`, by its real name or as `listing` shows it (`source_path`). Nothing outside
    the raw folder is read, nor anything but a regular file (see `read_inside`)."""
    given = _plain_relative(path, raw_root)
    rel = "/".join(map(display_name, given.split("/")))
    real = path if rel != given else real_path(raw_root, rel)  # a real name display_name escapes, or as listed
    root = os.path.realpath(raw_root)
    try:
        data = read_inside(real, root, MAX_ARTICLE_BYTES)
    except Refused as exc:
        if exc.check == "max_size":
            return _too_big(rel, exc.values["bytes"] if exc.values else 0)
        return _rejected(rel, "read", exc.check, exc.reason, exc.values)

    try:
        text, encoding = decode_bytes(data)
    except DecodeError as exc:
        return _rejected(rel, "decode", exc.check, exc.reason, exc.values)
    if (plain := strip_html(text)) is not None:
        text, encoding = plain, f"{encoding}+html"
    if not text.strip():
        what = "HTML markup and whitespace" if encoding.endswith("+html") else "whitespace"
        reason = f"no text: the file holds only {what}"
        return _rejected(rel, "decode", "not_empty", reason, {"bytes": len(data)})

    meta = ArticleMeta()
    sidecar = sidecar_path(real)
    sidecar_rel = _relative(sidecar, raw_root)
    try:
        meta_bytes: bytes | None = read_inside(sidecar, root, MAX_SIDECAR_BYTES)
    except Refused as exc:
        meta_bytes = None
        if exc.check == "max_size":
            size = exc.values["bytes"] if exc.values else 0
            return _rejected(rel, "meta", "max_size", f"{sidecar_rel}: sidecar is {size:,} bytes; the limit is "
                             f"{MAX_SIDECAR_BYTES:,} (MAX_SIDECAR_BYTES)", exc.values)
        if exc.check != "exists" and not (exc.check == "readable" and exc.values
                                          and exc.values.get("errno") == errno.ENAMETOOLONG):
            # No sidecar (none, or a name too long to have one) is fine; one that cannot be read is not.
            return _rejected(rel, "meta", exc.check, f"{sidecar_rel}: sidecar: {exc.reason}", exc.values)
    if meta_bytes is not None:
        try:
            meta = parse_meta(meta_bytes, sidecar_rel)
        except MetaError as exc:
            return _rejected(rel, "meta", "valid_meta", f"{sidecar_rel}: {exc.reason}")

    article_id, digest = identify(text)
    return Article(
        article_id=article_id,
        source_path=rel,
        text=text,
        title=meta.title,
        source=meta.source,
        url=meta.url,
        language=meta.language or detect_language(text),
        published=meta.published,
        encoding=encoding,
        char_count=len(text),
        content_sha256=digest,
        region=meta.region,
    )


def _too_big(rel: str, size: int) -> Rejected:
    return _rejected(
        rel, "read", "max_size",
        f"file is {size:,} bytes; the limit is {MAX_ARTICLE_BYTES:,} (MAX_ARTICLE_BYTES)",
        {"bytes": size, "limit": MAX_ARTICLE_BYTES},
    )


@dataclass(frozen=True, slots=True)
class Listed:
    """An entry found under the raw folder that is to be an article, with what its folder's listing says."""

    entry: os.DirEntry[str]
    source_path: str  # relative to the raw folder, '/'-separated, each name as `display_name` shows it
    has_sidecar: bool  # the folder lists `<stem>.meta.json` (it may still be unreadable)


def listing(raw_root: Path) -> Iterator[Listed]:
    """Every entry under raw_root that is not a real folder, unsorted: regular files, and also symbolic links
    (wherever they lead, dangling or looping), FIFOs, sockets and devices, so that each is accounted for
    (`read_article` refuses all but a regular file inside the raw folder). Not listed: sidecars, hidden
    entries, a top-level README.md; folders are walked, symlinked folders are not (they are listed as
    entries). Names that are not UTF-8 are listed by `display_name`. One directory listing per folder and no
    system call per file (links are not resolved here), so 100,000 files are listed in a fraction of a second."""
    if not raw_root.is_dir():
        raise FileNotFoundError(f"raw folder not found or not a directory: {raw_root}")
    folders = [(str(raw_root), "")]
    while folders:
        folder, prefix = folders.pop()
        try:
            with os.scandir(folder) as it:
                entries = list(it)
        except OSError:
            continue  # a folder that vanished or cannot be listed, as os.walk skips it
        names = {e.name for e in entries}
        shown = {real: display for display, real in _display_names(list(names)).items()}
        for entry in entries:
            name = entry.name
            if name.startswith("."):
                continue
            if _is_real_dir(entry):
                folders.append((entry.path, f"{prefix}{shown[name]}/"))
                continue
            if name.endswith(".meta.json") or (not prefix and name == "README.md"):
                continue
            yield Listed(entry, prefix + shown[name], sidecar_path(Path(name)).name in names)


def _is_real_dir(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir(follow_symlinks=False)
    except OSError:
        return False
