/* The explorers' shared part: the quadratic objectives, the drawing of the
 * contour and loss panels, the theme's colours and the movable starting point.
 *
 * Dependency-free; d2lhelpers/explorer.py inlines this file, then one small
 * per-explorer script (momentum_explorer.js, adaptive_explorer.js), into a
 * notebook cell's HTML output, so the page needs no kernel and no network.
 * Inlined twice on one page, the second copy leaves the first in place.
 */
(function (global) {
  "use strict";
  if (global.CourseExplorer) { return; }

  // --- the objectives --------------------------------------------------------
  // p = {a, b, c, s}: f(x) = a u1^2 + b u2^2 with u = R x, R = [[c, -s], [s, c]].
  // c = 1, s = 0 is d2lhelpers.functions.Quadratic2D; otherwise the turned
  // quadratic of d2lhelpers.race.rotated_quadratic. The gradients repeat those
  // functions' floating-point operations in the same order (the parity tests).

  function turned(p) { return !(p.c === 1 && p.s === 0); }

  function grad(p, x1, x2) {
    if (!turned(p)) { return [2 * p.a * x1, 2 * p.b * x2]; }
    var u1 = p.c * x1 - p.s * x2, u2 = p.s * x1 + p.c * x2;
    var g1 = 2 * p.a * u1, g2 = 2 * p.b * u2;
    return [p.c * g1 + p.s * g2, -p.s * g1 + p.c * g2];
  }

  function loss(p, x) {
    var u1 = x[0], u2 = x[1];
    if (turned(p)) { u1 = p.c * x[0] - p.s * x[1]; u2 = p.s * x[0] + p.c * x[1]; }
    return p.a * u1 * u1 + p.b * u2 * u2;
  }

  // The number of leading rows whose coordinates are both finite.
  function finiteCount(rows) {
    for (var i = 0; i < rows.length; i++) {
      if (!(isFinite(rows[i][0]) && isFinite(rows[i][1]))) { return i; }
    }
    return rows.length;
  }

  function fmt(v) {
    if (!isFinite(v)) { return String(v); }
    var m = Math.abs(v);
    return (m !== 0 && (m < 1e-3 || m >= 1e4)) ? v.toExponential(2) : v.toFixed(4);
  }

  // --- colours: the page's own ink, so both theme modes read ------------------

  function luminance(css) {
    var m = String(css).match(/[\d.]+/g);
    if (!m || m.length < 3) { return 0; }
    var f = function (v) {
      v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    };
    return 0.2126 * f(+m[0]) + 0.7152 * f(+m[1]) + 0.0722 * f(+m[2]);
  }

  // Light ink means a dark page: the Okabe-Ito colours get lighter variants.
  function palette(root) {
    var ink = global.getComputedStyle ? global.getComputedStyle(root).color : "";
    var dark = luminance(ink || "rgb(0,0,0)") > 0.4;
    return {
      dark: dark, ink: ink || "#000000",
      grid: dark ? "rgba(255,255,255,0.18)" : "rgba(0,0,0,0.13)",
      contour: dark ? "#8a8a8a" : "#999999",
      colors: dark ? {vermillion: "#FF8A4C", blue: "#5AB4F0", orange: "#F5B041",
                      green: "#2BC49A", pink: "#E59AC4", black: "#E8E8E8"}
                   : {vermillion: "#D55E00", blue: "#0072B2", orange: "#E69F00",
                      green: "#009E73", pink: "#CC79A7", black: "#000000"}
    };
  }

  // --- canvases: drawn in CSS pixels, stored at the screen's density ----------

  function prepare(canvas) {
    if (!canvas.logical) {
      canvas.logical = {w: canvas.width, h: canvas.height};
      var dpr = Math.min(2, Math.max(1, global.devicePixelRatio || 1));
      canvas.dpr = dpr;
      canvas.width = Math.round(canvas.logical.w * dpr);
      canvas.height = Math.round(canvas.logical.h * dpr);
    }
    var ctx = canvas.getContext("2d");
    ctx.setTransform(canvas.dpr, 0, 0, canvas.dpr, 0, 0);
    ctx.clearRect(0, 0, canvas.logical.w, canvas.logical.h);
    return ctx;
  }

  // The parts of a panel that do not change with the run (frame, labels,
  // contours, grid) are drawn once per key into an offscreen canvas and then
  // copied, so a slider move draws only the run: well within one frame.
  function withLayer(canvas, key, paint) {
    var ctx = prepare(canvas);
    if (!canvas.layer || canvas.layerKey !== key) {
      var layer = canvas.layer || document.createElement("canvas");
      layer.width = canvas.width; layer.height = canvas.height;
      var lctx = layer.getContext("2d");
      lctx.setTransform(canvas.dpr, 0, 0, canvas.dpr, 0, 0);
      lctx.clearRect(0, 0, canvas.logical.w, canvas.logical.h);
      paint(lctx);
      canvas.layer = layer; canvas.layerKey = key;
    }
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.drawImage(canvas.layer, 0, 0);
    ctx.setTransform(canvas.dpr, 0, 0, canvas.dpr, 0, 0);
    return ctx;
  }

  function frame(ctx, w, h, m, pal, title, xlabel, ylabel) {
    ctx.strokeStyle = pal.ink; ctx.lineWidth = 1;
    ctx.strokeRect(m.l, m.t, w - m.l - m.r, h - m.t - m.b);
    ctx.fillStyle = pal.ink; ctx.font = "13px sans-serif"; ctx.textAlign = "center";
    ctx.fillText(title, w / 2, 15);
    ctx.font = "12px sans-serif";
    ctx.fillText(xlabel, (m.l + w - m.r) / 2, h - 4);
    ctx.save(); ctx.translate(12, (m.t + h - m.b) / 2); ctx.rotate(-Math.PI / 2);
    ctx.fillText(ylabel, 0, 0); ctx.restore();
  }

  var TRACE_MARGIN = {l: 38, r: 10, t: 22, b: 34};

  // Plot-area geometry of the trace panel: data <-> canvas (CSS pixel) maps.
  function traceGeometry(canvas, win) {
    var w = canvas.logical.w, h = canvas.logical.h, m = TRACE_MARGIN;
    var pw = w - m.l - m.r, ph = h - m.t - m.b;
    return {
      w: w, h: h, m: m, pw: pw, ph: ph,
      px: function (x) { return m.l + (x - win[0]) / (win[1] - win[0]) * pw; },
      py: function (y) { return m.t + (win[3] - y) / (win[3] - win[2]) * ph; },
      x: function (px) { return win[0] + (px - m.l) / pw * (win[1] - win[0]); },
      y: function (py) { return win[3] - (py - m.t) / ph * (win[3] - win[2]); }
    };
  }

  // view = {p, window, levels, title}; rows = iterates; color = the trace's.
  function drawTrace(canvas, view, rows, color, pal) {
    var X = view.window, p = view.p;
    if (!canvas.logical) { prepare(canvas); }
    var G = traceGeometry(canvas, X), px = G.px, py = G.py;
    var key = JSON.stringify([view, pal.ink, pal.dark]);
    var ctx = withLayer(canvas, key, function (c) {
      frame(c, G.w, G.h, G.m, pal, view.title, "x\u2081", "x\u2082");
      c.save();
      c.beginPath(); c.rect(G.m.l, G.m.t, G.pw, G.ph); c.clip();
      // The level sets a u1^2 + b u2^2 = level: ellipses with axes along R^T e_i,
      // drawn in data coordinates (so unequal x and y scales stay exact).
      var sx = G.pw / (X[1] - X[0]), sy = G.ph / (X[3] - X[2]);
      var angle = Math.atan2(-p.s, p.c);
      c.strokeStyle = pal.contour; c.lineWidth = 0.8;
      for (var i = 0; i < view.levels.length; i++) {
        c.save(); c.translate(px(0), py(0)); c.scale(sx, -sy);
        c.beginPath();
        c.ellipse(0, 0, Math.sqrt(view.levels[i] / p.a), Math.sqrt(view.levels[i] / p.b),
                  angle, 0, 2 * Math.PI);
        c.restore(); c.stroke();
      }
      c.strokeStyle = pal.ink; c.lineWidth = 1; c.beginPath();  // the minimum
      c.moveTo(px(0) - 5, py(0)); c.lineTo(px(0) + 5, py(0));
      c.moveTo(px(0), py(0) - 5); c.lineTo(px(0), py(0) + 5); c.stroke();
      c.restore();
      c.fillStyle = pal.ink; c.font = "10px sans-serif"; c.textAlign = "center";
      c.fillText(String(X[0]), px(X[0]) + 6, G.h - G.m.b + 12);
      c.fillText(String(X[1]), px(X[1]) - 6, G.h - G.m.b + 12);
      c.textAlign = "right";
      c.fillText(String(X[3]), G.m.l - 3, py(X[3]) + 9);
      c.fillText(String(X[2]), G.m.l - 3, py(X[2]));
    });
    ctx.save();
    ctx.beginPath(); ctx.rect(G.m.l, G.m.t, G.pw, G.ph); ctx.clip();
    ctx.strokeStyle = color; ctx.fillStyle = color; ctx.lineWidth = 1.3;
    var n = finiteCount(rows), i, clamp = function (v) { return Math.max(-1e4, Math.min(1e4, v)); };
    ctx.beginPath();
    for (i = 0; i < n; i++) {  // far-away points kept on a canvas-sized range (clipped)
      var x = clamp(px(rows[i][0])), y = clamp(py(rows[i][1]));
      if (i === 0) { ctx.moveTo(x, y); } else { ctx.lineTo(x, y); }
    }
    ctx.stroke();
    ctx.beginPath();  // the iterates' dots, one path
    for (i = 1; i < n; i++) {
      var cx = clamp(px(rows[i][0])), cy = clamp(py(rows[i][1]));
      ctx.moveTo(cx + 2.2, cy); ctx.arc(cx, cy, 2.2, 0, 2 * Math.PI);
    }
    ctx.fill();
    if (n > 0) {  // the starting point: a ring, the handle to drag
      ctx.lineWidth = 2; ctx.strokeStyle = pal.ink; ctx.beginPath();
      ctx.arc(px(rows[0][0]), py(rows[0][1]), 5, 0, 2 * Math.PI); ctx.stroke();
    }
    ctx.restore();
  }

  // range = [lo, hi] decades (log10), tick = decades between grid lines.
  function drawLoss(canvas, values, steps, range, tick, color, pal) {
    if (!canvas.logical) { prepare(canvas); }
    var m = {l: 46, r: 10, t: 22, b: 34};
    var w = canvas.logical.w, h = canvas.logical.h, pw = w - m.l - m.r, ph = h - m.t - m.b;
    var lo = range[0], hi = range[1];
    function px(k) { return m.l + k / steps * pw; }
    function py(l) {
      var e = Math.log(Math.max(l, 1e-300)) / Math.LN10;
      e = Math.max(lo - 0.5, Math.min(hi + 0.5, e));
      return m.t + (hi - e) / (hi - lo) * ph;
    }
    var ctx = withLayer(canvas, JSON.stringify([steps, range, tick, pal.ink, pal.dark]),
                        function (c) {
      frame(c, w, h, m, pal, "Loss along the run", "step k", "f(x\u2096), log scale");
      c.fillStyle = pal.ink; c.font = "10px sans-serif"; c.textAlign = "right";
      c.strokeStyle = pal.grid; c.lineWidth = 0.6;
      for (var e = lo; e <= hi; e += tick) {
        var y = m.t + (hi - e) / (hi - lo) * ph;
        c.beginPath(); c.moveTo(m.l, y); c.lineTo(w - m.r, y); c.stroke();
        c.fillText("1e" + e, m.l - 3, y + 3);
      }
      c.textAlign = "center";
      c.fillText("0", px(0), h - m.b + 12);
      c.fillText(String(steps), px(steps), h - m.b + 12);
    });
    ctx.save(); ctx.beginPath(); ctx.rect(m.l, m.t, pw, ph); ctx.clip();
    ctx.strokeStyle = color; ctx.lineWidth = 1.5; ctx.beginPath();
    for (var k = 0; k < values.length; k++) {
      if (!isFinite(values[k])) { break; }
      if (k === 0) { ctx.moveTo(px(k), py(values[k])); } else { ctx.lineTo(px(k), py(values[k])); }
    }
    ctx.stroke(); ctx.restore();
  }

  // --- the movable starting point ---------------------------------------------
  // Drag it on the trace canvas (mouse, pen or touch), or focus the canvas and
  // use the arrow keys (Shift: ten times larger moves; Home: back to the
  // default). spec = {window(), home(), current(), move(x0)}; move redraws.

  function movableStart(canvas, spec) {
    var dragging = false;
    function clampTo(v, lo, hi) { return Math.max(lo, Math.min(hi, v)); }
    function set(x1, x2) {
      var win = spec.window();  // kept in the window, rounded to 1e-3
      spec.move([clampTo(Math.round(x1 * 1000) / 1000, win[0], win[1]),
                 clampTo(Math.round(x2 * 1000) / 1000, win[2], win[3])]);
    }
    function fromEvent(ev) {
      var r = canvas.getBoundingClientRect(), G = traceGeometry(canvas, spec.window());
      var lx = (ev.clientX - r.left) * G.w / r.width, ly = (ev.clientY - r.top) * G.h / r.height;
      return [G.x(lx), G.y(ly)];
    }
    canvas.addEventListener("pointerdown", function (ev) {
      if (ev.button !== undefined && ev.button !== 0) { return; }
      dragging = true;
      if (canvas.setPointerCapture && ev.pointerId !== undefined) {
        try { canvas.setPointerCapture(ev.pointerId); } catch (e) { /* synthetic event */ }
      }
      var q = fromEvent(ev); set(q[0], q[1]); ev.preventDefault();
    });
    canvas.addEventListener("pointermove", function (ev) {
      if (dragging) { var q = fromEvent(ev); set(q[0], q[1]); ev.preventDefault(); }
    });
    var stop = function () { dragging = false; };
    canvas.addEventListener("pointerup", stop);
    canvas.addEventListener("pointercancel", stop);
    canvas.addEventListener("keydown", function (ev) {
      var win = spec.window(), d = (win[1] - win[0]) / 120 * (ev.shiftKey ? 10 : 1);
      var moves = {ArrowLeft: [-d, 0], ArrowRight: [d, 0], ArrowUp: [0, d], ArrowDown: [0, -d]};
      var x = spec.current();
      if (ev.key === "Home") {
        x = spec.home(); set(x[0], x[1]);
      } else if (moves[ev.key]) {
        set(x[0] + moves[ev.key][0], x[1] + moves[ev.key][1]);
      } else {
        return;
      }
      ev.preventDefault();
    });
  }

  // Redraw when the page switches between light and dark mode.
  function followTheme(redraw) {
    if (!global.MutationObserver) { return; }
    new global.MutationObserver(redraw).observe(
      document.documentElement, {attributes: true, attributeFilter: ["data-theme", "data-mode", "class"]});
  }

  global.CourseExplorer = {
    grad: grad, loss: loss, finiteCount: finiteCount, fmt: fmt, palette: palette,
    drawTrace: drawTrace, drawLoss: drawLoss, movableStart: movableStart,
    followTheme: followTheme, traceGeometry: traceGeometry
  };
})(window);
