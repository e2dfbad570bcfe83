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


def _pins(path):
    """{normalized name: version} of a requirements file, with the files it
    includes (-r); a package pinned twice, or not with ==, is an error."""
    found = {}
    for line in path.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if not line or line == "-e .":
            continue
        if line.startswith("-r "):
            for name, version in _pins(path.parent / line[3:]).items():
                assert name not in found, f"{name} pinned twice ({path.name})"
                found[name] = version
            continue
        name, sep, version = line.partition("==")
        assert sep and version, f"{path.name}: {line!r} is not pinned with =="
        name = pin._key(name)       # the normalized name, as make pin writes it
        assert name not in found, f"{name} pinned twice ({path.name})"
        found[name] = version
    return found


def test_the_lab_set_pins_everything_once_on_top_of_the_dev_set():
    """`make lab` installs requirements-lab.txt into the build's venv: it
    keeps every pin of requirements-dev.txt and pins all it adds."""
    lab, dev = _pins(pin.ROOT / "requirements-lab.txt"), _pins(pin.ROOT / "requirements-dev.txt")
    assert dev.items() <= lab.items()
    assert {"jupyterlab", "jupyter-server", "notebook-shim"} <= lab.keys() - dev.keys()
