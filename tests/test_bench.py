"""The benchmark's baseline loop still trains and profiles (bench/bench_sgd.py)."""
from __future__ import annotations

import numpy as np
import pytest

from d2lhelpers.data import synthetic_regression

pytestmark = pytest.mark.build


def test_bench_baseline_trains_and_profiles():
    import importlib.util
    from pathlib import Path
    path = Path(__file__).resolve().parent.parent / "bench" / "bench_sgd.py"
    spec = importlib.util.spec_from_file_location("bench_sgd", path)
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    X, y = synthetic_regression(500, seed=0)
    w, b = bench.straightforward(X, y, 10, 0.1, epochs=3)
    np.testing.assert_allclose(np.append(w, b), [2.0, -3.4, 4.2], atol=0.01)
    prof = bench.profile_batch_size_1(X, y, steps=50)
    assert set(prof) == {"NDArrayIter + reshape", "forward", "backward", "trainer.step"}
    assert all(v > 0 for v in prof.values())
