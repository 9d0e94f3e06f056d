"""Raw files -> `Article` or `Rejected`: decode, strip HTML, read the sidecar, detect the language.

Nothing is silently lost: every file `listing` yields becomes exactly one `Article` or one
`Rejected` whose reason says what to fix.  Text offsets used downstream index `Article.text`,
i.e. the decoded text after BOM removal, newline normalisation and (for HTML) tag stripping.
"""

from __future__ import annotations

import codecs
import hashlib
import json
import os
import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
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


def _cjk_score(text: str, encoding: str) -> int:
    """Frequent hanzi in a decode: text read with the right codec is full of them, mojibake is not."""
    chars = _script_chars()
    frequent = chars["common"] | chars["simplified_only"] | chars["traditional_only"]
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
    common Chinese; a tie goes to charset_normalizer, then GB18030). Valid UTF-8 always wins,
    so a few GBK characters that happen to be valid UTF-8 too ("元" is D4 AA) read as UTF-8.
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


def strip_html(text: str) -> str | None:
    """Plain text of an HTML page (scripts, styles and head dropped; blocks become lines), or None."""
    if not _looks_like_html(text):
        return None
    parser = _TextExtractor()
    parser.feed(text)
    parser.close()
    lines = [line.strip() for line in "".join(parser.parts).split("\n")]
    plain = "\n".join(lines)
    plain = re.sub(r"\n{3,}", "\n\n", plain)
    return plain.strip()


# --------------------------------------------------------------------------- sidecar

_YEAR = re.compile(r"\d{4}")
_MONTH = re.compile(r"(\d{4})-(\d{2})")
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}.*")


def _parse_published(value: str) -> str:
    def bad() -> MetaError:
        return MetaError(f"published: {value!r} is not a valid ISO 8601 date (YYYY, YYYY-MM or YYYY-MM-DD)")

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


def parse_meta(data: bytes, source: str) -> ArticleMeta:
    """Parse a `<stem>.meta.json` sidecar; `source` (its path) is kept on any `MetaError`."""
    try:
        raw = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise MetaError(f"not UTF-8: undecodable byte at offset {exc.start}", source) from None
    try:
        obj = json.loads(raw)
    except json.JSONDecodeError as exc:
        where = f"line {exc.lineno}, column {exc.colno}"
        raise MetaError(f"malformed JSON at {where}: {exc.msg}", source) from None
    if not isinstance(obj, dict):
        raise MetaError(f"the top level must be a JSON object, got {_json_type(obj)}", source)
    fields: dict[str, str | None] = {}
    for name in META_FIELDS:
        value = obj.get(name)
        if value is None:
            fields[name] = None
            continue
        if not isinstance(value, str):
            raise MetaError(f"{name}: expected a string, got {_json_type(value)} {json.dumps(value)}", source)
        fields[name] = value.strip() or None
    try:
        if (language := fields["language"]) is not None:
            normal = LANGUAGE_ALIASES.get(language.lower().replace("_", "-"))
            if normal is None:
                raise MetaError(
                    f"language: {language!r} is not supported (use zh-Hans, zh-Hant or en; "
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


def _relative(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


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


def read_article(path: Path, raw_root: Path) -> Article | Rejected:
    """Load one raw file and its optional sidecar as an `Article`, or say why it cannot be loaded."""
    rel = _relative(path, raw_root)
    try:
        size = path.stat().st_size
        if size > MAX_ARTICLE_BYTES:
            return _too_big(rel, size)
        data = path.read_bytes()
    except FileNotFoundError:
        return _rejected(rel, "read", "exists", "file no longer exists (removed after it was discovered)")
    except OSError as exc:
        reason = f"cannot read file: {_os_reason(exc)}"
        return _rejected(rel, "read", "readable", reason, {"errno": exc.errno})
    if len(data) > MAX_ARTICLE_BYTES:  # grew between stat and read
        return _too_big(rel, len(data))

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
    sidecar = sidecar_path(path)
    sidecar_rel = _relative(sidecar, raw_root)
    try:
        meta_bytes: bytes | None = sidecar.read_bytes()
    except FileNotFoundError:
        meta_bytes = None
    except OSError as exc:
        return _rejected(rel, "meta", "readable", f"{sidecar_rel}: cannot read sidecar: {_os_reason(exc)}")
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
    """An article file found under the raw folder, with what its folder's listing says."""

    entry: os.DirEntry[str]
    source_path: str  # relative to the raw folder, '/'-separated
    has_sidecar: bool  # the folder lists `<stem>.meta.json` (it may still be unreadable)


def listing(raw_root: Path) -> Iterator[Listed]:
    """Every regular file under raw_root, unsorted; no sidecars, hidden entries, top-level README.md,
    or symlinks leading out of the root. One directory listing per folder: a file costs no system
    call unless it is a symlink, so 100,000 files are listed in a fraction of a second."""
    if not raw_root.is_dir():
        raise FileNotFoundError(f"raw folder not found or not a directory: {raw_root}")
    root = raw_root.resolve()
    folders = [(str(raw_root), "")]
    while folders:
        folder, prefix = folders.pop()
        try:
            with os.scandir(folder) as it:
                entries = list(it)
        except OSError:
            continue  # a folder that vanished or cannot be listed, as os.walk skips it
        names = {e.name for e in entries}
        for entry in entries:
            name = entry.name
            if name.startswith("."):
                continue
            if _is_dir(entry):
                if not entry.is_symlink():
                    folders.append((entry.path, f"{prefix}{name}/"))
                continue
            if name.endswith(".meta.json") or (not prefix and name == "README.md"):
                continue
            if entry.is_symlink() and not Path(entry.path).resolve().is_relative_to(root):
                continue
            if entry.is_file():
                yield Listed(entry, prefix + name, sidecar_path(Path(name)).name in names)


def _is_dir(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir()
    except OSError:
        return False

