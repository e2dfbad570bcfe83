/* Adaptive-methods explorer: Adagrad, RMSProp and Adam (and heavy-ball
 * momentum for comparison) on a quadratic, aligned with the axes or turned.
 *
 * The per-explorer part; the objectives, drawing, colours and movable start
 * are in explorer_core.js (window.CourseExplorer), inlined before this file.
 * The rules mirror d2lhelpers/adaptive.py and momentum.py operation for
 * operation; a root (s + eps) ** 0.5 of numpy arrays is numpy's sqrt, so
 * Math.sqrt gives the same correctly rounded value. The parity test checks it.
 */
(function (global) {
  "use strict";
  var core = global.CourseExplorer;

  var NAMES = {momentum: "heavy ball (momentum)", adagrad: "Adagrad",
               rmsprop: "RMSProp", adam: "Adam"};
  var COLORS = {momentum: "blue", adagrad: "orange", rmsprop: "green", adam: "vermillion"};

  // One step on one coordinate. h = {eta, beta1, beta2, eps}: beta1 is the
  // momentum beta, beta2 RMSProp's gamma or Adam's beta2. st is the state.
  function step(method, h, x, g, st, t) {
    var s;
    if (method === "momentum") {
      var v = h.beta1 * st[0] + g;
      return [x - h.eta * v, [v]];
    }
    if (method === "adagrad") {
      s = st[0] + g * g;
      return [x - h.eta * g / Math.sqrt(s + h.eps), [s]];
    }
    if (method === "rmsprop") {
      s = h.beta2 * st[0] + (1 - h.beta2) * g * g;
      return [x - h.eta * g / Math.sqrt(s + h.eps), [s]];
    }
    if (method === "adam") {
      var m = h.beta1 * st[0] + (1 - h.beta1) * g;
      s = h.beta2 * st[1] + (1 - h.beta2) * g * g;
      var mHat = m / (1 - Math.pow(h.beta1, t)), sHat = s / (1 - Math.pow(h.beta2, t));
      return [x - h.eta * mHat / (Math.sqrt(sHat) + h.eps), [m, s]];
    }
    throw new Error("unknown method " + method);
  }

  // The iterates from x0 on problem p = {a, b, c, s}, stopping at the first
  // non-finite one (included), like d2lhelpers.optim.run.
  function iterate(method, h, p, x0, steps) {
    var x1 = x0[0], x2 = x0[1], s1 = [0.0, 0.0], s2 = [0.0, 0.0], rows = [[x1, x2]], r, g;
    for (var t = 1; t <= steps; t++) {
      g = core.grad(p, x1, x2);
      r = step(method, h, x1, g[0], s1, t); x1 = r[0]; s1 = r[1];
      r = step(method, h, x2, g[1], s2, t); x2 = r[0]; s2 = r[1];
      rows.push([x1, x2]);
      if (!(isFinite(x1) && isFinite(x2))) { break; }
    }
    return rows;
  }

  // target: the explorer's root element, or its id.
  function mount(target, cfg) {
    var root = typeof target === "string" ? document.getElementById(target) : target;
    if (!root) { return null; }
    var q = function (name) { return root.querySelector("[data-role=" + name + "]"); };
    var el = {eta: q("eta"), beta1: q("beta1"), beta2: q("beta2"), method: q("method"),
              problem: q("problem"), readout: q("readout"), trace: q("trace"), loss: q("loss")};
    // Each method keeps its own exact settings while another is shown; a slider
    // move replaces only the value it controls.
    var memory = JSON.parse(JSON.stringify(cfg.settings));
    var starts = {};  // the moved start of each problem

    // The sliders: eta on log10, beta1 linear, beta2 (or gamma) on -log10(1 - beta2).
    var fromSlider = {
      eta: function (u) { return Math.pow(10, u); },
      beta1: function (u) { return u; },
      beta2: function (u) { return 1 - Math.pow(10, -u); }
    };
    var toSlider = {
      eta: function (v) { return Math.log(v) / Math.LN10; },
      beta1: function (v) { return v; },
      beta2: function (v) { return -Math.log(1 - v) / Math.LN10; }
    };
    function write(v) {
      ["eta", "beta1", "beta2"].forEach(function (r) { el[r].value = String(toSlider[r](v[r])); });
    }
    function label(role, text) { q(role + "-label").textContent = text; }
    // A slider the method does not use is disabled and says so (at full
    // contrast: faded text would be hard to read).
    function show(role, text, on) {
      q(role + "-value").textContent = on ? text : "(not used)";
      el[role].setAttribute("aria-valuetext", on ? text : "not used");
      el[role].disabled = !on;
    }
    function fixed(v, d) { return Number(v.toPrecision(6)).toFixed(d); }

    function redraw() {
      var method = el.method.value, prob = cfg.problems[el.problem.value];
      var v = memory[method], h = {eta: v.eta, beta1: v.beta1, beta2: v.beta2,
                                   eps: cfg.eps[method]};
      var x0 = starts[el.problem.value] || prob.x0;
      var rows = iterate(method, h, prob.p, x0, cfg.steps);
      var pal = core.palette(root), n = core.finiteCount(rows), color = pal.colors[COLORS[method]];
      var values = rows.slice(0, n).map(function (r) { return core.loss(prob.p, r); });
      core.drawTrace(el.trace, {p: prob.p, window: prob.window, levels: prob.levels,
                                title: NAMES[method].split(" (")[0] + " on the " + prob.short},
                     rows, color, pal);
      core.drawLoss(el.loss, values, cfg.steps, cfg.loss_range, cfg.loss_tick, color, pal);

      var b1 = method === "adam" ? "\u03b2\u2081" : "\u03b2";
      var b2 = method === "adam" ? "\u03b2\u2082" : "\u03b3";
      label("beta1", method === "adam" ? "first-moment decay \u03b2\u2081" : "momentum \u03b2");
      label("beta2", method === "adam" ? "second-moment decay \u03b2\u2082" : "decay \u03b3");
      var etaText = v.eta >= 1 ? fixed(v.eta, 2) : Number(v.eta.toPrecision(2)).toString();
      show("eta", etaText, true);
      show("beta1", fixed(v.beta1, 2), method === "momentum" || method === "adam");
      show("beta2", fixed(v.beta2, 4), method === "rmsprop" || method === "adam");
      var parts = ["\u03b7 = " + etaText];
      if (method === "momentum" || method === "adam") { parts.push(b1 + " = " + fixed(v.beta1, 2)); }
      if (method === "rmsprop" || method === "adam") { parts.push(b2 + " = " + fixed(v.beta2, 4)); }
      var last = rows[n - 1], f0 = values[0], fn = values[n - 1];
      var verdict = n < rows.length ?
        "diverged at step " + n + " (drawn to its last finite point)" :
        fn > f0 ? "f grew: this run does not converge" :
        fn === 0 ? "f reached 0" :
        "f fell by " + (Math.log(f0 / fn) / Math.LN10).toFixed(1) + " decades";
      var text = NAMES[method].split(" (")[0] + ", " + parts.join(", ") + ", on the " +
        prob.short + ": from (" + x0[0].toFixed(2) + ", " + x0[1].toFixed(2) + "), after " +
        (n - 1) + " steps x = (" + core.fmt(last[0]) + ", " + core.fmt(last[1]) + "), f = " +
        core.fmt(fn) + "; " + verdict + ".";
      el.readout.textContent = text;
      el.trace.setAttribute("aria-label", "Trajectory over the contours of f; drag the " +
        "start, or focus here and use the arrow keys. " + text);
      el.loss.setAttribute("aria-label", "Loss against step on a log scale. " + text);
    }

    el.method.addEventListener("change", function () { write(memory[el.method.value]); redraw(); });
    el.problem.addEventListener("change", redraw);
    ["eta", "beta1", "beta2"].forEach(function (r) {
      el[r].addEventListener("input", function () {
        memory[el.method.value][r] = fromSlider[r](parseFloat(el[r].value)); redraw();
      });
    });
    write(memory[el.method.value]);
    redraw();
    core.movableStart(el.trace, {
      window: function () { return cfg.problems[el.problem.value].window; },
      home: function () { return cfg.problems[el.problem.value].x0; },
      current: function () {
        return starts[el.problem.value] || cfg.problems[el.problem.value].x0;
      },
      move: function (x) { starts[el.problem.value] = x; redraw(); }});
    core.followTheme(redraw);
    return {redraw: redraw, start: function () {
      return (starts[el.problem.value] || cfg.problems[el.problem.value].x0).slice(); }};
  }

  global.AdaptiveExplorer = {step: step, iterate: iterate, mount: mount, names: NAMES};
})(window);
