"""Measure the book's build and chapter times and write BENCHMARKS.md.

    make bench      (or: .venv/bin/python bench/run_bench.py)

Measures, on this machine: a clean build (every chapter executed, in parallel,
by scripts/build_book.py as `make book` runs it), a rebuild with nothing
changed, each chapter's execution on its own, the ratio of the clean build's
wall time to the sum of the chapters' own times, the quick unit tier, and
`make test` on a fresh clone of the last commit (set-up, build and suite, as CI
runs it); then runs every bench/bench_*.py section (each exposes
``run() -> str`` returning Markdown).
Tests never assert these times; they are recorded here to be read and compared.
"""
from __future__ import annotations

import datetime
import importlib.util
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
from build_book import CHAPTER_TIMES  # noqa: E402
from chapter_outputs import chapters  # noqa: E402
from run_chapter import execute  # noqa: E402
import same_numerics  # noqa: E402

BUILD = [sys.executable, str(ROOT / "scripts" / "build_book.py"), str(ROOT)]
TARGET_CLEAN, TARGET_REBUILD, TARGET_RATIO, TARGET_UNIT = 90.0, 10.0, 0.6, 20.0
TARGET_FRESH = 360.0


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2 ** 30
    return (f"{os.cpu_count()} cores ({cpu}), {mem:.0f} GiB RAM, "
            f"{platform.system()} {platform.release()}, Python {platform.python_version()}")


def timed_build(clean: bool) -> float:
    if clean:
        shutil.rmtree(ROOT / "_build", ignore_errors=True)
    args = BUILD + (["--all"] if clean else [])
    start = time.perf_counter()
    subprocess.run(args, check=True, capture_output=True)
    return time.perf_counter() - start


def chapter_times():
    rows = []
    for f in chapters():
        start = time.perf_counter()
        execute(ROOT / f"{f}.md")
        rows.append((f, time.perf_counter() - start))
    return rows


def unit_tier() -> float:
    start = time.perf_counter()
    subprocess.run(["make", "-s", "unit"], cwd=ROOT, check=True, capture_output=True)
    return time.perf_counter() - start


def fresh_clone_test() -> dict:
    """`make test` in a fresh clone of HEAD (uncommitted changes are not in
    it): the whole run, and the build's and the suite's own times from their
    output; set-up (virtualenv, assets, lint) is the rest."""
    with tempfile.TemporaryDirectory() as tmp:
        clone = Path(tmp) / "course"
        subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True)
        start = time.perf_counter()
        done = subprocess.run(["make", "test"], cwd=clone, capture_output=True,
                              text=True)
        total = time.perf_counter() - start
    out = done.stdout + done.stderr
    if done.returncode:
        raise RuntimeError("make test failed in a fresh clone:\n" + out[-3000:])
    build = float(re.search(r"built and checked in ([0-9.]+) s", out).group(1))
    suite = re.search(r"(\d+) passed.* in ([0-9.]+)s", out)
    return {"total": total, "build": build, "suite": float(suite.group(2)),
            "tests": int(suite.group(1))}


def extra_sections():
    for path in sorted((ROOT / "bench").glob("bench_*.py")):
        spec = importlib.util.spec_from_file_location(path.stem, path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        print(f"running {path.name} ...", flush=True)
        yield module.run()


def verdict(value: float, target: float) -> str:
    return "within target" if value <= target else "OVER TARGET"


def main() -> int:
    # The kernels compute, and start, as the build's do (no probe each).
    same_numerics.pin()
    # The best of two clean builds: one run of this 2-core machine varies by
    # several seconds (57.6 to 68.8 s within ten minutes, nothing else running).
    print("clean build, twice ...", flush=True)
    clean = min(timed_build(clean=True) for _ in range(2))
    print("no-change rebuild ...", flush=True)
    rebuild = timed_build(clean=False)
    print("chapters one by one ...", flush=True)
    chapters = chapter_times()
    # The build schedules the slowest pages first (scripts/build_book.py).
    CHAPTER_TIMES.write_text(
        json.dumps({name: round(secs, 1) for name, secs in chapters}, indent=1) + "\n")
    print("unit tier ...", flush=True)
    unit = unit_tier()
    print("make test on a fresh clone ...", flush=True)
    fresh = fresh_clone_test()
    setup = fresh["total"] - fresh["build"] - fresh["suite"]
    total = sum(secs for _, secs in chapters)
    ratio = clean / total
    lines = [
        "# Benchmarks",
        "",
        f"Written by `make bench` on {datetime.date.today().isoformat()}.",
        f"Machine: {machine()}.",
        "",
        "## The book",
        "",
        "| measurement | seconds | target |",
        "|---|---:|---|",
        f"| clean build, every chapter executed (`build_book.py --all`, best of 2) | {clean:.1f} | <= {TARGET_CLEAN:.0f} s: {verdict(clean, TARGET_CLEAN)} |",
        f"| rebuild with nothing changed | {rebuild:.1f} | <= {TARGET_REBUILD:.0f} s: {verdict(rebuild, TARGET_REBUILD)} |",
        f"| sum of the chapters' own times (below) | {total:.1f} | |",
        f"| clean build / sum of chapter times | {ratio:.2f} | <= {TARGET_RATIO} (chapters run in parallel): {verdict(ratio, TARGET_RATIO)} |",
        f"| unit tier (`make unit`, `pytest -m unit`) | {unit:.1f} | <= {TARGET_UNIT:.0f} s: {verdict(unit, TARGET_UNIT)} |",
        f"| `make test` on a fresh clone, as CI runs it ({fresh['tests']} tests) | {fresh['total']:.1f} | <= {TARGET_FRESH:.0f} s: {verdict(fresh['total'], TARGET_FRESH)} |",
        f"| of which: set-up, lint and clean-up | {setup:.1f} | |",
        f"| of which: the clean build | {fresh['build']:.1f} | |",
        f"| of which: the test suite (`pytest -n auto`) | {fresh['suite']:.1f} | |",
        "",
        "## Each chapter, executed on its own (kernel start included)",
        "",
        "| chapter | seconds |",
        "|---|---:|",
    ] + [f"| `{name}` | {secs:.1f} |" for name, secs in chapters] + [""]
    for section in extra_sections():
        lines += [section.rstrip(), ""]
    (ROOT / "BENCHMARKS.md").write_text("\n".join(lines))
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
