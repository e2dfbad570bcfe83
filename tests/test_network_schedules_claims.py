"""The stated conclusions of chapters/network-schedules.md, on the same
seeded runs it makes (warm-up and schedules; batch size and the linear
scaling rule). Slow (the page's own training time): marked ``chapter``."""
import numpy as np
import pytest

from d2lhelpers import digits
from d2lhelpers import ratesweep as R
from d2lhelpers import schedules as S

pytestmark = [pytest.mark.chapter, pytest.mark.slow]

SIZES, SEEDS, BATCH, EPOCHS = (64, 32, 32, 10), (0, 1, 2), 128, 8
UPDATES = 72
SCHEDULES = {   # as in the page
    "constant": S.Constant(1.0),
    "step": S.MultiStep(1.0, (36, 54), factor=0.1),
    "cosine": S.Cosine(1.0, UPDATES),
    "warm-up + cosine": S.warmup_cosine(1.0, 9, UPDATES),
}
PEAKS = {
    "momentum": ("sgd", {"momentum": 0.9}, (0.1, 0.3, 1.0)),
    "adam": ("adam", {}, (0.03, 0.1, 0.3)),
}
BATCHES, MULTS = (64, 128, 256, 512, 1077), (0.25, 0.5, 1, 2, 4)


@pytest.fixture(scope="module")
def data():
    return digits.load(seed=0)


@pytest.fixture(scope="module")
def sched(data):
    """(method, schedule) -> validation accuracies (peaks, seeds)."""
    out = {}
    for method, (name, hyper, peaks) in PEAKS.items():
        for kind, schedule in SCHEDULES.items():
            sw = R.sweep(data, name, peaks, SEEDS, sizes=SIZES, batch_size=BATCH,
                         epochs=EPOCHS, schedule=schedule,
                         splits=("valid", "test"), **hyper)
            out[method, kind] = sw.final("valid", "acc")
    return out


@pytest.fixture(scope="module")
def batches(data):
    return {B: R.sweep(data, "sgd", [0.1 * B / 128 * m for m in MULTS], SEEDS,
                       sizes=SIZES, batch_size=B, epochs=EPOCHS, momentum=0.9,
                       splits=("valid", "test"), keep_weights=B == 128)
            for B in BATCHES}


def test_the_schedules_are_as_described():
    t = np.arange(1, UPDATES + 1)
    step = SCHEDULES["step"].values(t)
    assert np.all(step[:36] == 1) and np.allclose(step[36:54], 0.1)
    assert np.allclose(step[54:], 0.01)
    warm = SCHEDULES["warm-up + cosine"].values(t)
    assert np.all(np.diff(warm[:9]) > 0) and warm[8] == 1.0
    assert SCHEDULES["cosine"](9) == pytest.approx(0.962, abs=1e-3)   # "96 per cent"


def test_warm_up_does_not_matter_for_momentum(sched):
    m = {k: sched["momentum", k] for k in SCHEDULES}
    at01 = [a[0].mean() for a in m.values()]
    assert 0.92 < min(at01) and max(at01) < 0.94                  # 0.927-0.936
    for p in (0, 1):                 # warm-up + cosine = cosine, within the spread
        wu, cos = m["warm-up + cosine"][p], m["cosine"][p]
        assert abs(wu.mean() - cos.mean()) < max(np.ptp(wu), np.ptp(cos))
    assert m["step"][1].max() < m["cosine"][1].min()              # no overlap at 0.3
    assert m["cosine"][1].mean() > m["constant"][1].mean()
    assert m["constant"][1].max() > m["cosine"][1].min()          # within the spread
    for a in m.values():                                          # peak 1: chance
        assert a[2].mean() < 0.2


def test_warm_up_rescues_adam_at_a_large_rate(sched):
    a = {k: sched["adam", k] for k in SCHEDULES}
    others = [a[k][2] for k in ("constant", "step", "cosine")]
    assert all(0.3 < o.mean() < 0.36 for o in others)             # 0.31-0.35
    wu = a["warm-up + cosine"][2]
    assert wu.mean() > 0.75 and wu.min() > max(o.max() for o in others)
    # at 0.1 the decaying schedules beat the constant rate, ranges apart
    for k in ("step", "cosine", "warm-up + cosine"):
        assert a[k][1].min() > a["constant"][1].max()
    # warm-up does not beat a tuned constant rate
    best_warm = max(x.mean() for x in a["warm-up + cosine"])
    assert best_warm <= a["constant"][0].mean()


def test_the_best_rate_follows_the_linear_rule(batches):
    for B, sw in batches.items():
        assert sw.best() in (1, 2), B                 # x1/2 or x1
        assert sw.best_is_interior(), B
    acc = {B: sw.final("valid", "acc").mean(axis=1) for B, sw in batches.items()}
    assert acc[64][3] > 0.93 and acc[128][3] > 0.92 and acc[256][3] < 0.9
    assert acc[512][3] < 0.5 and acc[1077][3] < 0.5
    assert all(acc[B][4] < 0.5 for B in BATCHES if B != 64)
    # the smallest failing rate of each row: none, 0.4, 0.8, 0.8, 1.7
    first_fail = {}
    for B, sw in batches.items():
        fail = [r for r, a in zip(sw.rates, acc[B]) if a < 0.5]
        first_fail[B] = round(min(fail), 1) if fail else None
    assert first_fail == {64: None, 128: 0.4, 256: 0.8, 512: 0.8, 1077: 1.7}


def test_the_critical_batch_size_lies_between_128_and_256(batches):
    best = {B: sw.final("valid", "acc")[sw.best()] for B, sw in batches.items()}
    u = {B: sw.updates_to(0.9)[sw.best()] for B, sw in batches.items()}
    assert best[64].mean() - best[256].mean() < 0.02
    assert best[256].min() <= best[64].max()          # within the spread
    assert best[512].mean() < best[256].mean() and best[1077].mean() < 0.9
    assert np.all(np.isnan(u[1077]))                  # not in 8 epochs
    m = {B: u[B].mean() for B in BATCHES[:4]}
    assert m[128] / m[64] < 0.6                       # nearly halves
    assert 0.7 < m[256] / m[128] < 0.85               # saves a fifth
    assert m[512] >= 0.95 * m[256]                    # saves nothing


def test_the_noise_scale_grows_to_the_critical_batch_size(data, batches):
    from d2lhelpers import mlp
    from d2lhelpers import noisescale as NS
    net64 = mlp.bank(SIZES, SEEDS, hybridize=False)
    net64.cast("float64")
    sw = batches[128]
    i = sw.best()
    means = []
    for e in range(5):
        theta = sw.curves["weights", "theta"][e, i][None]
        means.append(NS.simple_noise_scale(net64, *data.train, theta,
                                           batch_size=32, seed=0)[2].mean())
    assert np.all(np.diff(means) > 0), means                 # it grows
    np.testing.assert_allclose(means[:4], [42, 103, 236, 323], atol=1)
    acc = sw.curves["valid", "acc"][:, i].mean(axis=1)
    assert acc[2] < 0.9 < acc[3]                             # passes 0.9 then
    assert 128 < means[2] and means[3] < 2 * 256             # ~ the measured one
