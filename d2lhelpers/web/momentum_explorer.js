/* Momentum explorer: heavy ball and Nesterov on f(x1, x2) = a x1^2 + b x2^2.
 *
 * Dependency-free; d2lhelpers/explorer.py inlines this file into a notebook
 * cell's HTML output, so the page needs no kernel and no network. The update
 * rules mirror d2lhelpers/momentum.py operation for operation (same order of
 * floating-point operations), which is what the parity test checks.
 */
(function (global) {
  "use strict";

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
    var x1 = x0[0], x2 = x0[1], v1 = 0.0, v2 = 0.0, rows = [[x1, x2]], s;
    for (var k = 1; k <= steps; k++) {
      var g1 = 2 * a * x1, g2 = 2 * b * x2;
      s = step(method, eta, beta, x1, g1, v1); x1 = s[0]; v1 = s[1];
      s = step(method, eta, beta, x2, g2, v2); x2 = s[0]; v2 = s[1];
      rows.push([x1, x2]);
      if (!(isFinite(x1) && isFinite(x2))) { break; }
    }
    return rows;
  }

  function loss(a, b, p) { return a * p[0] * p[0] + b * p[1] * p[1]; }

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

  function fmt(v) {
    if (!isFinite(v)) { return String(v); }
    var m = Math.abs(v);
    return (m !== 0 && (m < 1e-3 || m >= 1e4)) ? v.toExponential(2) : v.toFixed(4);
  }

  // --- drawing ---------------------------------------------------------------

  var INK = "#000000", TRACE = "#D55E00", CONTOUR = "#999999", CURVE = "#0072B2";

  function frame(ctx, w, h, m, title, xlabel, ylabel) {
    ctx.fillStyle = "#ffffff"; ctx.fillRect(0, 0, w, h);
    ctx.strokeStyle = INK; ctx.lineWidth = 1;
    ctx.strokeRect(m.l, m.t, w - m.l - m.r, h - m.t - m.b);
    ctx.fillStyle = INK; ctx.font = "13px sans-serif"; ctx.textAlign = "center";
    ctx.fillText(title, w / 2, 15);
    ctx.font = "12px sans-serif";
    ctx.fillText(xlabel, (m.l + w - m.r) / 2, h - 4);
    ctx.save(); ctx.translate(12, (m.t + h - m.b) / 2); ctx.rotate(-Math.PI / 2);
    ctx.fillText(ylabel, 0, 0); ctx.restore();
  }

  function drawContours(ctx, st, rows) {
    var c = st.cfg, cv = ctx.canvas, m = {l: 38, r: 10, t: 22, b: 34};
    var w = cv.width, h = cv.height, pw = w - m.l - m.r, ph = h - m.t - m.b;
    var X = c.window;  // [x1lo, x1hi, x2lo, x2hi]
    function px(x) { return m.l + (x - X[0]) / (X[1] - X[0]) * pw; }
    function py(y) { return m.t + (X[3] - y) / (X[3] - X[2]) * ph; }
    frame(ctx, w, h, m, c.title, "x\u2081", "x\u2082");
    ctx.save();
    ctx.beginPath(); ctx.rect(m.l, m.t, pw, ph); ctx.clip();
    ctx.strokeStyle = CONTOUR; ctx.lineWidth = 0.8;
    for (var i = 0; i < c.levels.length; i++) {  // the ellipses a x1^2 + b x2^2 = level
      var rx = Math.sqrt(c.levels[i] / c.a) * pw / (X[1] - X[0]);
      var ry = Math.sqrt(c.levels[i] / c.b) * ph / (X[3] - X[2]);
      ctx.beginPath(); ctx.ellipse(px(0), py(0), rx, ry, 0, 0, 2 * Math.PI); ctx.stroke();
    }
    ctx.strokeStyle = INK; ctx.beginPath();  // the minimum
    ctx.moveTo(px(0) - 5, py(0)); ctx.lineTo(px(0) + 5, py(0));
    ctx.moveTo(px(0), py(0) - 5); ctx.lineTo(px(0), py(0) + 5); ctx.stroke();
    ctx.strokeStyle = TRACE; ctx.fillStyle = TRACE; ctx.lineWidth = 1.3;
    var n = finiteCount(rows);
    ctx.beginPath();
    for (i = 0; i < n; i++) {
      var x = px(rows[i][0]), y = py(rows[i][1]);
      // keep far-away points on a canvas-sized range (they are clipped anyway)
      x = Math.max(-1e4, Math.min(1e4, x)); y = Math.max(-1e4, Math.min(1e4, y));
      if (i === 0) { ctx.moveTo(x, y); } else { ctx.lineTo(x, y); }
    }
    ctx.stroke();
    for (i = 0; i < n; i++) {
      ctx.beginPath(); ctx.arc(px(rows[i][0]), py(rows[i][1]), 2.2, 0, 2 * Math.PI); ctx.fill();
    }
    ctx.restore();
    ctx.fillStyle = INK; ctx.font = "10px sans-serif"; ctx.textAlign = "center";
    ctx.fillText(String(X[0]), px(X[0]) + 6, h - m.b + 12);
    ctx.fillText(String(X[1]), px(X[1]) - 6, h - m.b + 12);
    ctx.textAlign = "right";
    ctx.fillText(String(X[3]), m.l - 3, py(X[3]) + 9);
    ctx.fillText(String(X[2]), m.l - 3, py(X[2]));
  }

  function finiteCount(rows) {
    for (var i = 0; i < rows.length; i++) {
      if (!(isFinite(rows[i][0]) && isFinite(rows[i][1]))) { return i; }
    }
    return rows.length;
  }

  function drawLoss(ctx, st, rows) {
    var c = st.cfg, cv = ctx.canvas, m = {l: 46, r: 10, t: 22, b: 34};
    var w = cv.width, h = cv.height, pw = w - m.l - m.r, ph = h - m.t - m.b;
    var lo = c.loss_range[0], hi = c.loss_range[1];  // decades, log10
    function px(k) { return m.l + k / c.steps * pw; }
    function py(l) {
      var e = Math.log(Math.max(l, 1e-300)) / Math.LN10;
      e = Math.max(lo - 0.5, Math.min(hi + 0.5, e));
      return m.t + (hi - e) / (hi - lo) * ph;
    }
    frame(ctx, w, h, m, "Loss along the run", "step k", "f(x\u2096), log scale");
    ctx.fillStyle = INK; ctx.font = "10px sans-serif"; ctx.textAlign = "right";
    ctx.strokeStyle = "#dddddd"; ctx.lineWidth = 0.6;
    for (var e = lo; e <= hi; e += c.loss_tick) {
      var y = m.t + (hi - e) / (hi - lo) * ph;
      ctx.beginPath(); ctx.moveTo(m.l, y); ctx.lineTo(w - m.r, y); ctx.stroke();
      ctx.fillText("1e" + e, m.l - 3, y + 3);
    }
    ctx.textAlign = "center";
    ctx.fillText("0", px(0), h - m.b + 12);
    ctx.fillText(String(c.steps), px(c.steps), h - m.b + 12);
    ctx.save(); ctx.beginPath(); ctx.rect(m.l, m.t, pw, ph); ctx.clip();
    ctx.strokeStyle = CURVE; ctx.lineWidth = 1.5; ctx.beginPath();
    var n = finiteCount(rows);
    for (var k = 0; k < n; k++) {
      var l = loss(c.a, c.b, rows[k]);
      if (!isFinite(l)) { break; }
      if (k === 0) { ctx.moveTo(px(k), py(l)); } else { ctx.lineTo(px(k), py(l)); }
    }
    ctx.stroke(); ctx.restore();
  }

  // --- the widget --------------------------------------------------------------

  // target: the explorer's root element, or its id.
  function mount(target, cfg) {
    var root = typeof target === "string" ? document.getElementById(target) : target;
    if (!root) { return null; }
    var q = function (name) { return root.querySelector("[data-role=" + name + "]"); };
    var st = {cfg: cfg, eta: q("eta"), beta: q("beta"), method: q("method"),
              readout: q("readout"), trace: q("trace"), loss: q("loss")};
    function redraw() {
      var eta = parseFloat(st.eta.value), beta = parseFloat(st.beta.value);
      var method = st.method.value;
      var rows = iterate(method, eta, beta, cfg.a, cfg.b, cfg.x0, cfg.steps);
      drawContours(st.trace.getContext("2d"), st, rows);
      drawLoss(st.loss.getContext("2d"), st, rows);
      var n = finiteCount(rows), last = rows[n - 1], rho = rate(method, eta, beta, cfg.a, cfg.b);
      var name = method === "nesterov" ? "Nesterov" : "heavy ball";
      var verdict = n < rows.length ? "diverged at step " + n :
        rho >= 1 ? "diverging (rate \u2265 1)" : "converging";
      var text = name + ", \u03b7 = " + eta.toFixed(2) + ", \u03b2 = " + beta.toFixed(2) +
        ": after " + (n - 1) + " steps x = (" + fmt(last[0]) + ", " + fmt(last[1]) +
        "), f = " + fmt(loss(cfg.a, cfg.b, last)) + "; predicted rate \u03c1 = " +
        rho.toFixed(3) + " per step, " + verdict + ".";
      st.readout.textContent = text;
      st.trace.setAttribute("aria-label", "Trajectory over the contours of f. " + text);
      st.loss.setAttribute("aria-label", "Loss against step on a log scale. " + text);
      q("eta-value").textContent = eta.toFixed(2);
      q("beta-value").textContent = beta.toFixed(2);
    }
    st.eta.addEventListener("input", redraw);
    st.beta.addEventListener("input", redraw);
    st.method.addEventListener("change", redraw);
    redraw();
    return {redraw: redraw};
  }

  global.MomentumExplorer = {step: step, iterate: iterate, radius: radius, rate: rate,
                             loss: loss, mount: mount};
})(window);
