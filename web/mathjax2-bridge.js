// The ipywidgets HTML manager typesets widget labels with MathJax 2's API
// (MathJax.Hub.Queue), but the site runs MathJax 3, which has no Hub: every
// widget label would throw "Cannot read properties of undefined (reading
// 'Queue')". MathJax 3 replaces the global object when it loads, so watch the
// assignment and give the real MathJax object a one-call Hub that forwards to
// MathJax 3's typesetPromise.
(function () {
  "use strict";
  var current = window.MathJax;

  function bridge(mj) {
    if (mj && typeof mj === "object" && mj.version && !mj.Hub) {
      mj.Hub = {
        Queue: function (job) {
          var element = Array.isArray(job) ? job[2] : null;
          if (!element || !mj.startup) return;
          mj.startup.promise
            .then(function () { return mj.typesetPromise([element]); })
            .catch(function (err) { console.warn("MathJax typeset failed", err); });
        }
      };
    }
    return mj;
  }

  Object.defineProperty(window, "MathJax", {
    configurable: true,
    enumerable: true,
    get: function () { return current; },
    set: function (value) { current = bridge(value); }
  });
  bridge(current);
})();
