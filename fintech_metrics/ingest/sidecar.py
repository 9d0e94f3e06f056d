"""A `<stem>.meta.json` sidecar -> ArticleMeta: small, flat, bounded, and quoted only in short excerpts."""

from __future__ import annotations

import json
import re
from datetime import date, datetime

from ..records import ArticleMeta
from .decoding import CONTROL_CHARS

LANGUAGES = ("zh-Hans", "zh-Hant", "en")
LANGUAGE_ALIASES = {
    "zh-hans": "zh-Hans", "zh-cn": "zh-Hans", "zh-sg": "zh-Hans", "zh-hans-cn": "zh-Hans",
    "zh-hant": "zh-Hant", "zh-tw": "zh-Hant", "zh-hk": "zh-Hant", "zh-mo": "zh-Hant",
    "zh-hant-tw": "zh-Hant", "zh-hant-hk": "zh-Hant",
    "en": "en", "en-us": "en", "en-gb": "en",
}
META_FIELDS = ("title", "source", "url", "language", "published", "region", "report_period")
# A sidecar is a small flat object: anything bigger, deeper or longer is quarantined unread or unparsed.
MAX_SIDECAR_BYTES = 64 * 1024
MAX_SIDECAR_DEPTH = 20
MAX_META_CHARS = {"title": 1_000, "source": 200, "url": 2_048, "language": 35, "published": 64, "region": 35,
                  "report_period": 16}


class MetaError(ValueError):
    """A sidecar that cannot be used; `reason` names the field and the bad value."""

    def __init__(self, reason: str, source: str | None = None) -> None:
        super().__init__(f"{source}: {reason}" if source else reason)
        self.reason = reason
        self.source = source



_YEAR = re.compile(r"\d{4}")
_MONTH = re.compile(r"(\d{4})-(\d{2})")
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}.*")
_REPORT_PERIOD = re.compile(r"\d{4}(?:-(?:Q[1-4]|H[12]|0[1-9]|1[0-2]))?")


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
        if any(ch in CONTROL_CHARS for ch in value):
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
        if fields["report_period"] is not None and not _REPORT_PERIOD.fullmatch(fields["report_period"]):
            raise MetaError(f"report_period: {excerpt(fields['report_period'])} is not a period (YYYY, YYYY-Qn, "
                            "YYYY-Hn or YYYY-MM)")
    except MetaError as exc:
        raise MetaError(exc.reason, source) from None
    return ArticleMeta(**fields)
