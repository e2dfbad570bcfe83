"""Adaptive optimizers: a learning rate per coordinate, set from gradient statistics.

Each function returns a :class:`d2lhelpers.optim.Optimizer`. The updates use
arithmetic only (``+ - * / **`` and ``abs``), so one rule runs on floats, numpy
arrays and MXNet NDArrays. Every state is a tuple of fresh values: ``step``
never mutates its input, so a run can be replayed or inspected.

Where the papers and MXNet place the small constant differently, the docstring
says which convention is used here and why.
"""
from __future__ import annotations

from typing import Optional

from d2lhelpers.checks import check_lr, check_positive, check_unit_interval
from d2lhelpers.optim import Optimizer


def _zeros_like(x):
    # 0 * x keeps the type and shape of x (float, numpy array or NDArray).
    return 0 * x


def _maximum(a, b):
    # An elementwise max written with arithmetic, so it works on every array type.
    return (a + b + abs(a - b)) / 2


def adagrad(eta: float, eps: float = 1e-6) -> Optimizer:
    """Adagrad (Duchi, Hazan and Singer, 2011): ``s += g^2``,
    ``x -= eta g / sqrt(s + eps)``.

    eps sits inside the square root, as in MXNet's ``'adagrad'``; the paper
    and PyTorch add it outside (``sqrt(s) + eps``). For small gradients eps
    inside acts like sqrt(eps) outside (the default 1e-6 like 1e-3).
    """
    eta, eps = check_lr(eta), check_positive("eps", eps)

    def step(x, g, s):
        s = s + g * g
        return x - eta * g / (s + eps) ** 0.5, s

    return Optimizer("adagrad", init=_zeros_like, step=step,
                     hyper={"eta": eta, "eps": eps})


def rmsprop(eta: float, gamma: float = 0.9, eps: float = 1e-6) -> Optimizer:
    """RMSProp (Tieleman and Hinton, lecture 6e, 2012): a leaky average of g^2
    in place of Adagrad's sum.

    ``s = gamma s + (1 - gamma) g^2; x -= eta g / sqrt(s + eps)``. MXNet calls
    gamma ``gamma1`` and puts eps inside the root, as here; PyTorch calls it
    ``alpha`` and puts eps outside.
    """
    eta = check_lr(eta)
    gamma = check_unit_interval("gamma", gamma)
    eps = check_positive("eps", eps)

    def step(x, g, s):
        s = gamma * s + (1 - gamma) * g * g
        return x - eta * g / (s + eps) ** 0.5, s

    return Optimizer("rmsprop", init=_zeros_like, step=step,
                     hyper={"eta": eta, "gamma": gamma, "eps": eps})


def adadelta(rho: float = 0.95, eps: float = 1e-6) -> Optimizer:
    """Adadelta (Zeiler, 2012, Algorithm 1): no learning rate.

    ``s = rho s + (1 - rho) g^2``; ``dx = sqrt(d + eps) / sqrt(s + eps) * g``;
    ``d = rho d + (1 - rho) dx^2``; ``x -= dx``. The ratio of two RMS values
    gives the step the units of x. The defaults are the paper's; MXNet's
    ``'adadelta'`` defaults to rho=0.9, eps=1e-5 and ignores its learning rate.
    """
    rho = check_unit_interval("rho", rho)
    eps = check_positive("eps", eps)

    def init(x):
        return (_zeros_like(x), _zeros_like(x))

    def step(x, g, state):
        s, d = state
        s = rho * s + (1 - rho) * g * g
        dx = (d + eps) ** 0.5 / (s + eps) ** 0.5 * g
        d = rho * d + (1 - rho) * dx * dx
        return x - dx, (s, d)

    return Optimizer("adadelta", init=init, step=step, hyper={"rho": rho, "eps": eps})


_CORRECTIONS = ("both", "first", "second", "none")


def adam(eta: float = 0.001, beta1: float = 0.9, beta2: float = 0.999, eps: float = 1e-8,
         bias_correction: str = "both") -> Optimizer:
    """Adam (Kingma and Ba, 2014, Algorithm 1), with the paper's defaults.

    ``m = b1 m + (1 - b1) g``; ``s = b2 s + (1 - b2) g^2``;
    ``x -= eta * (m / (1 - b1^t)) / (sqrt(s / (1 - b2^t)) + eps)`` (the paper
    writes v for s).
    ``bias_correction`` ("both", "first", "second" or "none") switches the two
    corrections off one at a time; it exists to show what they are for. The
    state is ``(m, s, t)``.
    """
    eta = check_lr(eta)
    beta1 = check_unit_interval("beta1", beta1)
    beta2 = check_unit_interval("beta2", beta2)
    eps = check_positive("eps", eps)
    if bias_correction not in _CORRECTIONS:
        raise ValueError(f"bias_correction must be one of {_CORRECTIONS}, "
                         f"got {bias_correction!r}")
    fix_m = bias_correction in ("both", "first")
    fix_v = bias_correction in ("both", "second")

    def init(x):
        return (_zeros_like(x), _zeros_like(x), 0)

    def step(x, g, state):
        m, v, t = state
        t += 1
        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * g * g
        m_hat = m / (1 - beta1 ** t) if fix_m else m
        v_hat = v / (1 - beta2 ** t) if fix_v else v
        return x - eta * m_hat / (v_hat ** 0.5 + eps), (m, v, t)

    name = "adam" if bias_correction == "both" else f"adam[{bias_correction} corrected]"
    return Optimizer(name, init=init, step=step,
                     hyper={"eta": eta, "beta1": beta1, "beta2": beta2, "eps": eps})


def adamax(eta: float = 0.002, beta1: float = 0.9, beta2: float = 0.999) -> Optimizer:
    """AdaMax (Kingma and Ba, 2014, section 7.1): Adam with the infinity norm.

    ``m = b1 m + (1 - b1) g``; ``u = max(b2 u, |g|)``; ``x -= eta / (1 - b1^t) * m / u``.
    u needs no bias correction and the paper adds no eps: a coordinate whose
    gradient has been exactly 0 from the start gives 0/0, as in MXNet.
    """
    eta = check_lr(eta)
    beta1 = check_unit_interval("beta1", beta1)
    beta2 = check_unit_interval("beta2", beta2)

    def init(x):
        return (_zeros_like(x), _zeros_like(x), 0)

    def step(x, g, state):
        m, u, t = state
        t += 1
        m = beta1 * m + (1 - beta1) * g
        u = _maximum(beta2 * u, abs(g))
        return x - eta / (1 - beta1 ** t) * m / u, (m, u, t)

    return Optimizer("adamax", init=init, step=step,
                     hyper={"eta": eta, "beta1": beta1, "beta2": beta2})


def nadam(eta: float = 0.002, beta1: float = 0.9, beta2: float = 0.999, eps: float = 1e-8,
          schedule_decay: Optional[float] = 0.004) -> Optimizer:
    """Nadam (Dozat, 2016): Adam whose first moment takes a Nesterov look-ahead.

    With ``mu_t = beta1 (1 - 0.5 * 0.96^(t * schedule_decay))`` (the warming
    schedule of MXNet and Keras) and ``P_t = mu_1 ... mu_t``::

        m = b1 m + (1 - b1) g;   v = b2 v + (1 - b2) g^2
        m_bar = (1 - mu_t) g / (1 - P_t) + mu_{t+1} m / (1 - P_{t+1})
        x -= eta * m_bar / (sqrt(v / (1 - b2^t)) + eps)

    ``schedule_decay=None`` keeps ``mu_t = beta1`` for every t. The state is
    ``(m, v, t, P_t)``.
    """
    eta = check_lr(eta)
    beta1 = check_unit_interval("beta1", beta1)
    beta2 = check_unit_interval("beta2", beta2)
    eps = check_positive("eps", eps)
    if schedule_decay is not None:
        schedule_decay = check_positive("schedule_decay", schedule_decay)

    def mu(t):
        if schedule_decay is None:
            return beta1
        return beta1 * (1 - 0.5 * 0.96 ** (t * schedule_decay))

    def init(x):
        return (_zeros_like(x), _zeros_like(x), 0, 1.0)

    def step(x, g, state):
        m, v, t, prod = state
        t += 1
        prod = prod * mu(t)
        prod_next = prod * mu(t + 1)
        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * g * g
        m_bar = (1 - mu(t)) * g / (1 - prod) + mu(t + 1) * m / (1 - prod_next)
        v_hat = v / (1 - beta2 ** t)
        return x - eta * m_bar / (v_hat ** 0.5 + eps), (m, v, t, prod)

    hyper = {"eta": eta, "beta1": beta1, "beta2": beta2, "eps": eps}
    if schedule_decay is not None:
        hyper["schedule_decay"] = schedule_decay
    return Optimizer("nadam", init=init, step=step, hyper=hyper)
