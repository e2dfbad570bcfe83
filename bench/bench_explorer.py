"""Benchmark of the two in-browser explorers: slider event to finished redraw.

Each explorer's cell output is loaded into Debian's Chromium (headless, via
Playwright, as the browser tests do). For every setting below the page sweeps
the learning-rate slider over its range, one step at a time: it sets the
value, dispatches the ``input`` event (the explorer iterates the method and
redraws both canvases in its handler) and then reads one pixel of each canvas,
which makes the browser finish rasterizing what was drawn. The time from just
before the event to just after that read is one sample. The budget is one
frame at 60 Hz, 16 ms. Screens of normal and double density (the canvases then
hold four times the pixels) are both measured.

``run()`` returns a Markdown section; ``python bench/bench_explorer.py`` prints it.
"""
from __future__ import annotations

import os
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

BUDGET_MS = 16.0
SWEEPS = 2  # passes over the slider's range per setting

# In the page: sweep the slider `role`, timing each input event to the end of
# the canvases' rasterization (a one-pixel read forces it).
SWEEP = """([id, role, sweeps]) => {
  const root = document.getElementById(id);
  const slider = root.querySelector('[data-role=' + role + ']');
  const canvases = [...root.querySelectorAll('canvas')].map(c => c.getContext('2d'));
  const lo = +slider.min, hi = +slider.max, step = +slider.step;
  const n = Math.round((hi - lo) / step), times = [];
  for (let s = 0; s < sweeps; s++) {
    for (let k = 0; k <= n; k++) {
      const i = s % 2 ? n - k : k;
      slider.value = String(lo + i * step);
      const t0 = performance.now();
      slider.dispatchEvent(new Event('input', {bubbles: true}));
      for (const ctx of canvases) ctx.getImageData(0, 0, 1, 1);
      times.push(performance.now() - t0);
    }
  }
  return times;
}"""


def _settings():
    from d2lhelpers.explorer import adaptive_explorer, momentum_explorer
    yield "momentum explorer, heavy ball", momentum_explorer(), "momentum", None
    yield "momentum explorer, Nesterov", momentum_explorer(method="nesterov"), "nesterov", None
    for method in ("adagrad", "rmsprop", "adam", "momentum"):
        for problem in ("quadratic", "rotated"):
            yield (f"adaptive explorer, {method}, {problem}",
                   adaptive_explorer(method=method, problem=problem), method, problem)


def _percentile(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


def measure(dpr: float):
    """Rows (label, samples in ms) for every setting, at device pixel ratio ``dpr``."""
    from playwright.sync_api import sync_playwright

    from conftest import CHROMIUM, CHROMIUM_ARGS
    rows = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True,
                                     args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport={"width": 1280, "height": 900},
                                          device_scale_factor=dpr)
            page = context.new_page()
            for label, ex, _, _ in _settings():
                page.set_content("<!doctype html><html><body>" + ex.html + "</body></html>")
                page.evaluate(SWEEP, [ex.element_id, "eta", 1])  # warm-up
                times = page.evaluate(SWEEP, [ex.element_id, "eta", SWEEPS])
                rows.append((label, times))
            context.close()
        finally:
            browser.close()
    return rows


def run() -> str:
    lines = [
        "## The in-browser explorers: slider event to finished redraw",
        "",
        "Debian Chromium, headless, 1280x900 viewport. Each sample: set the learning-rate "
        "slider, dispatch its `input` event (the explorer iterates the method and redraws "
        "both canvases), read one pixel of each canvas (which finishes their "
        "rasterization). The slider is swept over its whole range "
        f"{SWEEPS} times per setting (after one warm-up sweep). Budget: one frame, "
        f"{BUDGET_MS:.0f} ms. Measured on a shared machine, so the tail is inflated "
        "by other processes.",
        "",
        "| explorer, method, problem | screen | samples | median ms | 95th pct ms | max ms "
        "| over budget |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    worst_median = worst_p95 = 0.0
    for dpr in (1, 2):
        for label, times in measure(dpr):
            over = sum(t > BUDGET_MS for t in times)
            median, p95 = statistics.median(times), _percentile(times, 0.95)
            worst_median, worst_p95 = max(worst_median, median), max(worst_p95, p95)
            lines.append(f"| {label} | {dpr}x | {len(times)} | {median:.2f} "
                         f"| {p95:.2f} | {max(times):.2f} | {over} |")
    load = ", ".join(f"{v:.1f}" for v in os.getloadavg())
    lines += ["", f"Worst median: {worst_median:.2f} ms "
              f"({'within' if worst_median <= BUDGET_MS else 'OVER'} the one-frame budget); "
              f"worst 95th percentile: {worst_p95:.2f} ms "
              f"({'within' if worst_p95 <= BUDGET_MS else 'over'} it). "
              f"Load average (1, 5, 15 min) when finished: {load} on {os.cpu_count()} cores."]
    return "\n".join(lines)


if __name__ == "__main__":
    print(run())
