/* Momentum explorer: heavy ball and Nesterov on f(x1, x2) = a x1^2 + b x2^2.
 *
 * The per-explorer part; the drawing, colours and movable start are in
 * explorer_core.js (window.CourseExplorer), inlined before this file. The
 * update rules mirror d2lhelpers/momentum.py operation for operation (same
 * order of floating-point operations), which is what the parity test checks.
 */
(function (global) {
  "use strict";
  var core = global.CourseExplorer;

  // One step of the rule in d2lhelpers.momentum, on one coordinate.
  function step(method, eta, beta, x, g, v) {
    v = beta * v + g;
    if (method === "nesterov") {
      return [x - eta * (g + beta * v), v];
    }
    return [x - eta * v, v];
  }

  // The iterates from x0, stopping at the first non-finite one (included),
  // like d2lhelpers.optim.run. Gradient as Quadratic2D.grad: (2 a x1, 2 b x2).
  function iterate(method, eta, beta, a, b, x0, steps) {
    var p = {a: a, b: b, c: 1, s: 0};
    var x1 = x0[0], x2 = x0[1], v1 = 0.0, v2 = 0.0, rows = [[x1, x2]], s, g;
    for (var k = 1; k <= steps; k++) {
      g = core.grad(p, x1, x2);
      s = step(method, eta, beta, x1, g[0], v1); x1 = s[0]; v1 = s[1];
      s = step(method, eta, beta, x2, g[1], v2); x2 = s[0]; v2 = s[1];
      rows.push([x1, x2]);
      if (!(isFinite(x1) && isFinite(x2))) { break; }
    }
    return rows;
  }

  function loss(a, b, x) { return core.loss({a: a, b: b, c: 1, s: 0}, x); }

  // Spectral radius of the 2x2 iteration matrix along an eigenvalue lam of the
  // Hessian: the roots of z^2 - t z + d (see d2lhelpers.momentum.iteration_matrix).
  function radius(method, eta, beta, lam) {
    var t, d;
    if (method === "nesterov") {
      t = (1 + beta) * (1 - eta * lam); d = beta * (1 - eta * lam);
    } else {
      t = 1 + beta - eta * lam; d = beta;
    }
    var disc = t * t - 4 * d;
    if (disc < 0) { return Math.sqrt(d); }
    var r = Math.sqrt(disc);
    return Math.max(Math.abs((t + r) / 2), Math.abs((t - r) / 2));
  }

  function rate(method, eta, beta, a, b) {
    return Math.max(radius(method, eta, beta, 2 * a), radius(method, eta, beta, 2 * b));
  }

  // target: the explorer's root element, or its id.
  function mount(target, cfg) {
    var root = typeof target === "string" ? document.getElementById(target) : target;
    if (!root) { return null; }
    var q = function (name) { return root.querySelector("[data-role=" + name + "]"); };
    var st = {eta: q("eta"), beta: q("beta"), method: q("method"),
              readout: q("readout"), trace: q("trace"), loss: q("loss")};
    var p = {a: cfg.a, b: cfg.b, c: 1, s: 0}, view = {p: p, window: cfg.window,
              levels: cfg.levels, title: cfg.title}, x0 = cfg.x0.slice();
    function redraw() {
      var eta = parseFloat(st.eta.value), beta = parseFloat(st.beta.value);
      var method = st.method.value;
      var rows = iterate(method, eta, beta, cfg.a, cfg.b, x0, cfg.steps);
      var pal = core.palette(root), n = core.finiteCount(rows);
      var values = rows.slice(0, n).map(function (r) { return core.loss(p, r); });
      core.drawTrace(st.trace, view, rows, pal.colors.vermillion, pal);
      core.drawLoss(st.loss, values, cfg.steps, cfg.loss_range, cfg.loss_tick,
                    pal.colors.blue, pal);
      var last = rows[n - 1], rho = rate(method, eta, beta, cfg.a, cfg.b);
      var name = method === "nesterov" ? "Nesterov" : "heavy ball";
      var verdict = n < rows.length ? "diverged at step " + n + " (drawn to its last finite point)" :
        rho >= 1 ? "diverging (rate \u2265 1)" : "converging";
      var text = name + ", \u03b7 = " + eta.toFixed(2) + ", \u03b2 = " + beta.toFixed(2) +
        ": from (" + x0[0].toFixed(2) + ", " + x0[1].toFixed(2) + "), after " + (n - 1) +
        " steps x = (" + core.fmt(last[0]) + ", " + core.fmt(last[1]) +
        "), f = " + core.fmt(loss(cfg.a, cfg.b, last)) + "; predicted rate \u03c1 = " +
        rho.toFixed(3) + " per step, " + verdict + ".";
      st.readout.textContent = text;
      st.trace.setAttribute("aria-label", "Trajectory over the contours of f; drag the " +
        "start, or focus here and use the arrow keys. " + text);
      st.loss.setAttribute("aria-label", "Loss against step on a log scale. " + text);
      q("eta-value").textContent = eta.toFixed(2);
      q("beta-value").textContent = beta.toFixed(2);
    }
    st.eta.addEventListener("input", redraw);
    st.beta.addEventListener("input", redraw);
    st.method.addEventListener("change", redraw);
    redraw();  // first draw sizes the canvases, which the start handle needs
    core.movableStart(st.trace, {
      window: function () { return cfg.window; }, home: function () { return cfg.x0; },
      current: function () { return x0; }, move: function (x) { x0 = x; redraw(); }});
    core.followTheme(redraw);
    return {redraw: redraw, start: function () { return x0.slice(); }};
  }

  global.MomentumExplorer = {step: step, iterate: iterate, radius: radius, rate: rate,
                             loss: loss, mount: mount};
})(window);
