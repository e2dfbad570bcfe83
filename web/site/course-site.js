// Site-wide fixes for the theme (sphinx-book-theme 1.3.0 on
// pydata-sphinx-theme 0.17.1), loaded on every page by _ext/course_site.py.
// Each fix names the upstream issue; remove it when the pinned themes fix it
// (tests/test_navigation.py and tests/test_a11y.py fail if a fix stops
// working).
(function () {
  "use strict";

  function ready(callback) {
    if (document.readyState !== "loading") callback();
    else document.addEventListener("DOMContentLoaded", callback);
  }

  // 1. Sidebar toggles (pydata-sphinx-theme #2451, sphinx-book-theme #865):
  // fixed in _config.yml, where the theme's top bar is emptied so that the
  // article header's buttons are the only ".primary-toggle" and
  // ".secondary-toggle" and get the themes' handlers.

  // Tell assistive technology whether the sidebar is shown.
  function syncExpanded() {
    var sidebar = document.getElementById("pst-primary-sidebar");
    if (!sidebar) return;
    var wide = window.matchMedia("(min-width: 992px)").matches;
    var shown = wide && !sidebar.classList.contains("pst-sidebar-hidden");
    document.querySelectorAll(".primary-toggle").forEach(function (button) {
      button.setAttribute("aria-controls", "pst-primary-sidebar");
      button.setAttribute("aria-expanded", shown ? "true" : "false");
    });
  }

  // 2. Tooltips stay up after a tap (sphinx-book-theme's addBlurToButtons
  // binds only the first button of each kind). A touch screen has no hover,
  // but a tap leaves the button focused and "hovered" as Bootstrap sees it, so
  // the tooltip appears half a second later and stays over the search icon
  // (and comes back when a dialog returns the focus to its button). So the
  // first touch removes the hover tooltips (Bootstrap puts each title back, and
  // every button keeps its name), and a mouse click drops the focus that would
  // keep a tooltip up; keyboard users keep their focus and its tooltip.
  function dismissTooltips() {
    function tooltipOf(element) {
      return window.bootstrap && window.bootstrap.Tooltip &&
        window.bootstrap.Tooltip.getInstance(element);
    }
    document.addEventListener("pointerdown", function (event) {
      if (event.pointerType !== "touch") return;
      document.querySelectorAll("[data-bs-toggle=tooltip]").forEach(function (element) {
        var tip = tooltipOf(element);
        if (tip) tip.dispose();
      });
    }, true);
    document.addEventListener("click", function (event) {
      var button = event.target.closest && event.target.closest("[data-bs-toggle=tooltip]");
      if (!button || event.detail === 0) return;
      window.setTimeout(function () {
        if (document.activeElement === button) button.blur();
        var tip = tooltipOf(button);
        if (tip) tip.hide();
      }, 0);
    }, true);
  }

  // 3. Accessible names (axe-core). The theme gives its icon buttons a title,
  // which Bootstrap moves into data-bs-original-title when it makes the
  // tooltip, leaving the button with no name (button-name). The search field
  // is labelled "Search" but shows "Search Ctrl + K", and the colour-mode
  // button, labelled "Color mode", holds icons titled "Light", "Dark" and
  // "System Settings": a spoken name must contain the visible text
  // (label-content-name-mismatch, WCAG 2.5.3). The search field is named by
  // its text, and the mode icons are decoration. (pydata-sphinx-theme 0.17.1.)
  function nameButtons() {
    document.querySelectorAll("button, a.btn, [role=button]").forEach(function (el) {
      if (el.getAttribute("aria-label") || el.textContent.trim()) return;
      var name = el.getAttribute("title") || el.getAttribute("data-bs-original-title");
      if (name) el.setAttribute("aria-label", name);
    });
    document.querySelectorAll(".search-button-field[aria-label]").forEach(function (el) {
      el.removeAttribute("aria-label");
    });
    // A hidden cell's toggle (myst-nb, sphinx-togglebutton 0.4.5) is labelled
    // "Toggle hidden content" but shows "Show code cell source": its visible
    // text is the better name.
    document.querySelectorAll("details > summary[aria-label]").forEach(function (el) {
      if (el.textContent.trim()) el.removeAttribute("aria-label");
    });
    cleanModeIcons();
  }

  function cleanModeIcons() {
    document.querySelectorAll(".theme-switch-button .theme-switch").forEach(function (icon) {
      icon.removeAttribute("title");
      icon.setAttribute("aria-hidden", "true");
      // A FontAwesome script would draw the icon as an <svg> inside the <i> or
      // in its place; the site loads none (_ext/course_site.py, note 5), and
      // this keeps such an <svg> silent if a theme update brings it back.
      var svgs = icon.tagName.toLowerCase() === "svg" ? [icon] : icon.querySelectorAll("svg");
      Array.prototype.forEach.call(svgs, function (svg) {
        svg.setAttribute("aria-hidden", "true");
        svg.removeAttribute("role");
        svg.removeAttribute("aria-labelledby");
        svg.querySelectorAll("title").forEach(function (t) { t.remove(); });
      });
    });
  }

  // 4. Search snippets (Sphinx 7.4's searchtools.js). A snippet is cut from
  // the text of the page's [role=main], which in this theme also holds the
  // article header's buttons (".ipynb .pdf"), the printed title and the page's
  // contents list, so a chapter's snippet read "....pdf Momentum Contents...";
  // and math is TeX source, so the glossary's read "\\(\\kappa\\)". Cut
  // snippets from the article alone, with the math spelled as plain text.
  var TEX_SYMBOLS = {
    alpha: "α", beta: "β", gamma: "γ", delta: "δ", epsilon: "ε", varepsilon: "ε",
    zeta: "ζ", eta: "η", theta: "θ", kappa: "κ", lambda: "λ", mu: "μ", nu: "ν",
    xi: "ξ", pi: "π", rho: "ρ", sigma: "σ", tau: "τ", phi: "φ", varphi: "φ",
    chi: "χ", psi: "ψ", omega: "ω", Gamma: "Γ", Delta: "Δ", Theta: "Θ",
    Lambda: "Λ", Sigma: "Σ", Phi: "Φ", Omega: "Ω", nabla: "∇", partial: "∂",
    sum: "Σ", prod: "∏", infty: "∞", le: "≤", leq: "≤", ge: "≥", geq: "≥",
    ne: "≠", neq: "≠", approx: "≈", sim: "∼", cdot: "·", times: "×", pm: "±",
    to: "→", rightarrow: "→", leftarrow: "←", in: "∈", top: "ᵀ", odot: "⊙",
    sqrt: "√", lvert: "|", rvert: "|", vert: "|", lVert: "‖", rVert: "‖",
    "|": "‖", ell: "ℓ", star: "*", ldots: "…", dots: "…", cdots: "…"
  };

  function texToText(tex) {
    return tex
      .replace(/^\\[(\[]|\\[)\]]$/g, "")
      .replace(/\\mathbb\{R\}/g, "ℝ")
      .replace(/\\(?:left|right|big|Big|bigl|bigr|Bigl|Bigr|displaystyle)\b/g, "")
      .replace(/\\frac\{([^{}]*)\}\{([^{}]*)\}/g, "($1)/($2)")
      .replace(/\\([A-Za-z]+|\|)/g, function (all, name) {
        return Object.prototype.hasOwnProperty.call(TEX_SYMBOLS, name) ? TEX_SYMBOLS[name] : "";
      })
      .replace(/\\[,;:! ]/g, " ")
      .replace(/[{}]/g, "")
      .replace(/\s+/g, " ")
      .trim();
  }

  function readableSnippets() {
    if (typeof Search === "undefined" || !Search.htmlToText || Search.courseSnippets) return;
    var original = Search.htmlToText;
    Search.htmlToText = function (htmlString, anchor) {
      var doc = new DOMParser().parseFromString(htmlString, "text/html");
      var main = doc.querySelector("[role=main]");
      var article = main && main.querySelector("article.bd-article");
      if (article) main.replaceChildren(article);
      doc.querySelectorAll("span.math, div.math").forEach(function (el) {
        el.textContent = " " + texToText(el.textContent) + " ";
      });
      return original(doc.documentElement.outerHTML, anchor).replace(/\s+/g, " ");
    };
    Search.courseSnippets = true;
  }

  ready(function () {
    nameButtons();
    // FontAwesome may draw the mode icons (with their titles) after this runs.
    document.querySelectorAll(".theme-switch-button").forEach(function (button) {
      new MutationObserver(cleanModeIcons).observe(button, { childList: true, subtree: true });
    });
    syncExpanded();
    dismissTooltips();
    readableSnippets();
    window.addEventListener("resize", syncExpanded);
    var sidebar = document.getElementById("pst-primary-sidebar");
    if (sidebar) {
      new MutationObserver(syncExpanded).observe(sidebar, { attributes: true, attributeFilter: ["class"] });
    }
  });
})();
