"""Hostile raw folders (issue 17, defects 3, 4 and 10): every bad file a careless operator or an attacker can
put in raw/ ends up loaded or quarantined with a reason a person can act on, nothing outside raw/ is read, and
nothing crashes or hangs the run.

The folders are built here; the listing and the batch read them in a child process with a time limit and a
memory cap, so a regression (a FIFO that blocks, a link to /dev/zero) fails the test instead of hanging it or
eating the machine's memory.
"""

from __future__ import annotations

import json
import os
import resource
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import polars as pl
import pytest
from conftest import open_lake

HANS = "香港金融科技周吸引了超过100个经济体的37000多名高管参加。\n"
SECRET = "root:x:0:0:SECRET-OUTSIDE-RAW:/root:/bin/bash\n"
GBK_NAME = "新闻.txt".encode("gbk")  # not UTF-8: os.fsdecode keeps its bytes as surrogates
CHILD_SECONDS = 10  # per case, in the child
CHILD_MEMORY = 3 * 1024**3  # the child's address space: a read without bound fails fast instead of swapping


def _write(path: Path, data: bytes | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def _gbk_named(raw: Path, outside: Path) -> None:
    folder = os.fsencode(raw)
    with open(folder + b"/" + GBK_NAME, "wb") as fh:
        fh.write(HANS.encode("utf-8"))
    with open(folder + b"/" + "新闻.meta.json".encode("gbk"), "wb") as fh:
        fh.write(b'{"title": "GBK name"}')


def _gbk_folder(raw: Path, outside: Path) -> None:
    folder = os.fsencode(raw) + b"/" + "香港".encode("gbk")
    os.mkdir(folder)
    with open(folder + b"/a.txt", "wb") as fh:
        fh.write(HANS.encode("utf-8"))


def _control_name(raw: Path, outside: Path) -> None:
    _write(raw / "two\nlines\x1b[31m|\u202etxt.exe", HANS)  # a newline, a terminal escape, a bidi override
    _write(raw / "two\nlines\x1b[31m|\u202etxt.meta.json", '{"title": "control name"}')


def _nested_sidecar(raw: Path, outside: Path) -> None:
    _write(raw / "a.txt", HANS)
    _write(raw / "a.meta.json", "[" * 1000 + "]" * 1000)  # 2 KB, 1,000 deep


def _fifo_sidecar(raw: Path, outside: Path) -> None:
    _write(raw / "a.txt", HANS)
    os.mkfifo(raw / "a.meta.json")


def _zero_sidecar(raw: Path, outside: Path) -> None:
    _write(raw / "a.txt", HANS)
    (raw / "a.meta.json").symlink_to("/dev/zero")


def _outside_article(raw: Path, outside: Path) -> None:
    (raw / "a.txt").symlink_to(_write(outside / "passwd", SECRET))


def _outside_sidecar(raw: Path, outside: Path) -> None:
    _write(raw / "a.txt", HANS)
    (raw / "a.meta.json").symlink_to(_write(outside / "meta.json", json.dumps({"title": SECRET})))


def _outside_folder_link(raw: Path, outside: Path) -> None:
    _write(outside / "secret.txt", SECRET)
    (raw / "elsewhere").symlink_to(outside, target_is_directory=True)


def _non_string_value(raw: Path, outside: Path) -> None:
    _write(raw / "a.txt", HANS)
    _write(raw / "a.meta.json", json.dumps({"title": {"nested": "\u2028<script>" + "A" * 10_000}}))


def _long_number(raw: Path, outside: Path) -> None:
    _write(raw / "a.txt", HANS)
    _write(raw / "a.meta.json", '{"x": ' + "1" * 5000 + "}")  # past Python's 4,300-digit int limit


def _malformed_html(raw: Path, outside: Path) -> None:
    _write(raw / "a.html", "<html><body><p>" + HANS + "</p><![;</body></html>")  # html.parser asserts on <![;


def _huge_sidecar(raw: Path, outside: Path) -> None:
    _write(raw / "a.txt", HANS)
    _write(raw / "a.meta.json", b'{"title": "' + b"x" * (30 * 1024 * 1024) + b'"}')  # a 30 MB title


def _long_title(raw: Path, outside: Path) -> None:
    _write(raw / "a.txt", HANS)
    _write(raw / "a.meta.json", json.dumps({"title": "t" * 5000}))


def _long_name(raw: Path, outside: Path) -> None:
    _write(raw / ("n" * 250 + ".txt"), HANS)  # 254 bytes: its sidecar's name would be over 255


def _gb18030_english(raw: Path, outside: Path) -> None:
    text = "The regulator said \u201cthe sandbox has 27 use cases\u201d and the \u2018second cohort\u2019 grew.\n"
    _write(raw / "a-utf8.txt", text)
    _write(raw / "b-gb18030.txt", text.encode("gb18030"))


def _loop(raw: Path, outside: Path) -> None:
    (raw / "a.txt").symlink_to("b.txt")
    (raw / "b.txt").symlink_to("a.txt")


def _dangling(raw: Path, outside: Path) -> None:
    (raw / "a.txt").symlink_to(outside / "gone.txt")


def _fifo_article(raw: Path, outside: Path) -> None:
    os.mkfifo(raw / "a.txt")


def _link_inside(raw: Path, outside: Path) -> None:
    _write(raw / "sub" / "real.txt", HANS)
    (raw / "a.txt").symlink_to(Path("sub") / "real.txt")


# case -> (how to build it, what each listed file becomes: "loaded" (an article), else "stage/check")
CASES: dict[str, tuple[Callable[[Path, Path], None], dict[str, str]]] = {
    "symlink loop": (_loop, {"a.txt": "read/symlink_target", "b.txt": "read/symlink_target"}),
    "name not UTF-8 (GBK)": (_gbk_named, {r"\xd0\xc2\xce\xc5.txt": "loaded"}),
    "folder name not UTF-8 (GBK)": (_gbk_folder, {r"\xcf\xe3\xb8\xdb/a.txt": "loaded"}),
    "name with controls and a bidi override": (_control_name, {r"two\nlines\x1b[31m|\u202etxt.exe": "loaded"}),
    "sidecar nested 1,000 deep": (_nested_sidecar, {"a.txt": "meta/valid_meta"}),
    "FIFO as sidecar": (_fifo_sidecar, {"a.txt": "meta/regular_file"}),
    "sidecar linked to /dev/zero": (_zero_sidecar, {"a.txt": "meta/inside_raw"}),
    "article linked outside raw": (_outside_article, {"a.txt": "read/inside_raw"}),
    "sidecar linked outside raw": (_outside_sidecar, {"a.txt": "meta/inside_raw"}),
    "folder linked outside raw": (_outside_folder_link, {"elsewhere": "read/inside_raw"}),
    "non-string sidecar value": (_non_string_value, {"a.txt": "meta/valid_meta"}),
    "5,000-digit number in a sidecar": (_long_number, {"a.txt": "meta/valid_meta"}),
    "HTML with a malformed declaration": (_malformed_html, {"a.html": "loaded"}),
    "30 MB sidecar": (_huge_sidecar, {"a.txt": "meta/max_size"}),
    "5,000-character title": (_long_title, {"a.txt": "meta/valid_meta"}),
    "254-byte file name": (_long_name, {"n" * 250 + ".txt": "loaded"}),
    "GB18030 English with curly quotes": (_gb18030_english, {"a-utf8.txt": "loaded", "b-gb18030.txt": "loaded"}),
    "dangling symlink": (_dangling, {"a.txt": "read/symlink_target"}),
    "FIFO as article": (_fifo_article, {"a.txt": "read/regular_file"}),
    "symlink inside raw": (_link_inside, {"a.txt": "loaded", "sub/real.txt": "loaded"}),
}
CASES_BY_MAKER = {make: files for make, files in CASES.values()}


def _child(folders: list[str]) -> None:
    """In the child: list and read each raw folder under a time limit; one JSON line per folder."""
    from fintech_metrics.batch import stage_batch
    from fintech_metrics.incremental import fingerprints

    def expired(signum, frame):
        raise TimeoutError(f"still running after {CHILD_SECONDS} s")

    signal.signal(signal.SIGALRM, expired)
    for folder in map(Path, folders):
        signal.alarm(CHILD_SECONDS)
        try:
            listed = fingerprints(folder)["source_path"].to_list()
            staged = stage_batch([folder / p for p in listed], folder, folder.parent / f"{folder.name}-staged")
            result = {"listed": listed,
                      "outcomes": pl.read_parquet(staged.outcomes).to_dicts(),
                      "articles": pl.read_parquet(staged.file("articles")).to_dicts(),
                      "quarantine": pl.read_parquet(staged.file("quarantine")).to_dicts()}
        except BaseException as exc:  # noqa: BLE001 - the test reports it
            result = {"crash": f"{type(exc).__name__}: {str(exc)[:300]}"}
        finally:
            signal.alarm(0)
        print(json.dumps(result, ensure_ascii=True, default=str), flush=True)


def _cap_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (CHILD_MEMORY, CHILD_MEMORY))


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory) -> dict[str, dict]:
    root = tmp_path_factory.mktemp("hostile")
    folders = []
    for i, (build, _) in enumerate(CASES.values()):
        raw, outside = root / f"case-{i:02d}" / "raw", root / f"case-{i:02d}" / "outside"
        raw.mkdir(parents=True)
        outside.mkdir()
        build(raw, outside)
        folders.append(str(raw))
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    done = subprocess.run([sys.executable, __file__, *folders], capture_output=True, text=True, env=env,
                          timeout=CHILD_SECONDS * len(CASES) + 60, preexec_fn=_cap_memory, check=False)
    lines = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    assert len(lines) == len(CASES), f"the child stopped (exit {done.returncode}): {done.stderr[-2000:]}"
    return dict(zip(CASES, lines, strict=True))


@pytest.mark.parametrize("case", list(CASES))
def test_every_bad_file_is_loaded_or_quarantined_with_a_reason(outcomes: dict[str, dict], case: str) -> None:
    got = outcomes[case]
    assert "crash" not in got, got.get("crash")
    became = {o["source_path"]: "loaded" for o in got["outcomes"] if o["article_id"] is not None}
    became |= {q["source_path"]: f"{q['stage']}/{q['failed_check']}" for q in got["quarantine"]}
    expected = CASES[case][1]
    assert sorted(got["listed"]) == sorted(expected)  # every entry is listed, so it reaches sources
    assert became == expected
    for q in got["quarantine"]:
        # A reason a person can act on, short, and echoing nothing read from outside raw/ or at length.
        assert "SECRET" not in q["reason"] and "SECRET" not in (q["values"] or "")
        assert len(q["reason"]) < 300, q["reason"]
    for a in got["articles"]:
        assert "SECRET" not in a["text"] and "SECRET" not in (a["title"] or "")


def test_a_name_that_is_not_utf8_is_read_with_its_sidecar(outcomes: dict[str, dict]) -> None:
    (got,) = outcomes["name not UTF-8 (GBK)"]["articles"]
    assert (got["title"], got["text"]) == ("GBK name", HANS)


def test_a_name_with_controls_is_shown_escaped_and_read_with_its_sidecar(outcomes: dict[str, dict]) -> None:
    (got,) = outcomes["name with controls and a bidi override"]["articles"]
    assert (got["source_path"], got["title"]) == (r"two\nlines\x1b[31m|\u202etxt.exe", "control name")


def test_english_in_gb18030_is_the_same_article_as_in_utf8(outcomes: dict[str, dict]) -> None:
    """Curly quotes are GB18030 A1B0/A1B1, which Big5 reads as ※ and §: decoded right, the file is the same
    article as its UTF-8 copy, so the flow keeps one and quarantines the other as a duplicate."""
    from fintech_metrics.ingest import decode_bytes

    ids = {o["source_path"]: o["article_id"] for o in outcomes["GB18030 English with curly quotes"]["outcomes"]}
    assert ids["a-utf8.txt"] == ids["b-gb18030.txt"] is not None
    text = "He said \u201cyes\u201d, then \u2018no\u2019 \u2014 twice\u2026"
    assert decode_bytes(text.encode("gb18030")) == (text, "gb18030")
    assert decode_bytes(text.encode("big5")) == (text, "big5")


@pytest.mark.parametrize(("case", "reason"), [
    ("sidecar nested 1,000 deep",
     "a.meta.json: JSON nested 1,000 levels deep; the limit is 20 (a sidecar is one object of strings)"),
    ("30 MB sidecar", "a.meta.json: sidecar is 31,457,293 bytes; the limit is 65,536 (MAX_SIDECAR_BYTES)"),
    ("5,000-character title",
     "a.meta.json: title: 5,000 characters; the limit is 1,000 (MAX_META_CHARS), starts "
     "'tttttttttttttttttttttttttttttttttttttttt…'"),
    ("non-string sidecar value",
     "a.meta.json: title: expected a string, got object {\"nested\": \"\\u2028<script>AAAAAAAAAAAAAA…"),
    ("FIFO as sidecar",
     "a.meta.json: sidecar: not a regular file: a named pipe (FIFO); only regular files are read"),
    ("FIFO as article", "not a regular file: a named pipe (FIFO); only regular files are read"),
])
def test_reasons_say_what_to_fix(outcomes: dict[str, dict], case: str, reason: str) -> None:
    (got,) = outcomes[case]["quarantine"]
    assert got["reason"] == reason


def test_a_file_re_pointed_outside_raw_after_the_listing_is_not_read(tmp_path: Path) -> None:
    """The check is made on the file opened, not on the name listed: a file swapped for a link to a file
    outside raw/ between the listing and the read is refused."""
    from fintech_metrics.batch import extract_batch
    from fintech_metrics.incremental import fingerprints

    raw = tmp_path / "raw"
    _write(raw / "x.txt", HANS)
    _write(raw / "sub" / "y.txt", HANS + "2")
    secret = _write(tmp_path / "outside" / "passwd", SECRET)
    listed = fingerprints(raw)["source_path"].to_list()
    (raw / "x.txt").unlink()
    (raw / "x.txt").symlink_to(secret)
    (raw / "sub" / "y.txt").unlink()
    (raw / "sub").rmdir()
    (raw / "sub").symlink_to(secret.parent, target_is_directory=True)  # a folder on the path, re-pointed
    (secret.parent / "y.txt").write_text(SECRET, encoding="utf-8")
    result = extract_batch([raw / p for p in listed], raw)
    assert result.articles.height == 0
    assert sorted(result.rejected.select("source_path", "failed_check").rows()) == [
        ("sub/y.txt", "inside_raw"), ("x.txt", "inside_raw")]


def test_a_name_shown_like_a_name_that_is_not_utf8_stays_distinct(tmp_path: Path) -> None:
    """A UTF-8 name spelled like the display of a name that is not UTF-8 keeps its own name; the other is told
    apart, and each reads its own file."""
    from fintech_metrics.ingest import listing, read_article

    raw = tmp_path / "raw"
    _write(raw / r"\xd0\xc2\xce\xc5.txt", "literal backslashes\n")
    _gbk_named(raw, tmp_path)
    listed = sorted(item.source_path for item in listing(raw))
    assert listed == [r"\xd0\xc2\xce\xc5.txt", r"\xd0\xc2\xce\xc5.txt~2"]
    texts = [read_article(raw / p, raw).text for p in listed]  # type: ignore[union-attr]
    assert texts == ["literal backslashes\n", HANS]



def test_without_proc_the_opened_file_is_compared_with_its_real_path(tmp_path: Path, monkeypatch) -> None:
    """Where there is no /proc/self/fd (or no O_PATH) the file is opened non-blocking and its device and inode
    compared with its real path's: the same verdicts."""
    from fintech_metrics import ingest
    from fintech_metrics.ingest import files

    monkeypatch.setattr(files, "_HAVE_PROC_FD", False)
    raw, outside = tmp_path / "raw", tmp_path / "outside"
    raw.mkdir()
    outside.mkdir()
    for make in (_outside_article, _fifo_article, _loop, _dangling):
        for entry in raw.iterdir():
            entry.unlink()
        make(raw, outside)
        got = ingest.read_article(raw / "a.txt", raw)
        assert f"{got.stage}/{got.failed_check}" == CASES_BY_MAKER[make]["a.txt"]  # type: ignore[union-attr]
    _write(raw / "ok.txt", HANS)
    assert ingest.read_article(raw / "ok.txt", raw).text == HANS  # type: ignore[union-attr]


def test_a_parser_failure_costs_one_article_not_the_run(tmp_path: Path, monkeypatch) -> None:
    from fintech_metrics import batch

    real = batch.article_figures

    def fragile(article):
        if "boom" in article.text:
            raise IndexError("string index out of range")
        return real(article)

    monkeypatch.setattr(batch, "article_figures", fragile)
    raw = tmp_path / "raw"
    _write(raw / "a.txt", HANS)
    _write(raw / "b.txt", "boom 12%\n")
    result = batch.extract_batch([raw / "a.txt", raw / "b.txt"], raw)
    assert result.articles["source_path"].to_list() == ["a.txt"]
    assert result.rejected.select("source_path", "stage", "failed_check", "reason").rows() == [
        ("b.txt", "validate", "extractable", "the parsers failed on this article (IndexError: "
         "'string index out of range'); it is a bug: report it with the file")]


# --------------------------------------------------------------------------- the flow, every bad file at once

FLOW_SECONDS = 300  # the whole module's flow runs; past this a hang kills the test process with a traceback


@pytest.fixture(scope="module")
def hostile_runs(tmp_path_factory, prefect_harness):
    """Two runs of the flow over one raw folder holding every case above (each in a folder of its own)."""
    import faulthandler

    from flows.pipeline import build

    root = tmp_path_factory.mktemp("hostile-flow")
    raw = root / "raw"
    for i, (make, _) in enumerate(CASES.values()):
        (raw / f"c{i:02d}").mkdir(parents=True)
        (root / f"outside-{i:02d}").mkdir()
        make(raw / f"c{i:02d}", root / f"outside-{i:02d}")
    warehouse = root / "warehouse"
    faulthandler.dump_traceback_later(FLOW_SECONDS, exit=True)
    try:
        first = build(raw_dir=str(raw), warehouse_dir=str(warehouse))
        second = build(raw_dir=str(raw), warehouse_dir=str(warehouse))
    finally:
        faulthandler.cancel_dump_traceback_later()
    return first, second, warehouse


@pytest.mark.e2e
def test_the_flow_accounts_for_every_bad_file(hostile_runs) -> None:

    first, second, warehouse = hostile_runs
    expected = {f"c{i:02d}/{path}": became for i, (_, files) in enumerate(CASES.values())
                for path, became in files.items()}
    with open_lake(warehouse) as con:
        sources = dict(con.sql("SELECT source_path, status FROM sources").fetchall())
        quarantined = dict(con.sql("SELECT source_path, stage || '/' || failed_check FROM quarantine").fetchall())
        loaded = {p for (p,) in con.sql("SELECT source_path FROM articles").fetchall()}
    assert sorted(sources) == sorted(expected)  # every file is in sources ...
    for path, became in expected.items():  # ... and loaded, a duplicate, or quarantined as the cases say
        if became == "loaded":
            assert path in loaded or quarantined.get(path) == "duplicate/unique_content", path
        else:
            assert (sources[path], quarantined.get(path)) == ("quarantined", became), path
    gb18030 = next(p for p in expected if p.endswith("b-gb18030.txt"))
    assert quarantined[gb18030] == "duplicate/unique_content"
    assert any(p.endswith(r"\xd0\xc2\xce\xc5.txt") for p in loaded)  # the string columns hold the name
    assert (first.files_seen, second.files_seen, second.files_unchanged, second.articles_read) == (
        len(expected), len(expected), len(expected), 0)


@pytest.mark.e2e
def test_nothing_from_outside_raw_reaches_the_exports(hostile_runs, tmp_path) -> None:
    from fintech_metrics.exports import export_snapshot
    from fintech_metrics.settings import load_settings

    *_, warehouse = hostile_runs
    export_snapshot(load_settings(warehouse_dir=warehouse), tmp_path / "exports")
    exports = sorted((tmp_path / "exports").iterdir())
    assert {"articles.csv", "articles.parquet", "quarantine.csv", "sources.csv"} <= {e.name for e in exports}
    for export in exports:
        assert b"SECRET-OUTSIDE-RAW" not in export.read_bytes(), export.name
    articles = pl.read_csv(tmp_path / "exports" / "articles.csv")
    assert articles["source_path"].str.ends_with(r"\xd0\xc2\xce\xc5.txt").any()
    reasons = pl.read_parquet(tmp_path / "exports" / "quarantine.parquet")["reason"]
    assert reasons.str.len_chars().max() < 300


if __name__ == "__main__":
    _child(sys.argv[1:])
