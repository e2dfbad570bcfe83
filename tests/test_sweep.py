"""The batch-size sweep."""
from __future__ import annotations

import numpy as np
import pytest

from d2lhelpers.data import synthetic_regression

pytestmark = pytest.mark.unit


def test_sweep_records_and_progress(capsys):
    from d2lhelpers.sweep import sweep
    X, y = synthetic_regression(200, seed=0)
    runs = sweep([1, 200], [0.1, 1.0], X, y, epochs=2)
    assert capsys.readouterr().out.splitlines() == [
        "[1/2] batch sizes: batch size 1 done", "[2/2] batch sizes: batch size 200 done"]
    assert runs[0].samples == list(range(0, 401, 20))
    assert runs[1].samples == [0, 200, 400]
    np.testing.assert_allclose(runs[0].w, [2.0, -3.4], atol=0.02)
    assert runs[1].loss[-1] < runs[1].loss[0] / 100     # two full-batch steps
    with pytest.raises(ValueError, match="same length"):
        sweep([1, 2], [0.1], X, y)
