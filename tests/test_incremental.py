"""Incremental runs: what a run reads, and what changed, deleted and duplicated files become."""

from __future__ import annotations

import os
from pathlib import Path

import polars as pl
import pytest
from conftest import open_lake

from fintech_metrics import incremental
from fintech_metrics.incremental import (
    DUPLICATE,
    LOADED,
    MISSING,
    QUARANTINED,
    duplicates,
    fingerprints,
    holders,
    plan_run,
    resolve,
)
from schemas import TABLES

V = "v1"


def known(rows: dict[str, tuple]) -> pl.DataFrame:
    """A `sources` table: source_path -> (article_id, fingerprint, status, extractor_version); a row may stop
    after any field, and the rest are "f", loaded and V."""
    defaults = (None, "f", LOADED, V)
    full = {path: (*row, *defaults[len(row):]) for path, row in rows.items()}
    return pl.DataFrame({"source_path": list(full), **{
        name: [row[i] for row in full.values()]
        for i, name in enumerate(("article_id", "fingerprint", "status", "extractor_version"))}},
        schema=TABLES["sources"].polars_schema())


def now(fingerprints_now: dict[str, str]) -> pl.DataFrame:
    return pl.DataFrame({"source_path": list(fingerprints_now), "fingerprint": list(fingerprints_now.values())},
                        schema=incremental.FINGERPRINTS).sort("source_path")


def paths(plan: incremental.RunPlan, state: str) -> list[str]:
    return plan.files.filter(pl.col("state") == state)["source_path"].to_list()


def extracted(rows: list[tuple[str, str | None]]) -> pl.DataFrame:
    return pl.DataFrame({"source_path": [p for p, _ in rows], "article_id": [a for _, a in rows],
                         "has_meta": [False] * len(rows)}, schema=incremental.EXTRACTED)


def test_plan_sorts_files_into_new_changed_unchanged_missing():
    before = known({"a.txt": ("A",), "b.txt": ("B",), "c.txt": ("C",), "gone.txt": ("G",),
                    "old.txt": ("O", "f", MISSING)})
    plan = plan_run(now({"a.txt": "f", "b.txt": "f2", "c.txt": "f", "new.txt": "f", "old.txt": "f"}), before, V)
    assert (paths(plan, "new"), paths(plan, "changed"), paths(plan, "unchanged"),
            plan.missing["source_path"].to_list()) == (
        ["new.txt"], ["b.txt", "old.txt"], ["a.txt", "c.txt"], ["gone.txt"])
    assert plan.reading()["source_path"].to_list() == ["b.txt", "new.txt", "old.txt"]
    assert [plan.count(state) for state in ("new", "changed", "unchanged", MISSING)] == [1, 2, 2, 1]


def test_fingerprints_stamp_each_file_and_its_sidecar(tmp_path: Path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.zh-Hans.txt").write_text("文章", encoding="utf-8")
    (tmp_path / "b.txt").write_text("text", encoding="utf-8")
    (tmp_path / "README.md").write_text("not an article", encoding="utf-8")
    (tmp_path / "c.txt").write_text("text", encoding="utf-8")
    (tmp_path / "c.meta.json").symlink_to(tmp_path / "gone.json")  # listed, but cannot be read
    sidecar = tmp_path / "sub" / "a.zh-Hans.meta.json"
    sidecar.write_text('{"title": "t"}', encoding="utf-8")
    os.utime(sidecar, ns=(1, 2_000_000_000))

    found = fingerprints(tmp_path)

    article = (tmp_path / "sub" / "a.zh-Hans.txt").stat()
    link = (tmp_path / "c.meta.json").lstat()  # a dangling link: stamped by the link itself
    assert found.rows() == [
        ("b.txt", f"4:{(tmp_path / 'b.txt').stat().st_mtime_ns}|-"),
        ("c.txt", f"4:{(tmp_path / 'c.txt').stat().st_mtime_ns}|-@{link.st_ino}:{link.st_mtime_ns}"),
        ("sub/a.zh-Hans.txt", f"{article.st_size}:{article.st_mtime_ns}|14:2000000000"),
    ]
    os.utime(sidecar, ns=(1, 3_000_000_000))
    assert dict(fingerprints(tmp_path).rows())["sub/a.zh-Hans.txt"].endswith("|14:3000000000")


def test_fingerprints_listed_a_few_at_a_time_are_the_whole_listing(tmp_path: Path, monkeypatch):
    for name in ("d.txt", "a.txt", "c.txt", "b.txt", "e.txt"):
        (tmp_path / name).write_text(name, encoding="utf-8")
    whole = fingerprints(tmp_path)
    monkeypatch.setattr(incremental, "LISTED_AT_ONCE", 2)
    assert fingerprints(tmp_path).equals(whole)
    assert whole["source_path"].to_list() == ["a.txt", "b.txt", "c.txt", "d.txt", "e.txt"]


def test_new_rules_re_extract_everything():
    plan = plan_run(now({"a.txt": "f", "b.txt": "f"}), known({"a.txt": ("A",), "b.txt": ("B",)}), "v2")
    assert paths(plan, "changed") == ["a.txt", "b.txt"] and paths(plan, "unchanged") == []


def test_a_duplicate_is_re_read_when_its_original_changes_or_goes():
    before = known({"a.txt": ("A",), "copy.txt": ("A", "f", DUPLICATE), "other.txt": ("B",),
                    "copy-b.txt": ("B", "f", DUPLICATE), "copy-c.txt": ("C", "f", DUPLICATE), "c.txt": ("C",)})
    plan = plan_run(now({"a.txt": "changed", "copy.txt": "f", "copy-b.txt": "f", "copy-c.txt": "f", "c.txt": "f"}),
                    before, V)
    assert paths(plan, "changed") == ["a.txt", "copy-b.txt", "copy.txt"]
    assert paths(plan, "unchanged") == ["c.txt", "copy-c.txt"]
    assert plan.missing["source_path"].to_list() == ["other.txt"]


def test_resolve_keeps_one_file_per_content():
    before = known({"z-loaded.txt": ("A",)})
    plan = plan_run(now({"z-loaded.txt": "f", "a.txt": "f", "b.txt": "f", "bad.txt": "f"}), before, V)
    assert holders(before, plan).rows() == [("A", "z-loaded.txt")]
    resolved = resolve(extracted([("a.txt", "A"), ("b.txt", "B"), ("bad.txt", None)]), holders(before, plan))
    assert resolved.select("source_path", "status").rows() == [
        ("a.txt", DUPLICATE), ("b.txt", LOADED), ("bad.txt", QUARANTINED)]
    [duplicate] = duplicates(resolved)
    assert (duplicate.source_path, duplicate.reason) == ("a.txt", "same content as z-loaded.txt (article_id A)")


def test_among_newcomers_the_first_path_wins():
    plan = plan_run(now({"b.txt": "f", "a.txt": "f"}), known({}), V)
    resolved = resolve(extracted([("b.txt", "X"), ("a.txt", "X")]), holders(known({}), plan))
    assert resolved.select("source_path", "status").rows() == [("a.txt", LOADED), ("b.txt", DUPLICATE)]
    assert [d.reason for d in duplicates(resolved)] == ["same content as a.txt (article_id X)"]


def test_among_newcomers_a_copy_with_a_sidecar_wins():
    plan = plan_run(now({"a.txt": "f", "b.txt": "f"}), known({}), V)
    copies = extracted([("a.txt", "X"), ("b.txt", "X")]).with_columns(has_meta=pl.Series([False, True]))
    resolved = resolve(copies, holders(known({}), plan))
    assert resolved.select("source_path", "status").rows() == [("a.txt", DUPLICATE), ("b.txt", LOADED)]
    assert [d.reason for d in duplicates(resolved)] == ["same content as b.txt (article_id X)"]


def test_a_file_loaded_before_keeps_its_article_unless_it_is_read_again_or_gone():
    before = known({"a.txt": ("X",), "b.txt": ("Y",)})
    plan = plan_run(now({"a.txt": "changed", "c.txt": "f", "d.txt": "f"}), before, V)
    # a.txt is read again (it changed), b.txt is gone: neither holds its article over a newcomer.
    assert holders(before, plan).is_empty()
    resolved = resolve(extracted([("a.txt", "Z"), ("c.txt", "X"), ("d.txt", "Y")]), holders(before, plan))
    assert resolved.select("source_path", "status").rows() == [("a.txt", LOADED), ("c.txt", LOADED),
                                                               ("d.txt", LOADED)]


ARTICLE = "恒生银行去年共有3000名员工,今年增至3200名。"


def _rows(warehouse: Path, sql: str) -> list[tuple]:
    with open_lake(warehouse) as con:
        return con.sql(sql).fetchall()


@pytest.mark.e2e
def test_changes_deletions_and_new_rules_over_several_runs(tmp_path, prefect_harness, monkeypatch):
    import flows.pipeline as pipeline

    raw, wh = tmp_path / "raw", tmp_path / "wh"
    raw.mkdir()
    (raw / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (raw / "b.txt").write_text("香港有超过1200家金融科技公司。", encoding="utf-8")

    def run():
        return pipeline.build(raw_dir=str(raw), warehouse_dir=str(wh))

    first = run()
    assert (first.files_new, first.articles_loaded, first.figures_loaded) == (2, 2, 3)
    old_id = _rows(wh, "SELECT article_id FROM sources WHERE source_path = 'a.txt'")[0][0]

    (raw / "a.txt").write_text("恒生银行今年共有3500名员工。", encoding="utf-8")
    second = run()
    assert (second.files_changed, second.files_unchanged, second.articles_read) == (1, 1, 1)
    assert _rows(wh, f"SELECT count(*) FROM figures WHERE article_id = '{old_id}'") == [(0,)]
    assert _rows(wh, "SELECT surface FROM figures JOIN sources USING (article_id) "
                     "WHERE source_path = 'a.txt'") == [("3500名员工",)]

    (raw / "b.txt").unlink()
    third = run()
    assert (third.files_missing, third.articles_read) == (1, 0)
    assert _rows(wh, "SELECT status FROM sources WHERE source_path = 'b.txt'") == [(MISSING,)]
    assert _rows(wh, "SELECT a.present, count(f.start) FROM articles a JOIN figures f USING (article_id) "
                     "WHERE a.source_path = 'b.txt' GROUP BY a.present") == [(False, 1)]

    (raw / "b.txt").write_text("香港有超过1200家金融科技公司。", encoding="utf-8")
    fourth = run()
    assert (fourth.files_changed, fourth.articles_loaded) == (1, 1)
    assert _rows(wh, "SELECT bool_and(present) FROM articles") == [(True,)]

    monkeypatch.setattr(pipeline, "EXTRACTOR_VERSION", "new-rules")
    fifth = run()
    assert (fifth.files_changed, fifth.articles_read, fifth.figures_loaded) == (2, 2, 2)
    assert _rows(wh, "SELECT DISTINCT extractor_version FROM sources") == [("new-rules",)]
    assert _rows(wh, "SELECT count(*) FROM runs") == [(5,)]


def _duplicate_keys(warehouse: Path) -> dict[str, int]:
    """Rows beyond the first of each key, per table: the big tables have no PRIMARY KEY index."""
    out = {}
    for name, table in TABLES.items():
        key = ", ".join(f'"{k}"' for k in table.key)
        out[name] = _rows(warehouse, f"SELECT coalesce(sum(n - 1), 0) FROM "
                                     f"(SELECT count(*) n FROM {name} GROUP BY {key})")[0][0]
    return out


@pytest.mark.e2e
def test_keys_stay_unique_when_one_content_is_read_from_several_files_and_batches(tmp_path, prefect_harness,
                                                                                 monkeypatch):
    import flows.pipeline as pipeline

    raw, wh = tmp_path / "raw", tmp_path / "wh"
    raw.mkdir()
    other = "香港有超过1200家金融科技公司。"
    for name, text in [("a.txt", ARTICLE), ("b.txt", ARTICLE), ("c.txt", other), ("d.txt", other)]:
        (raw / name).write_text(text, encoding="utf-8")
    clean = {name: 0 for name in TABLES}

    first = pipeline.build(raw_dir=str(raw), warehouse_dir=str(wh), batch_size=1)  # each copy in its own batch
    assert (first.articles_loaded, first.figures_loaded) == (2, 3)
    assert _duplicate_keys(wh) == clean

    (raw / "a.txt").write_text("恒生银行今年共有3500名员工。", encoding="utf-8")
    (raw / "e.txt").write_text(ARTICLE, encoding="utf-8")
    second = pipeline.build(raw_dir=str(raw), warehouse_dir=str(wh), batch_size=2)
    assert (second.files_new, second.files_changed, second.articles_loaded) == (1, 2, 2)
    assert _duplicate_keys(wh) == clean
    assert _rows(wh, "SELECT source_path, status FROM sources ORDER BY 1") == [
        ("a.txt", LOADED), ("b.txt", LOADED), ("c.txt", LOADED), ("d.txt", DUPLICATE), ("e.txt", DUPLICATE)]

    monkeypatch.setattr(pipeline, "EXTRACTOR_VERSION", "new-rules")
    third = pipeline.build(raw_dir=str(raw), warehouse_dir=str(wh), batch_size=2)
    assert (third.articles_read, third.articles_loaded) == (5, 3)
    assert _duplicate_keys(wh) == clean
    assert _rows(wh, "SELECT count(*) FROM articles") == [(3,)]


@pytest.mark.e2e
def test_of_two_copies_the_one_with_a_sidecar_is_the_article(tmp_path, prefect_harness):
    import flows.pipeline as pipeline

    raw, wh = tmp_path / "raw", tmp_path / "wh"
    raw.mkdir()
    for name in ("a.txt", "b.txt"):
        (raw / name).write_text(ARTICLE, encoding="utf-8")
    (raw / "b.meta.json").write_text('{"title": "恒生银行员工", "published": "2025-03-01"}', encoding="utf-8")
    pipeline.build(raw_dir=str(raw), warehouse_dir=str(wh))
    assert _rows(wh, "SELECT source_path, title, published FROM articles") == [("b.txt", "恒生银行员工", "2025-03-01")]
    assert _rows(wh, "SELECT source_path, status FROM sources ORDER BY 1") == [("a.txt", DUPLICATE), ("b.txt", LOADED)]
