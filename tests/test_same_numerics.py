"""scripts/same_numerics.py: every machine computes as an AVX2 one does, in
the tests' own process and in the course's kernel, without a warning."""
import math
import os
import queue
import sys
from pathlib import Path

import numpy as np
import numpy.core._multiarray_umath as umath
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
import same_numerics  # noqa: E402

# Where numpy dispatches float64 cos, exp, ... to AVX-512 (SVML), some of
# these differ from the C library's in the last bit; on AVX2 none do.
GRID = np.linspace(-50.0, 50.0, 20_001)
LIBM = {"cos": math.cos, "sin": math.sin, "exp": math.exp}


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
    x = GRID[np.abs(GRID) < 700]
    got = getattr(np, name)(x)
    want = np.array([LIBM[name](v) for v in x])
    assert np.array_equal(got, want)


@pytest.mark.unit
def test_the_probe_names_only_dispatch_targets_this_machine_has():
    found = same_numerics.avx512_features()
    assert set(found) <= set(umath.__cpu_dispatch__)
    assert all(name.startswith("AVX512") for name in found)


@pytest.mark.unit
def test_pin_fills_in_what_is_missing_and_keeps_what_is_set():
    env = same_numerics.pin({})
    assert env == same_numerics.settings()
    assert same_numerics.pin({"NPY_DISABLE_CPU_FEATURES": "",
                              "DNNL_MAX_CPU_ISA": "SSE41"}) == {
        "NPY_DISABLE_CPU_FEATURES": "", "DNNL_MAX_CPU_ISA": "SSE41"}
    assert same_numerics.pin({"NPY_DISABLE_CPU_FEATURES": ""}) == {
        "NPY_DISABLE_CPU_FEATURES": "", "DNNL_MAX_CPU_ISA": "AVX2"}


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
    env = {k: v for k, v in os.environ.items()
           if k not in ("NPY_DISABLE_CPU_FEATURES", "DNNL_MAX_CPU_ISA")}
    km, kc = start_new_kernel(kernel_name="python3", env=env)
    try:
        code = ("import os, math, numpy as np\n"
                "import numpy.core._multiarray_umath as m\n"
                "x = np.linspace(-50.0, 50.0, 20001)\n"
                "print([k for k in m.__cpu_dispatch__ if k.startswith("
                "'AVX512') and m.__cpu_features__[k]],"
                " os.environ['DNNL_MAX_CPU_ISA'],"
                " np.array_equal(np.cos(x), [math.cos(v) for v in x]))")
        msg_id = kc.execute(code)
        streams = {"stdout": "", "stderr": ""}
        while True:
            try:
                msg = kc.get_iopub_msg(timeout=60)
            except queue.Empty:
                pytest.fail("the kernel did not finish the cell")
            if msg["parent_header"].get("msg_id") != msg_id:
                continue
            if msg["msg_type"] == "stream":
                streams[msg["content"]["name"]] += msg["content"]["text"]
            if (msg["msg_type"] == "status"
                    and msg["content"]["execution_state"] == "idle"):
                break
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    assert streams == {"stdout": "[] AVX2 True\n", "stderr": ""}
    spec = km.kernel_spec
    assert spec.argv[1] == "{resource_dir}/same_numerics.py"
    installed = Path(spec.resource_dir) / "same_numerics.py"
    assert installed.read_text() == (ROOT / "scripts" / "same_numerics.py").read_text()
