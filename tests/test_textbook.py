"""The textbook's interface: ``sgd(params, lr, batch_size)`` and ``train``."""
from __future__ import annotations

import math

import numpy as np
import pytest

from d2lhelpers.checks import DivergenceWarning
from d2lhelpers.data import synthetic_regression
from d2lhelpers.optim import sgd as sgd_rule
from d2lhelpers.textbook import sgd, train
from d2lhelpers.trainers import train_fused

pytestmark = pytest.mark.unit


def test_textbook_sgd_divides_by_batch_size():
    from mxnet import nd
    p = nd.array([1.0, 2.0])
    p.attach_grad()
    p.grad[:] = nd.array([4.0, -8.0])
    sgd([p], 0.5, 4)
    np.testing.assert_allclose(p.asnumpy(), [0.5, 3.0])


@pytest.mark.slow
def test_divergence_is_detected_and_reported(capsys):
    import matplotlib
    matplotlib.use("Agg")
    with pytest.warns(DivergenceWarning, match="diverged"):
        h = train(10, 5.0, epochs=3, period=10, seed=0)
    k = h.diverged_at
    assert k is not None and 0 < k < len(h.loss)
    assert not math.isfinite(h.loss[k]) and all(math.isfinite(v) for v in h.loss[:k])
    assert len(h.loss) == k + 1          # the run stopped there
    assert "DIVERGED" in capsys.readouterr().out
    with pytest.warns(DivergenceWarning):
        hf = train_fused(sgd_rule(5.0), *synthetic_regression(1000, seed=0), 10, 3,
                         record_every=10)
    assert hf.diverged_at is not None


@pytest.mark.parametrize("kwargs, match", [
    (dict(batch_size=4, lr=float("nan")), "learning rate"),
    (dict(batch_size=0, lr=0.1), "batch_size"),
])
def test_bad_arguments_are_named(kwargs, match):
    with pytest.raises(ValueError, match=match):
        train(**kwargs, verbose=False)
