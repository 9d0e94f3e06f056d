"""How many files a task gets when the run does not say: few tasks (each costs Prefect's bookkeeping
and a validation pass), but enough per worker that the workers finish together, and never more than
a worker should hold in memory."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

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
