"""Package code that a chapter prints (``inspect.getsource``) fits the page's
78 columns, like the chapters' own code cells (issue 15)."""
import importlib
import inspect
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.unit

# What each chapter's cells call the objects they print, as importable paths.
PRINTED = {
    "CE.online_adam": "d2lhelpers.counterexample.online_adam",
    "adagrad": "d2lhelpers.adaptive.adagrad",
    "bfgs_update": "d2lhelpers.quasinewton.bfgs_update",
    "d2l.gd": "d2lhelpers.gd",
    "decoupled.adamw_update": "d2lhelpers.decoupled.adamw_update",
    "fused.fused_block": "d2lhelpers.fused.fused_block",
    "loop.fit": "d2lhelpers.loop.fit",
    "loop.train_step": "d2lhelpers.loop.train_step",
    "momentum": "d2lhelpers.momentum.momentum",
    "newton_step": "d2lhelpers.newton.newton_step",
    "newton_step_nd": "d2lhelpers.newton.newton_step_nd",
    "optim._plain_step": "d2lhelpers.optim._plain_step",
    "optim.gd": "d2lhelpers.optim.gd",
    "training.gluon_step": "d2lhelpers.training.gluon_step",
    "training.train_epochs": "d2lhelpers.training.train_epochs",
    # sgd.md prints these three in a loop (getsource(fn))
    "data.minibatch_indices": "d2lhelpers.data.minibatch_indices",
    "linreg.apply_update": "d2lhelpers.linreg.apply_update",
    "linreg.sgd": "d2lhelpers.linreg.sgd",
}


def resolve(path):
    module, name = path.rsplit(".", 1)
    return getattr(importlib.import_module(module), name)


def test_every_printed_name_is_listed():
    text = "".join(p.read_text() for p in (ROOT / "chapters").glob("*.md"))
    named = set(re.findall(r"getsource\(([\w.]+)\)", text)) - {"fn"}
    assert named <= set(PRINTED), sorted(named - set(PRINTED))


@pytest.mark.parametrize("name", sorted(PRINTED))
def test_printed_source_fits_78_columns(name):
    lines = inspect.getsource(resolve(PRINTED[name])).splitlines()
    wide = [line for line in lines if len(line) > 78]
    assert wide == [], f"{name}: {len(wide)} lines over 78 columns"
