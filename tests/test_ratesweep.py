"""ratesweep: what a sweep records, and the updates to a target."""
import numpy as np
import pytest

from d2lhelpers import digits
from d2lhelpers import ratesweep as R

pytestmark = pytest.mark.unit


def _sweep(curve, per=10):
    """A hand-made sweep: one rate, the seeds' accuracy curves as columns."""
    acc = np.array(curve, dtype=float).reshape(len(curve), 1, -1)
    return R.Sweep("hand", (0.1,), (0,), curves={("valid", "acc"): acc},
                   updates_per_epoch=per)


def test_updates_to_interpolates_between_epochs():
    sw = _sweep([[0.1, 0.1, 0.5], [0.5, 0.95, 0.5], [0.9, 0.99, 0.5]])
    u = sw.updates_to(0.9)
    # seed 0 reaches 0.9 at epoch 2 exactly; seed 1 at 0.8 / 0.85 of epoch 1
    np.testing.assert_allclose(u[0, :2], [20.0, 10 * 0.8 / 0.85])
    assert np.isnan(u[0, 2])                       # never
    assert sw.updates_to(0.05)[0, 0] == 0.0        # already at the start


def test_a_diverged_network_never_reaches_the_target():
    sw = _sweep([[0.1], [np.nan], [np.nan]])     # nan from its divergence on
    assert np.isnan(sw.updates_to(0.05 + 0.9)[0, 0])


def test_updates_to_needs_the_updates_per_epoch():
    with pytest.raises(ValueError, match="updates per epoch"):
        _sweep([[0.1], [0.95]], per=0).updates_to(0.9)


@pytest.mark.slow
def test_a_sweep_records_only_the_splits_asked_for():
    data = digits.load(seed=0)
    small = digits.subset(data.train, 64, seed=0)
    sw = R.sweep(data, "sgd", [0.1], [0], sizes=(64, 8, 10), batch_size=32,
                 epochs=1, train=small, splits=("valid",))
    assert {k for k in sw.curves if k[0] != "weights"} == {("valid", "loss"),
                                                          ("valid", "acc")}
    assert sw.curves["valid", "acc"].shape == (2, 1, 1)
    assert not sw.diverged().any()                 # read from the valid loss
    full = R.sweep(data, "sgd", [0.1], [0], sizes=(64, 8, 10), batch_size=32,
                   epochs=1, train=small)
    np.testing.assert_array_equal(full.curves["valid", "acc"],
                                  sw.curves["valid", "acc"])
    for bad in ("valid", (), ("valid", "valid"), ("dev",)):
        with pytest.raises(ValueError, match="splits"):
            R.sweep(data, "sgd", [0.1], [0], sizes=(64, 8, 10), batch_size=32,
                    epochs=1, train=small, splits=bad)
