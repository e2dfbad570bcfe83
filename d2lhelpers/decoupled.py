"""AdamW: Adam with decoupled weight decay (Loshchilov and Hutter, 2019).

Adam with L2 regularization (MXNet's ``'adam'`` with ``wd``) adds ``wd * w`` to
the gradient, so the decay is divided by sqrt(s) like the rest of the gradient:
weights with large gradients are barely decayed. AdamW keeps the decay out of
the adaptive step:

    m <- beta1 m + (1 - beta1) g          s <- beta2 s + (1 - beta2) g^2
    w <- w - eta_t * m_hat / (sqrt(s_hat) + eps) - (eta_t / eta) * omega * w

with m_hat, s_hat bias corrected, eta the base rate, eta_t the rate of update
t (eta for a constant rate) and omega the decay (``wd``). The paper writes
alpha for eta, eta_t for the multiplier eta_t / eta and lambda for omega.
:func:`adamw_update` is that arithmetic, once; :func:`adamw` wraps it in
the :mod:`d2lhelpers.optim` protocol and :func:`mxnet_adamw` in an
``mx.optimizer.Optimizer`` for a Gluon Trainer.
"""
from __future__ import annotations

import numbers

from d2lhelpers.checks import (
    check_count,
    check_lr,
    check_nonnegative,
    check_positive,
    check_unit_interval,
)
from d2lhelpers.optim import Optimizer


def _shape(name: str, a) -> tuple:
    # a float, a numpy array or an NDArray; a str or None would fail later, or
    # (with numpy) broadcast against w into an array of the wrong shape
    if hasattr(a, "shape") and hasattr(a, "dtype"):
        return tuple(a.shape)
    if isinstance(a, numbers.Real) and not isinstance(a, bool):
        return ()
    raise TypeError(f"{name} must be a number or an array, got {a!r}")


def adamw_update(w, g, m, s, t: int, *, lr, decay, beta1, beta2, eps):
    """One AdamW update number ``t`` (t >= 1): ``lr = eta_t`` multiplies
    the Adam direction and ``decay = (eta_t / eta) * omega`` the weights.
    Returns ``(w, m, s)``; arithmetic only, so it runs on floats, numpy
    arrays and NDArrays."""
    t = check_count("t (the update number)", t)
    lr, decay = check_nonnegative("lr", lr), check_nonnegative("decay", decay)
    beta1 = check_unit_interval("beta1", beta1)
    beta2 = check_unit_interval("beta2", beta2)
    eps = check_positive("eps", eps)
    shape = _shape("w", w)
    for name, a in (("g", g), ("m", m), ("s", s)):
        # the moments may start as the number 0.0; g must match w exactly
        # (no broadcasting)
        if _shape(name, a) not in ((shape,) if name == "g" else (shape, ())):
            raise ValueError(f"{name} must have the shape of w, {shape}, "
                             f"got {_shape(name, a)}")
    m = beta1 * m + (1 - beta1) * g
    s = beta2 * s + (1 - beta2) * g * g
    m_hat = m / (1 - beta1 ** t)
    s_hat = s / (1 - beta2 ** t)
    return w - lr * m_hat / (s_hat ** 0.5 + eps) - decay * w, m, s


def _check(alpha, beta1, beta2, eps, wd):
    return (check_lr(alpha), check_unit_interval("beta1", beta1),
            check_unit_interval("beta2", beta2), check_positive("eps", eps),
            check_nonnegative("wd", wd))


def adamw(eta: float, beta1: float = 0.9, beta2: float = 0.999, eps: float = 1e-8,
          wd: float = 0.0) -> Optimizer:
    """AdamW at a constant rate ``eta`` (eta_t = eta), decay ``omega = wd``.
    The state is ``(m, s, t)``."""
    eta, beta1, beta2, eps, wd = _check(eta, beta1, beta2, eps, wd)

    def step(x, g, state):
        m, s, t = state
        x, m, s = adamw_update(x, g, m, s, t + 1, lr=eta, decay=wd,
                               beta1=beta1, beta2=beta2, eps=eps)
        return x, (m, s, t + 1)

    return Optimizer("adamw", init=lambda x: (0.0 * x, 0.0 * x, 0), step=step,
                     hyper={"eta": eta, "beta1": beta1, "beta2": beta2, "eps": eps, "wd": wd})


def mxnet_adamw(learning_rate: float = 0.001, beta1: float = 0.9, beta2: float = 0.999,
                eps: float = 1e-8, wd: float = 0.0, lr_scheduler=None):
    """An ``mx.optimizer.Optimizer`` running :func:`adamw_update` for a Trainer.

    A parameter's rate is the Trainer's (schedule times ``lr_mult``), as for
    MXNet's own optimizers; the decay is ``(eta_t / eta) * wd * wd_mult`` with
    eta_t / eta the schedule's value over its base rate (1 without a
    schedule), so ``lr_mult`` changes the rate without changing the decay, as
    in the paper. The base rate is
    read when this is called: MXNet's schedulers overwrite their ``base_lr``
    with the current rate as they go.
    """
    import mxnet as mx
    learning_rate, beta1, beta2, eps, wd = _check(learning_rate, beta1, beta2, eps, wd)
    if lr_scheduler is not None and not isinstance(lr_scheduler, mx.lr_scheduler.LRScheduler):
        hint = (" (a course schedule: pass schedule.to_mxnet())"
                if hasattr(lr_scheduler, "to_mxnet") else "")
        raise TypeError(f"lr_scheduler must be an mxnet LRScheduler or None{hint}, "
                        f"got {lr_scheduler!r}")
    base = lr_scheduler.base_lr if lr_scheduler is not None else learning_rate

    class ScratchAdamW(mx.optimizer.Optimizer):
        def create_state(self, index, weight):
            zeros = mx.nd.zeros(weight.shape, ctx=weight.context, dtype=weight.dtype)
            return zeros, zeros.copy()

        def update(self, index, weight, grad, state):
            self._update_count(index)
            t = self._index_update_count[index]
            lr, lam = self._get_lr(index), self._get_wd(index)
            eta_t = (self.lr_scheduler(self.num_update) / base
                     if self.lr_scheduler is not None else 1.0)
            m, s = state
            new_w, new_m, new_s = adamw_update(weight, grad * self.rescale_grad, m, s, t,
                                               lr=lr, decay=eta_t * lam,
                                               beta1=beta1, beta2=beta2, eps=eps)
            weight[:], m[:], s[:] = new_w, new_m, new_s

    return ScratchAdamW(learning_rate=base, wd=wd, lr_scheduler=lr_scheduler)
