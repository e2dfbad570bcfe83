"""Mini-batch training of linear regression: the names the chapters use.

The code lives in modules with one job each: :mod:`d2lhelpers.history` (the
run record), :mod:`d2lhelpers.training` (the one training loop),
:mod:`d2lhelpers.trainers` (from scratch, Gluon, fused), :mod:`d2lhelpers.fused`
(the fused-graph compiler), :mod:`d2lhelpers.textbook` (``sgd`` and ``train``),
:mod:`d2lhelpers.curves` (plots) and :mod:`d2lhelpers.sweep`. This module gathers
their public names so ``linreg.train_scratch`` and the like keep working.
"""
from d2lhelpers.curves import plot_history
from d2lhelpers.history import History, full_loss, report
from d2lhelpers.sweep import sweep
from d2lhelpers.textbook import decay_schedule, decayed, sgd, train
from d2lhelpers.trainers import OptimizerOrSchedule, train_fused, train_gluon, train_scratch
from d2lhelpers.training import apply_update, gluon_step, init_params

__all__ = [
    "History", "OptimizerOrSchedule", "apply_update", "decay_schedule", "decayed",
    "full_loss", "gluon_step", "init_params", "plot_history", "report", "sgd", "sweep",
    "train", "train_fused", "train_gluon", "train_scratch",
]
