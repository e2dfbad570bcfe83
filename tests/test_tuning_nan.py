"""tuning.search must refuse a nan score: nan compares false with every
number, so it could sit next to the best value and make it look interior."""
from __future__ import annotations

import numpy as np
import pytest

from d2lhelpers import tuning

pytestmark = pytest.mark.unit


@pytest.mark.parametrize("bad", [float("nan"), np.float64("nan"),
                                 (float("nan"), 1.0), (0.5, float("nan"))])
def test_search_rejects_a_nan_score(bad):
    scores = {0.25: 2.0, 0.5: bad, 1.0: 3.0}
    with pytest.raises(ValueError, match="score returned nan at grid value 0.5"):
        tuning.search(lambda v: scores.get(v, 9.0), [0.25, 0.5, 1.0])


def test_search_still_accepts_inf_and_tuples():
    scores = {0.25: (2.0, 1.0), 0.5: (1.0, 3.0), 1.0: (float("inf"),) * 2}
    found = tuning.search(lambda v: scores[v], [0.25, 0.5, 1.0])
    assert found.best == 0.5 and found.interior
