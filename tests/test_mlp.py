"""The MLP bank: each network in it trains exactly as it would alone."""
import numpy as np
import pytest

from d2lhelpers import digits, loop, mlp

pytestmark = pytest.mark.unit


def _data(n=96):
    d = digits.load(seed=0)
    return digits.subset(d.train, n, seed=0), digits.subset(d.valid, 40, seed=0)


def _lone_weights(net):
    return [(layer.weight.data().asnumpy().T, layer.bias.data().asnumpy()) for layer in net]


def test_initial_weights_are_seeded_and_scaled():
    a, b = mlp.initial_weights((64, 32, 10), 0), mlp.initial_weights((64, 32, 10), 0)
    for (Wa, ba), (Wb, bb) in zip(a, b):
        np.testing.assert_array_equal(Wa, Wb)
        np.testing.assert_array_equal(ba, bb)
        assert not ba.any()
    W = mlp.initial_weights((400, 300, 10), 0)[0][0]
    assert abs(W.var() - 2 / 400) < 0.05 * 2 / 400          # He's variance
    with pytest.raises(ValueError, match="sizes"):
        mlp.initial_weights((64,), 0)


def test_bank_starts_as_the_lone_networks():
    bank = mlp.bank((64, 16, 10), seeds=(3, 5), groups=2)
    for g in range(2):
        for s, seed in enumerate((3, 5)):
            for (W, b), (W0, b0) in zip(bank.member_weights(g, s),
                                        _lone_weights(mlp.mlp((64, 16, 10), seed=seed))):
                np.testing.assert_array_equal(W, W0)
                np.testing.assert_array_equal(b, b0)


def test_cross_entropy_matches_gluon_and_broadcasts():
    from mxnet import gluon, nd
    out = nd.random.normal(shape=(7, 10))
    y = nd.array(np.arange(7) % 10)
    ref = gluon.loss.SoftmaxCrossEntropyLoss()(out, y).asnumpy()
    np.testing.assert_allclose(mlp.cross_entropy(out, y).asnumpy(), ref, rtol=1e-5)
    np.testing.assert_allclose(mlp.cross_entropy(out, y.reshape((-1, 1))).asnumpy(), ref,
                               rtol=1e-5)
    stacked = nd.stack(out, out, axis=0).expand_dims(0)        # (1, 2, 7, 10)
    np.testing.assert_allclose(mlp.cross_entropy(stacked, y).asnumpy()[0, 1], ref, rtol=1e-5)


@pytest.mark.parametrize("optimizer, hyper, rates",
                         [("sgd", {"momentum": 0.9}, (0.05, 0.2)),
                          ("adam", {}, (0.003, 0.01))])
@pytest.mark.slow
def test_a_network_in_a_bank_trains_as_it_would_alone(optimizer, hyper, rates):
    from mxnet import gluon

    from d2lhelpers.ratesweep import make_optimizer
    train, valid = _data()
    sizes, seeds = (64, 16, 10), (3, 5)
    bank = mlp.bank(sizes, seeds, groups=2)
    bank.set_rates(rates)
    trainer = gluon.Trainer(bank.collect_params(), make_optimizer(optimizer, **hyper))
    loop.fit(bank, mlp.cross_entropy, trainer, train, valid, batch_size=32, epochs=3,
             seed=list(seeds))
    for g, rate in enumerate(rates):
        for s, seed in enumerate(seeds):
            lone = mlp.mlp(sizes, seed=seed)
            tr = gluon.Trainer(lone.collect_params(), optimizer,
                               {"learning_rate": rate, **hyper})
            loop.fit(lone, mlp.cross_entropy, tr, train, valid, batch_size=32, epochs=3,
                     seed=seed)
            for (W, b), (W0, b0) in zip(bank.member_weights(g, s), _lone_weights(lone)):
                np.testing.assert_allclose(W, W0, rtol=1e-4, atol=1e-5)
                np.testing.assert_allclose(b, b0, rtol=1e-4, atol=1e-5)


def test_fit_with_several_seeds_gives_each_network_its_own_order():
    """Network s of a bank trained with seeds (3, 5) equals a lone network
    trained with seed seeds[s] (checked above); here: a bank whose two rows
    share one seed's start but get different orders ends differently."""
    from mxnet import gluon
    from d2lhelpers.ratesweep import make_optimizer
    train, valid = _data()
    bank = mlp.bank((64, 8, 10), seeds=(3, 3), groups=1)
    trainer = gluon.Trainer(bank.collect_params(), make_optimizer("sgd"))
    bank.set_rates([0.1])
    loop.fit(bank, mlp.cross_entropy, trainer, train, valid, batch_size=32, epochs=1,
             seed=[0, 1])
    a, b = bank.member_weights(0, 0), bank.member_weights(0, 1)
    assert not np.allclose(a[0][0], b[0][0])
    with pytest.raises(ValueError, match="non-empty"):
        loop.fit(bank, mlp.cross_entropy, trainer, train, valid, batch_size=32, epochs=1,
                 seed=[])


def test_set_rates_checks_its_length():
    bank = mlp.bank((4, 3, 2), seeds=(0,), groups=2)
    with pytest.raises(ValueError, match="one rate per group"):
        bank.set_rates([0.1])
    bank.set_rates([0.1, 0.2])
    assert bank.group_param(1).lr_mult == 0.2
