"""The same floating-point results on every x86-64 machine, AVX-512 or not.

On a CPU with AVX-512, numpy 1.23 computes float64 ``sin``, ``cos``, ``exp``
and ``log`` with Intel's SVML routines, which can differ from the C library's
in the last bit, and MXNet's oneDNN switches to AVX-512 kernels, which add in
another order. Most printed values do not change, but the chaotic runs do:
Newton's method with a fixed shift, and Adam or Nesterov at a rate on the
edge of divergence end somewhere else after a few steps. The book's text and
its claims tests were written from the results of AVX2 machines, so the
course turns both paths off (``NPY_DISABLE_CPU_FEATURES``,
``DNNL_MAX_CPU_ISA``) and every machine computes as an AVX2 one does (and
OpenBLAS, which picks its kernels by CPU model, is told to use the ones the
record was made with; see ``settings``).

numpy warns, on stderr, about any feature it is told to disable that the
machine lacks, so the list names exactly the AVX-512 groups this machine's
numpy would use; a child process works it out before numpy is imported.

Run as a script, this file is the course's Jupyter kernel: the kernel spec
that ``make`` installs (and Binder's postBuild) starts it, and it starts
IPython's kernel with the settings in place.

    python scripts/same_numerics.py --install    # into sys.prefix
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

# What this machine's numpy sees: the AVX-512 groups among the targets it
# dispatches to (disabling any other name is a warning too), and whether the
# CPU has AVX2 with FMA, which OpenBLAS's Zen kernels need.
_PROBE = ("import json, numpy.core._multiarray_umath as m; "
          "f = m.__cpu_features__; "
          "print(json.dumps([[k for k in m.__cpu_dispatch__ "
          "if k.startswith('AVX512') and f[k]], f['AVX2'] and f['FMA3']]))")


def probe(python: str = sys.executable) -> tuple:
    """``(avx512_groups, has_avx2)`` for numpy run by ``python``; nothing
    (``([], False)``) where numpy cannot be imported: the kernel still starts,
    and the cell that imports numpy shows why it fails."""
    env = {**os.environ, "NPY_DISABLE_CPU_FEATURES": ""}
    try:
        found = subprocess.run([python, "-c", _PROBE], env=env, check=True,
                               capture_output=True, text=True).stdout
        groups, avx2 = json.loads(found)
    except (OSError, ValueError, subprocess.CalledProcessError):
        return [], False
    return list(groups), bool(avx2)


def settings(python: str = sys.executable) -> dict:
    """The environment variables that give the record's results here.

    OpenBLAS picks its matrix kernels by CPU model, and the record was made
    with its Zen kernels (AMD EPYC machines, with AVX-512 or not): on an
    Intel CPU it would pick others (Cooper Lake's add in another order), so
    where the CPU can run them the Zen kernels are asked for by name."""
    groups, avx2 = probe(python)
    env = {"NPY_DISABLE_CPU_FEATURES": ",".join(groups),
           "DNNL_MAX_CPU_ISA": "AVX2"}
    if avx2:
        env["OPENBLAS_CORETYPE"] = "Zen"
    return env


def pin(environ=None) -> dict:
    """Put ``settings()`` in ``environ`` (this process's by default), so every
    process started from here computes alike. A variable already set is
    kept, and where numpy's and oneDNN's are both set nothing is probed (a
    kernel started by the build takes the build's)."""
    environ = os.environ if environ is None else environ
    if not {"NPY_DISABLE_CPU_FEATURES", "DNNL_MAX_CPU_ISA"} <= environ.keys():
        environ.update({k: v for k, v in settings().items()
                        if k not in environ})
    return environ


def pin_this_process(modules=None) -> dict:
    """``pin()`` for this process too: numpy reads its setting once, when it
    is imported, so importing it first is an error, not a silent no-op."""
    modules = sys.modules if modules is None else modules
    if "numpy" in modules:
        raise RuntimeError("same_numerics.pin_this_process() must run before "
                           "numpy is imported: numpy reads "
                           "NPY_DISABLE_CPU_FEATURES only then")
    return pin()


def install(prefix: str = sys.prefix) -> Path:
    """Write the ``python3`` kernel spec under ``prefix``: ipykernel's own,
    except that it starts this file (copied beside the spec; an absolute
    path, which every launcher reads)."""
    from ipykernel.kernelspec import RESOURCES, get_kernel_dict
    target = Path(prefix) / "share" / "jupyter" / "kernels" / "python3"
    source = Path(__file__).read_text()    # before the old copy is removed
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(RESOURCES, target)
    (target / "same_numerics.py").write_text(source)
    spec = get_kernel_dict()
    spec["argv"] = [sys.executable, str(target / "same_numerics.py"),
                    "-f", "{connection_file}"]
    (target / "kernel.json").write_text(json.dumps(spec, indent=1) + "\n")
    return target


def main(argv) -> None:
    if argv == ["--install"]:
        print(f"installed the course's kernel in {install()}")
        return
    pin()
    os.execv(sys.executable, [sys.executable, "-Xfrozen_modules=off", "-m",
                              "ipykernel_launcher", *argv])


if __name__ == "__main__":
    main(sys.argv[1:])
