"""How many files a task gets when the run does not say: few tasks (each costs Prefect's bookkeeping
and a validation pass), but enough per worker that the workers finish together, and never more than
a worker should hold in memory; and how a batch is read."""

from __future__ import annotations

import gc
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fintech_metrics import batch
from fintech_metrics.batch import BATCHES_PER_WORKER, MAX_BATCH, MIN_BATCH, batch_size_for


@pytest.mark.parametrize(("files", "workers", "size"), [
    (1, 2, 500),  # one small batch, read in the flow's own process
    (4_000, 2, 500),
    (10_000, 2, 1_250),  # eight batches: four per worker
    (100_000, 2, 2_000),  # capped: 50 batches
    (40_000, 8, 1_250),
    (10_000, 0, 2_000),  # an unknown worker count counts as one
])
def test_batch_size_for_a_run(files, workers, size):
    assert batch_size_for(files, workers) == size


@given(st.integers(0, 10_000_000), st.integers(1, 64))
def test_batches_are_bounded_and_enough_for_every_worker(files, workers):
    size = batch_size_for(files, workers)
    assert MIN_BATCH <= size <= MAX_BATCH
    if MIN_BATCH * BATCHES_PER_WORKER * workers <= files <= MAX_BATCH * BATCHES_PER_WORKER * workers:
        assert math.ceil(files / size) >= BATCHES_PER_WORKER * workers


def test_a_batch_collects_garbage_less_often_and_puts_the_setting_back(tmp_path, monkeypatch):
    (tmp_path / "a.txt").write_text("香港的金融科技公司已超过1200家。", encoding="utf-8")
    (tmp_path / "b.txt").write_text("HSBC raised $2bn in Q3.", encoding="utf-8")
    seen = []

    read = batch.read_article

    def read_recording_the_threshold(path, root):  # a parser failure is quarantined: fail where nothing catches
        seen.append(gc.get_threshold()[0])
        if path.name == "b.txt":
            raise RuntimeError("reader failed")
        return read(path, root)

    monkeypatch.setattr(batch, "read_article", read_recording_the_threshold)
    before = gc.get_threshold()
    with pytest.raises(RuntimeError, match="reader failed"):
        batch.extract_batch(sorted(tmp_path.glob("*.txt")), tmp_path)
    assert seen == [batch.BATCH_GC_THRESHOLD, batch.BATCH_GC_THRESHOLD]
    assert gc.get_threshold() == before


def test_a_batch_read_in_chunks_gives_the_rows_of_one_read(tmp_path, monkeypatch):
    texts = {
        "a.txt": "香港的金融科技公司已超过1200家，较2024年增加15%。",
        "b.txt": "HSBC raised $2bn in Q3, up from $1.5bn a year earlier.",
        "c.txt": b"\xff\xfe\x00broken",  # quarantined between two chunks' articles
        "d.txt": "虛擬銀行數目為8家。",
        "e.txt": "Ant Group served more than 1 billion users in 2024.",
    }
    for name, text in texts.items():
        path = tmp_path / name
        path.write_bytes(text) if isinstance(text, bytes) else path.write_text(text, encoding="utf-8")
    paths = sorted(tmp_path.glob("*.txt"))
    whole = batch.extract_batch(paths, tmp_path)
    monkeypatch.setattr(batch, "CHUNK_ARTICLES", 2)
    chunked = batch.extract_batch(paths, tmp_path)
    assert (whole.articles.height, whole.rejected.height) == (4, 1)
    assert whole.figures.height >= 8
    for name in ("articles", "figures", "metrics", "rejected"):
        assert getattr(chunked, name).equals(getattr(whole, name)), name
    assert batch.extract_batch([], tmp_path).figures.height == 0
