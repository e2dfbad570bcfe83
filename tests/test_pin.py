"""requirements.txt is what `make pin` writes: the package's declared
dependencies and the notebook extras, with everything they need, at the
versions installed in the venv."""
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
import pin  # noqa: E402  (scripts/pin.py, what `make pin` runs)

pytestmark = pytest.mark.unit


@pytest.mark.slow
def test_requirements_are_the_pinned_closure_of_the_declared_dependencies():
    text = pin.render(pin.closure(pin.runtime_roots()))
    assert (pin.ROOT / "requirements.txt").read_text() == text
    pins = [line for line in text.splitlines() if "==" in line]
    assert any(p.startswith("mxnet==1.9.1") for p in pins)
    assert all(line.count("==") == 1 for line in pins)
