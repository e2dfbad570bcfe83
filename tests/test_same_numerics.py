"""scripts/same_numerics.py: every machine computes as an AVX2 one does, in
the tests' own process and in the course's kernel, without a warning."""
import math
import os
import sys
from pathlib import Path

import numpy as np
import numpy.core._multiarray_umath as umath
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
import same_numerics  # noqa: E402
from helpers import run_cell  # noqa: E402

# Where numpy dispatches float64 cos, exp, ... to AVX-512 (SVML), some of
# these differ from the C library's in the last bit; on AVX2 none do.
GRID = np.linspace(-50.0, 50.0, 20_001)
LIBM = {"cos": math.cos, "sin": math.sin, "exp": math.exp, "log": math.log}


def avx512_targets_on():
    return [k for k in umath.__cpu_dispatch__
            if k.startswith("AVX512") and umath.__cpu_features__[k]]


@pytest.mark.unit
def test_the_tests_process_uses_no_avx512_path():
    assert avx512_targets_on() == []
    assert os.environ["DNNL_MAX_CPU_ISA"] == "AVX2"


@pytest.mark.unit
@pytest.mark.parametrize("name", sorted(LIBM))
def test_float64_functions_agree_with_the_c_library_to_the_bit(name):
    x = np.abs(GRID) + 1e-3 if name == "log" else GRID
    got = getattr(np, name)(x)
    want = np.array([LIBM[name](v) for v in x])
    assert np.array_equal(got, want)


@pytest.mark.unit
def test_the_probe_names_only_dispatch_targets_this_machine_has():
    found, avx2 = same_numerics.probe()
    assert set(found) <= set(umath.__cpu_dispatch__)
    assert all(name.startswith("AVX512") for name in found)
    assert avx2 == (umath.__cpu_features__["AVX2"] and umath.__cpu_features__["FMA3"])


@pytest.mark.unit
def test_a_python_without_numpy_gets_no_settings_and_no_error(tmp_path):
    assert same_numerics.probe(str(tmp_path / "no-such-python")) == ([], False)
    assert same_numerics.settings(str(tmp_path / "no-such-python")) == {
        "NPY_DISABLE_CPU_FEATURES": "", "DNNL_MAX_CPU_ISA": "AVX2"}


@pytest.mark.unit
def test_openblas_runs_the_kernels_the_record_was_made_with():
    """Zen's, by name (the record's machines are AMD EPYC; an Intel CPU
    would pick other kernels, which add in another order)."""
    import ctypes
    import glob
    libs = glob.glob(str(Path(np.__file__).parent.parent / "numpy.libs"
                         / "libopenblas*.so"))
    assert libs, "numpy's OpenBLAS not found"
    lib = ctypes.CDLL(libs[0])
    name = next(getattr(lib, f) for f in ("openblas_get_corename64_",
                                          "openblas_get_corename")
                if hasattr(lib, f))
    name.restype = ctypes.c_char_p
    assert name() == b"Zen"


@pytest.mark.unit
def test_pin_fills_in_what_is_missing_and_keeps_what_is_set():
    wanted = same_numerics.settings()
    assert same_numerics.pin({}) == wanted
    preset = {"NPY_DISABLE_CPU_FEATURES": "", "DNNL_MAX_CPU_ISA": "SSE41"}
    assert same_numerics.pin(dict(preset)) == preset       # nothing probed
    assert same_numerics.pin({"NPY_DISABLE_CPU_FEATURES": ""}) == {
        **wanted, "NPY_DISABLE_CPU_FEATURES": ""}


@pytest.mark.unit
def test_pinning_after_numpy_is_imported_is_an_error():
    with pytest.raises(RuntimeError, match="before numpy is imported"):
        same_numerics.pin_this_process({"numpy": np})


@pytest.mark.chapter
def test_the_installed_kernel_pins_the_numerics_itself():
    """Started from the venv's kernel spec as JupyterLab starts it, with
    none of the settings inherited, the kernel has them and warns of
    nothing."""
    from jupyter_client.manager import start_new_kernel
    wanted = same_numerics.settings()
    env = {k: v for k, v in os.environ.items() if k not in wanted}
    km, kc = start_new_kernel(kernel_name="python3", env=env)
    try:
        code = ("import os, math, numpy as np\n"
                "import numpy.core._multiarray_umath as m\n"
                "x = np.linspace(-50.0, 50.0, 20001)\n"
                "print([k for k in m.__cpu_dispatch__ if k.startswith("
                "'AVX512') and m.__cpu_features__[k]],"
                " {k: os.environ.get(k) for k in sorted(WANTED)},"
                " np.array_equal(np.cos(x), [math.cos(v) for v in x]))")
        code = code.replace("WANTED", repr(wanted))
        streams = {"stdout": "", "stderr": ""}
        for msg in run_cell(kc, code, timeout=60):
            if msg["msg_type"] == "stream":
                streams[msg["content"]["name"]] += msg["content"]["text"]
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    shown = {k: wanted[k] for k in sorted(wanted)}
    assert streams == {"stdout": f"[] {shown} True\n", "stderr": ""}
    spec = km.kernel_spec
    installed = Path(spec.resource_dir) / "same_numerics.py"
    assert spec.argv[1] == str(installed)
    assert installed.read_text() == (ROOT / "scripts" / "same_numerics.py").read_text()
