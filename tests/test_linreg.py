"""linreg gathers the names the chapters call; each is the one implementation."""
import pytest

from d2lhelpers import curves, history, linreg, sweep, textbook, trainers, training

pytestmark = pytest.mark.unit


def test_the_chapters_names_are_the_modules_functions():
    assert linreg.train_scratch is trainers.train_scratch
    assert linreg.train_gluon is trainers.train_gluon
    assert linreg.train_fused is trainers.train_fused
    assert linreg.History is history.History and linreg.full_loss is history.full_loss
    assert linreg.plot_history is curves.plot_history and linreg.sweep is sweep.sweep
    assert linreg.train is textbook.train and linreg.sgd is textbook.sgd
    assert linreg.apply_update is training.apply_update
    assert linreg.gluon_step is training.gluon_step
    assert set(linreg.__all__) <= set(dir(linreg))


def test_old_homes_of_the_moved_objectives_still_work():
    from d2lhelpers import functions, loop, momentum, noisy
    assert momentum.DippedParabola is functions.DippedParabola
    assert noisy.TwoWells is functions.TwoWells
    assert loop.TrainLog is history.History and loop.linear_net is training.linear_net
