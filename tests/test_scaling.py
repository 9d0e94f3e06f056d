"""The same batches on another task runner give the same warehouse: the default process pool
against a Dask LocalCluster (what `fintech-metrics run --runner dask` starts without --address)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import open_lake

from flows.runners import Runner

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[1]
CONTENT = ("articles", "figures", "metrics", "quarantine", "sources")
BANKS = ["恒生银行", "东亚银行", "中银香港", "渣打银行", "众安银行", "汇丰银行", "天星银行", "上海银行"]


def _raw(folder: Path) -> Path:
    """The shipped article, eight short distinct ones, one duplicate and one empty file."""
    folder.mkdir()
    (folder / "hk.txt").write_bytes((ROOT / "raw" / "hk-fintech-week-2025.zh-Hans.txt").read_bytes())
    for i, bank in enumerate(BANKS):
        (folder / f"bank-{i}.txt").write_text(
            f"截至2025年{i + 1}月，{bank}共有{1000 + 37 * i}名员工，其中超过{20 + i}%从事金融科技工作。"
            f"{bank}预计到2030年投入{i + 2}亿港元发展人工智能。", encoding="utf-8")
    (folder / "copy.txt").write_bytes((folder / "bank-0.txt").read_bytes())
    (folder / "empty.txt").write_bytes(b"")
    return folder


def _dump(warehouse: Path) -> dict[str, list[tuple]]:
    with open_lake(warehouse) as con:
        return {t: con.sql(f"SELECT * FROM {t} ORDER BY ALL").fetchall() for t in CONTENT}


def test_a_dask_cluster_builds_the_same_warehouse_as_the_process_pool(tmp_path, prefect_harness):
    from flows.pipeline import build

    raw = _raw(tmp_path / "raw")
    local = build(raw_dir=str(raw), warehouse_dir=str(tmp_path / "local"), batch_size=3, runner=Runner.process,
                  workers=2)
    dask = build(raw_dir=str(raw), warehouse_dir=str(tmp_path / "dask"), batch_size=3, runner=Runner.dask, workers=2)
    assert local.articles_read == dask.articles_read == 11  # four batches
    assert (local.articles_loaded, local.rows_quarantined) == (dask.articles_loaded, dask.rows_quarantined) == (9, 2)
    expected, got = _dump(tmp_path / "local"), _dump(tmp_path / "dask")
    assert len(expected["figures"]) > 30
    assert got == expected
