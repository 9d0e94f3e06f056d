"""Raw file -> Article | Rejected: encodings, HTML, sidecars, language, discovery."""

from __future__ import annotations

import codecs
import hashlib
import json
import random
import time
from pathlib import Path

import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from fintech_metrics.ingest import (
    MAX_ARTICLE_BYTES,
    DecodeError,
    MetaError,
    decode_bytes,
    detect_language,
    excerpt,
    listing,
    parse_meta,
    read_article,
    strip_html,
)
from fintech_metrics.ingest.decoding import script_chars
from fintech_metrics.ingest.sidecar import _nesting
from fintech_metrics.records import Article, ArticleMeta, Rejected

HANS = "2025年香港金融科技周：这个平台的交易额增长了30%，达到12亿元。\n银行们说会继续投资。"
HANT = "2025年香港金融科技週：這個平台的交易額增長了30%，達到12億元。\n銀行們說會繼續投資。"


def write(root: Path, rel: str, data: bytes | str) -> Path:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def rejected(result: Article | Rejected) -> Rejected:
    assert isinstance(result, Rejected), result
    return result


def article(result: Article | Rejected) -> Article:
    assert isinstance(result, Article), result
    return result


# --------------------------------------------------------------------------- decode_bytes


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (HANS.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + HANS.encode("utf-8"), "utf-8-sig"),
        (HANS.encode("gbk"), "gb18030"),
        (HANS.encode("gb18030"), "gb18030"),
        (codecs.BOM_UTF16_LE + HANS.encode("utf-16-le"), "utf-16-le"),
        (codecs.BOM_UTF16_BE + HANS.encode("utf-16-be"), "utf-16-be"),
        (HANS.encode("utf-16-le"), "utf-16-le"),
        (HANS.encode("utf-16-be"), "utf-16-be"),
    ],
    ids=["utf-8", "utf-8-bom", "gbk", "gb18030", "utf-16-le-bom", "utf-16-be-bom", "utf-16-le", "utf-16-be"],
)
def test_simplified_text_decodes_the_same_in_every_encoding(data: bytes, encoding: str) -> None:
    assert decode_bytes(data) == (HANS, encoding)


@pytest.mark.parametrize("encoding", ["big5", "utf-8", "utf-16"])
def test_traditional_text_decodes_from_big5_and_unicode(encoding: str) -> None:
    expected = {"big5": "big5", "utf-8": "utf-8", "utf-16": "utf-16-le"}[encoding]
    assert decode_bytes(HANT.encode(encoding)) == (HANT, expected)


@pytest.mark.parametrize(
    ("text", "encoding"),
    [("你好", "gbk"), ("银行", "gbk"), ("交易", "gbk"), ("銀行", "big5"), ("香港", "big5")],
)
def test_short_legacy_texts_pick_the_right_codec(text: str, encoding: str) -> None:
    assert decode_bytes(text.encode(encoding))[0] == text


def test_real_article_in_utf16_without_bom_is_detected() -> None:
    # Only "?" and "\n" are ASCII: 2 NULs per 47 characters is enough.
    text = "你对香港的印象是什么?\n全球金融中心、财富中心、太平洋航运枢纽……这些标签共同定义了香港过去的辉煌。"
    assert decode_bytes(text.encode("utf-16-le")) == (text, "utf-16-le")


def test_newlines_are_normalised() -> None:
    assert decode_bytes(b"a\r\nb\rc\n\r\nd") == ("a\nb\nc\n\nd", "utf-8")
    assert decode_bytes("第一行\r\n第二行\r".encode("gbk")) == ("第一行\n第二行\n", "gb18030")
    assert decode_bytes(codecs.BOM_UTF16_LE + "x\r\ny".encode("utf-16-le")) == ("x\ny", "utf-16-le")


def test_empty_file_is_an_error() -> None:
    with pytest.raises(DecodeError) as info:
        decode_bytes(b"")
    assert info.value.reason == "empty file"
    assert info.value.check == "not_empty"


def test_binary_png_is_rejected() -> None:
    data = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + random.Random(7).randbytes(4096)
    with pytest.raises(DecodeError) as info:
        decode_bytes(data)
    assert info.value.check == "not_binary"
    assert info.value.reason.startswith("binary file: ")
    assert "NUL bytes (first at offset 8)" in info.value.reason


def test_nul_byte_in_utf8_text_is_rejected() -> None:
    with pytest.raises(DecodeError) as info:
        decode_bytes("hello\x00world 中文".encode())
    assert info.value.check == "not_binary"
    assert info.value.reason == (
        "binary file: 1 NUL byte (first at offset 5); text files have none "
        "(if this is UTF-16 text, save it with a byte-order mark)"
    )
    assert info.value.values == {"nul_bytes": 1, "first_offset": 5}


def test_ascii_with_nuls_at_one_parity_is_not_mistaken_for_utf16() -> None:
    data = b"Revenue rose 12% to $3bn.\x00 Profit fell.\x00 Shares\x00 rose.  "
    assert {i % 2 for i, byte in enumerate(data) if byte == 0} == {1} and len(data) % 2 == 0
    with pytest.raises(DecodeError) as info:
        decode_bytes(data)
    assert info.value.check == "not_binary"
    assert info.value.reason.startswith("binary file: 3 NUL bytes (first at offset 25)")


def test_long_big5_and_gbk_articles_are_told_apart() -> None:
    hant = HANT * 20
    hans = HANS * 20
    assert decode_bytes(hant.encode("big5")) == (hant, "big5")
    assert decode_bytes(hans.encode("gbk")) == (hans, "gb18030")


def test_control_bytes_mean_binary() -> None:
    with pytest.raises(DecodeError) as info:
        decode_bytes(b"abc\x07\x07\x07\x08 def")
    assert info.value.check == "not_binary"
    assert info.value.reason == (
        "binary file: 36% of the bytes are control characters (first at offset 3); "
        "only text files can be loaded"
    )


def test_undecodable_bytes_name_the_offset() -> None:
    with pytest.raises(DecodeError) as info:
        decode_bytes(b"caf\xe9 ok")  # Latin-1: no supported encoding reads it
    assert info.value.check == "decodable"
    assert info.value.reason == (
        "undecodable bytes at offset 3 in any supported encoding (utf-8 fails at byte 3, gb18030 fails at "
        "byte 3, big5 fails at byte 3; bytes e9 20 6f 6b); save the file as UTF-8"
    )


def test_odd_length_after_utf16_bom() -> None:
    with pytest.raises(DecodeError) as info:
        decode_bytes(b"\xff\xfeA\x00B")
    assert info.value.reason == (
        "undecodable bytes at offset 4 in utf-16-le (odd number of bytes after the UTF-16 BOM)"
    )


# --------------------------------------------------------------------------- strip_html

PAGE = """<!DOCTYPE html>
<html><head><title>Ignored title</title><style>p { color: red }</style></head>
<body>
  <h1>香港金融科技周</h1>
  <p>交易额达到
     12亿元 &amp; 增长 30&#37;。</p>
  <script>var tracking = "<p>not text</p>";</script>
  <div>Second<br>line</div>


  <ul><li>one</li><li>two &lt;b&gt;</li></ul>
</body></html>
"""


def test_strip_html_page() -> None:
    # A source line break is a space, except between two CJK characters (as CSS text does).
    expected = "香港金融科技周\n\n交易额达到 12亿元 & 增长 30%。\n\nSecond\nline\n\none\n\ntwo <b>"
    assert strip_html(PAGE) == expected


def test_strip_html_drops_line_breaks_between_cjk() -> None:
    assert strip_html("<p>香港金融\n   科技周</p><p>第二段\nnext</p>") == "香港金融科技周\n\n第二段 next"


def test_strip_html_fragment_of_paragraphs() -> None:
    assert strip_html("<p>First.</p>\n<p>Second &eacute;.</p>") == "First.\n\nSecond é."


@pytest.mark.parametrize(
    "text",
    [
        "Plain text.\nNo markup.",
        "An article that mentions the <p> tag once.\nAnd goes on.\nAnd on.",
        "a < b > c",
    ],
)
def test_strip_html_leaves_plain_text_alone(text: str) -> None:
    assert strip_html(text) is None


# --------------------------------------------------------------------------- parse_meta


def meta_error(data: str | bytes) -> str:
    with pytest.raises(MetaError) as info:
        parse_meta(data.encode() if isinstance(data, str) else data, "a.meta.json")
    assert info.value.source == "a.meta.json"
    assert str(info.value) == f"a.meta.json: {info.value.reason}"
    return info.value.reason


def test_parse_meta_reads_known_fields_and_ignores_others() -> None:
    data = json.dumps(
        {"title": " T ", "source": "S", "url": "https://x.test/a", "language": "zh-TW",
         "published": "2025-11-03", "note": "ignored", "tags": [1, 2]}
    ).encode()
    expected = ArticleMeta("T", "S", "https://x.test/a", "zh-Hant", "2025-11-03")
    assert parse_meta(data, "a.meta.json") == expected


def test_parse_meta_empty_object_and_nulls() -> None:
    assert parse_meta(b"{}", "a.meta.json") == ArticleMeta()
    assert parse_meta(b'{"title": null, "language": ""}', "a.meta.json") == ArticleMeta()


def test_malformed_json_says_where() -> None:
    assert meta_error('{\n  "title": "x",\n  "language" "en"\n}') == (
        "malformed JSON at line 3, column 14: Expecting ':' delimiter"
    )


def _depth(value: object) -> int:
    if isinstance(value, dict):
        return 1 + max(map(_depth, value.values()), default=0)
    if isinstance(value, list):
        return 1 + max(map(_depth, value), default=0)
    return 0


JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.text(alphabet='ab"\\[]{}\n'),
                    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner, max_size=3),
                    max_leaves=20)


@given(JSON)
def test_nesting_is_the_depth_of_the_json(value: object) -> None:
    assert _nesting(json.dumps(value)) == _depth(value)


def test_nesting_takes_linear_time_on_escapes_that_never_close() -> None:
    start = time.perf_counter()
    assert _nesting('"\\' * 21845) == 0 and _nesting("[" * 65536) == 65536
    assert time.perf_counter() - start < 1


def test_excerpt_is_short_and_prints() -> None:
    assert excerpt("zh-CN") == "'zh-CN'"
    assert excerpt("香港\x1b[2J\u2028\u202e") == "'香港\\x1b[2J\\u2028\\u202e'"
    assert excerpt("x" * 10_000) == "'" + "x" * 40 + "…'"
    assert excerpt({"k": [1, None]}) == '{"k": [1, null]}'


def test_non_object_and_non_string() -> None:
    assert meta_error("[1, 2]") == "the top level must be a JSON object, got array"
    assert meta_error('{"published": 2025}') == "published: expected a string, got number 2025"
    assert meta_error('{"title": ["a"]}') == 'title: expected a string, got array ["a"]'
    assert meta_error(b'{"title": "\xff"}') == "not UTF-8: undecodable byte at offset 11"


@pytest.mark.parametrize(
    ("given", "expected"),
    [("zh-Hans", "zh-Hans"), ("zh-CN", "zh-Hans"), ("zh_sg", "zh-Hans"), ("zh-Hant", "zh-Hant"),
     ("zh-TW", "zh-Hant"), ("zh-HK", "zh-Hant"), ("en", "en"), ("en-US", "en"), ("en-GB", "en")],
)
def test_language_aliases(given: str, expected: str) -> None:
    assert parse_meta(json.dumps({"language": given}).encode(), "m").language == expected


def test_unsupported_language() -> None:
    assert meta_error('{"language": "fr"}') == (
        "language: 'fr' is not supported (use zh-Hans, zh-Hant or en; aliases zh-CN, zh-SG, zh-TW, zh-HK, "
        "en-US, en-GB)"
    )


@pytest.mark.parametrize(
    ("given", "expected"),
    [("2025", "2025"), ("2025-11", "2025-11"), ("2025-11-03", "2025-11-03"), ("2024-02-29", "2024-02-29"),
     ("2025-11-03T09:30:00+08:00", "2025-11-03"), ("2025-11-03 09:30", "2025-11-03"),
     ("2025-11-03T23:30:00Z", "2025-11-03"), (" 2025-11 ", "2025-11")],
)
def test_published_precision_and_timestamps(given: str, expected: str) -> None:
    assert parse_meta(json.dumps({"published": given}).encode(), "m").published == expected


@pytest.mark.parametrize(
    "bad", ["2025-13-01", "2025-02-30", "2025-13", "2025-00", "25-11-03", "Nov 2025", "2025/11/03",
            "2025-11-03T25:00", "20251103", "0000"],
)
def test_bad_published_names_field_and_value(bad: str) -> None:
    assert meta_error(json.dumps({"published": bad})) == (
        f"published: {bad!r} is not a valid ISO 8601 date (YYYY, YYYY-MM or YYYY-MM-DD)"
    )


def test_bad_published_exact_message() -> None:
    assert meta_error('{"published": "2025-13-01"}') == (
        "published: '2025-13-01' is not a valid ISO 8601 date (YYYY, YYYY-MM or YYYY-MM-DD)"
    )


# --------------------------------------------------------------------------- detect_language


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("这个银行说会继续投资。", "zh-Hans"),
        ("這個銀行說會繼續投資。", "zh-Hant"),
        ("香港金管局", "zh-Hans"),  # no script-only characters: Simplified by default
        ("HSBC raised $2bn in Q3, the bank said.", "en"),
        ("蚂蚁数科 ZOLOZ eKYC 准确率 99.9%", "zh-Hans"),
        ("12,345.67 — 30%", "und"),
        ("", "und"),
        ("東京の銀行はデジタル通貨を発行します", "und"),
        ("Банк России повысил ставку", "und"),
    ],
)
def test_detect_language(text: str, expected: str) -> None:
    assert detect_language(text) == expected


def _language_by_each_character(text: str) -> str:
    """detect_language's rule, counted one character at a time."""
    def ideograph(ch: str) -> bool:
        return any(lo <= ord(ch) <= hi for lo, hi in ((0x4E00, 0x9FFF), (0x3400, 0x4DBF), (0xF900, 0xFAFF),
                                                       (0x20000, 0x3134F)))
    latin = sum(ch.isascii() and ch.isalpha() for ch in text)
    ideographs = sum(map(ideograph, text))
    others = [ch for ch in text if ch.isalpha() and not ch.isascii() and not ideograph(ch)]
    kana = sum(0x3040 <= ord(ch) <= 0x30FF for ch in others)
    total = ideographs + latin + len(others)
    if total == 0 or kana >= 0.1 * total:
        return "und"
    if ideographs >= 0.2 * total:
        simplified = sum(ch in script_chars()["simplified_only"] for ch in text)
        traditional = sum(ch in script_chars()["traditional_only"] for ch in text)
        return "zh-Hant" if traditional > simplified else "zh-Hans"
    return "en" if latin >= 2 and latin >= 0.8 * (latin + len(others)) else "und"


_SCRIPTS = "aAzZ1 ,.é中国國东東の\u3400\U00020001Жß_\u00b2"  # Latin, both Chinese scripts, kana, others, not letters


@given(st.text(alphabet=st.sampled_from(_SCRIPTS), max_size=40) | st.text(max_size=40))
@example("ab")  # ASCII only: counted without the regexes
@example("a")
@example("zz")  # the last letter of the range counts too
@example("abc中")
def test_detect_language_counts_what_each_character_counts(text: str) -> None:
    assert detect_language(text) == _language_by_each_character(text)


def test_detect_language_mostly_english_with_a_chinese_name() -> None:
    text = "Ant Digital Technologies (蚂蚁数科) opened an office in Hong Kong this week."
    assert detect_language(text) == "en"


# --------------------------------------------------------------------------- read_article


def test_read_article_utf8_with_sidecar(tmp_path: Path) -> None:
    path = write(tmp_path, "hk/a.zh-Hans.txt", HANS)
    write(tmp_path, "hk/a.zh-Hans.meta.json", '{"title": "T", "language": "zh-CN", "published": "2025-11"}')
    got = article(read_article(path, tmp_path))
    digest = hashlib.sha256(HANS.encode()).hexdigest()
    assert got == Article(
        article_id=digest[:16], source_path="hk/a.zh-Hans.txt", text=HANS, title="T", source=None,
        url=None, language="zh-Hans", published="2025-11", encoding="utf-8", char_count=46,
        content_sha256=digest,
    )


def test_same_article_in_gbk_and_utf8_has_the_same_id(tmp_path: Path) -> None:
    utf8 = article(read_article(write(tmp_path, "u.txt", HANS), tmp_path))
    gbk = article(read_article(write(tmp_path, "g.txt", HANS.encode("gbk")), tmp_path))
    crlf_utf16 = HANS.replace("\n", "\r\n").encode("utf-16")
    crlf = article(read_article(write(tmp_path, "c.txt", crlf_utf16), tmp_path))
    assert utf8.article_id == gbk.article_id == crlf.article_id
    assert (utf8.encoding, gbk.encoding, crlf.encoding) == ("utf-8", "gb18030", "utf-16-le")
    assert gbk.language == "zh-Hans"


def test_big5_article_is_detected_as_traditional(tmp_path: Path) -> None:
    got = article(read_article(write(tmp_path, "t.txt", HANT.encode("big5")), tmp_path))
    assert (got.text, got.encoding, got.language) == (HANT, "big5", "zh-Hant")


def test_html_article_gets_html_suffix(tmp_path: Path) -> None:
    got = article(read_article(write(tmp_path, "p.html", PAGE.encode("gbk")), tmp_path))
    assert got.encoding == "gb18030+html"
    assert got.text.startswith("香港金融科技周\n\n交易额达到 12亿元")
    assert "tracking" not in got.text and "Ignored title" not in got.text


def test_too_big_file_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    with path.open("wb") as fh:
        fh.truncate(21 * 1024 * 1024)
    got = rejected(read_article(path, tmp_path))
    assert (got.stage, got.failed_check) == ("read", "max_size")
    assert got.reason == "file is 22,020,096 bytes; the limit is 20,971,520 (MAX_ARTICLE_BYTES)"
    assert json.loads(got.values or "") == {"bytes": 22020096, "limit": MAX_ARTICLE_BYTES}


def test_file_at_the_limit_is_read(tmp_path: Path) -> None:
    path = write(tmp_path, "limit.txt", b"a" * MAX_ARTICLE_BYTES)
    assert article(read_article(path, tmp_path)).char_count == MAX_ARTICLE_BYTES


def test_vanished_file(tmp_path: Path) -> None:
    got = rejected(read_article(tmp_path / "gone.txt", tmp_path))
    assert (got.source_path, got.stage, got.failed_check) == ("gone.txt", "read", "exists")


def test_unreadable_path(tmp_path: Path) -> None:
    (tmp_path / "dir.txt").mkdir()
    got = rejected(read_article(tmp_path / "dir.txt", tmp_path))
    assert (got.stage, got.failed_check) == ("read", "regular_file")
    assert got.reason == "not a regular file: a folder; only regular files are read"


@pytest.mark.parametrize(
    ("data", "check", "reason"),
    [
        (b"", "not_empty", "empty file"),
        (b"  \r\n\t \n", "not_empty", "no text: the file holds only whitespace"),
        (b"<html><body><script>x()</script></body></html>", "not_empty",
         "no text: the file holds only HTML markup and whitespace"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "not_binary", None),
        (b"caf\xe9 ok", "decodable", None),
    ],
)
def test_decode_rejections(tmp_path: Path, data: bytes, check: str, reason: str | None) -> None:
    got = rejected(read_article(write(tmp_path, "x.txt", data), tmp_path))
    assert (got.source_path, got.stage, got.failed_check) == ("x.txt", "decode", check)
    if reason is not None:
        assert got.reason == reason


def test_bad_sidecar_is_rejected_with_its_path(tmp_path: Path) -> None:
    path = write(tmp_path, "hk/a.zh-Hans.txt", HANS)
    write(tmp_path, "hk/a.zh-Hans.meta.json", '{"published": "2025-02-30"}')
    got = rejected(read_article(path, tmp_path))
    assert (got.source_path, got.stage, got.failed_check) == ("hk/a.zh-Hans.txt", "meta", "valid_meta")
    assert got.reason == (
        "hk/a.zh-Hans.meta.json: published: '2025-02-30' is not a valid ISO 8601 date "
        "(YYYY, YYYY-MM or YYYY-MM-DD)"
    )


def test_malformed_sidecar_is_rejected(tmp_path: Path) -> None:
    path = write(tmp_path, "a.txt", "Hello world.")
    write(tmp_path, "a.meta.json", '{"title": "x",}')
    got = rejected(read_article(path, tmp_path))
    assert got.reason == (
        "a.meta.json: malformed JSON at line 1, column 15: Expecting property name enclosed in double quotes"
    )


def test_sidecar_language_overrides_detection(tmp_path: Path) -> None:
    path = write(tmp_path, "a.txt", HANS)
    write(tmp_path, "a.meta.json", '{"language": "zh-HK"}')
    assert article(read_article(path, tmp_path)).language == "zh-Hant"
    assert article(read_article(write(tmp_path, "b.txt", HANS), tmp_path)).language == "zh-Hans"


# --------------------------------------------------------------------------- listing


def test_listing_skips_sidecars_hidden_and_readme(tmp_path: Path) -> None:
    for rel in ["b.txt", "a.zh-Hans.txt", "a.zh-Hans.meta.json", "README.md", ".hidden.txt", ".git/x.txt",
                "sub/README.md", "sub/c.html", "sub/.cache/d.txt", "sub/c.meta.json"]:
        write(tmp_path, rel, "x")
    outside = write(tmp_path.parent / f"{tmp_path.name}-outside", "secret.txt", "x")
    (tmp_path / "link-out.txt").symlink_to(outside)
    (tmp_path / "link-dir").symlink_to(outside.parent, target_is_directory=True)
    (tmp_path / "link-in.txt").symlink_to(tmp_path / "b.txt")
    got = sorted(item.source_path for item in listing(tmp_path))
    # Links are listed wherever they lead (read_article refuses those leading out); folders behind links are not walked.
    assert got == ["a.zh-Hans.txt", "b.txt", "link-dir", "link-in.txt", "link-out.txt", "sub/README.md", "sub/c.html"]


def test_listing_missing_root(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="raw folder not found"):
        list(listing(tmp_path / "nope"))


def test_listing_then_read_accounts_for_every_file(tmp_path: Path) -> None:
    write(tmp_path, "ok.txt", HANS)
    write(tmp_path, "bad.txt", b"\x00\x01\x02\x03")
    write(tmp_path, "empty.txt", b"")
    paths = sorted(Path(item.entry.path) for item in listing(tmp_path))
    results = [read_article(p, tmp_path) for p in paths]
    assert [(type(r).__name__, r.source_path) for r in results] == [
        ("Rejected", "bad.txt"), ("Rejected", "empty.txt"), ("Article", "ok.txt"),
    ]


# --------------------------------------------------------------------------- properties

TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufeff")
    | st.sampled_from("\n\t"),
    min_size=1,
)
CJK = st.text(alphabet=st.sampled_from(HANS.replace("\n", "") + "，。、“”《》"), min_size=1, max_size=200)


@given(TEXT)
@settings(max_examples=200)
def test_utf8_round_trips(text: str) -> None:
    assert decode_bytes(text.encode("utf-8")) == (text, "utf-8")
    assert decode_bytes(codecs.BOM_UTF8 + text.encode("utf-8")) == (text, "utf-8-sig")


@given(TEXT)
@settings(max_examples=200)
def test_utf16_with_bom_round_trips(text: str) -> None:
    assert decode_bytes(codecs.BOM_UTF16_LE + text.encode("utf-16-le")) == (text, "utf-16-le")
    assert decode_bytes(codecs.BOM_UTF16_BE + text.encode("utf-16-be")) == (text, "utf-16-be")


def is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


@given(CJK)
@settings(max_examples=300)
def test_gbk_chinese_round_trips_to_the_same_text(text: str) -> None:
    assert decode_bytes(text.encode("utf-8")) == (text, "utf-8")
    gbk = text.encode("gbk")
    assume(not is_utf8(gbk))  # valid UTF-8 wins by design
    assert decode_bytes(gbk) == (text, "gb18030")


@given(st.text(alphabet=st.sampled_from(HANT.replace("\n", "") + "，。「」"), min_size=8, max_size=200))
@settings(max_examples=300)
def test_big5_chinese_round_trips_to_the_same_text(text: str) -> None:
    big5 = text.encode("big5")
    assume(not is_utf8(big5))
    assert decode_bytes(big5) == (text, "big5")


def test_gbk_that_is_also_valid_utf8_reads_as_utf8() -> None:
    assert decode_bytes("元".encode("gbk")) == ("Ԫ", "utf-8")


@given(st.text(alphabet=st.sampled_from("ab\r\n 中"), min_size=1))
def test_no_carriage_return_survives(text: str) -> None:
    decoded, _ = decode_bytes(text.encode("utf-8"))
    assert "\r" not in decoded
    assert decoded == text.replace("\r\n", "\n").replace("\r", "\n")


@given(st.text())
def test_language_and_html_never_crash(text: str) -> None:
    assert detect_language(text) in {"zh-Hans", "zh-Hant", "en", "und"}
    stripped = strip_html(text)
    assert stripped is None or isinstance(stripped, str)


HTML_PIECES = ["<p>", "</p>", "<!", "<![", "<!--", "-->", "<?", "]]>", "</", "<a b='", "'>", "&#", "&#x", "99999999",
               ";", "<![CDATA[", "<!DOCTYPE", "x", " ", "\n", ">", "<", "<script>", "</script>", "<!ELEMENT", "<![if",
               "<![endif]>", "<!-", "--", "香港"]


@given(st.lists(st.sampled_from(HTML_PIECES), max_size=20).map("".join))
@example("<![;")  # html.parser raises AssertionError on this declaration
@example("<!ELEMENT<p>")
def test_malformed_html_never_stops_the_read(body: str) -> None:
    stripped = strip_html("<html><body>" + body)
    assert isinstance(stripped, str)


def test_a_page_with_a_malformed_declaration_keeps_its_text() -> None:
    assert strip_html("<html><body><p>香港 12亿元</p><![;<p>第二段</p></body></html>") == "香港 12亿元\n<![;\n第二段"


@given(st.binary(max_size=512))
@settings(max_examples=300)
def test_any_bytes_decode_or_raise_decode_error(data: bytes) -> None:
    try:
        text, encoding = decode_bytes(data)
    except DecodeError as exc:
        assert exc.check in {"not_empty", "not_binary", "decodable"}
        assert exc.reason
    else:
        assert "\r" not in text and "\x00" not in text
        assert encoding in {"utf-8", "utf-8-sig", "utf-16-le", "utf-16-be", "gb18030", "big5"}

