// ipywidgets draws a slider's caption as a <label> that is not tied to the
// keyboard-focusable handle, and announces the handle's value as a bare index.
// Name each handle after its caption and give it the value the reader sees
// (the readout), so a screen reader says "learning rate η, 0.2".
// The Play widget's buttons (play, pause, stop, repeat) show only an icon and
// have no name at all (axe: button-name, critical): name each after its icon.
(function () {
  "use strict";
  var pending = false;
  var PLAY_BUTTONS = { "fa-play": "Play", "fa-pause": "Pause", "fa-stop": "Stop", "fa-retweet": "Repeat" };

  function namePlayButtons() {
    document.querySelectorAll(".widget-play button").forEach(function (button) {
      // The play button turns into pause while playing: follow its icon.
      var icon = button.querySelector("i");
      if (!icon) return;
      Object.keys(PLAY_BUTTONS).forEach(function (cls) {
        var name = PLAY_BUTTONS[cls];
        if (icon.classList.contains(cls) && button.getAttribute("aria-label") !== name) {
          button.setAttribute("aria-label", name);
          button.setAttribute("title", name);
        }
      });
    });
  }

  function labelSliders() {
    pending = false;
    namePlayButtons();
    document.querySelectorAll(".widget-slider").forEach(function (slider) {
      var handle = slider.querySelector("[role=slider]");
      if (!handle) return;
      var caption = slider.querySelector(".widget-label");
      var readout = slider.querySelector(".widget-readout");
      var name = caption ? caption.textContent.trim() : "";
      var value = readout ? readout.textContent.trim() : "";
      if (name && handle.getAttribute("aria-label") !== name) handle.setAttribute("aria-label", name);
      if (value && handle.getAttribute("aria-valuetext") !== value) handle.setAttribute("aria-valuetext", value);
    });
  }

  new MutationObserver(function () {
    if (!pending) {
      pending = true;
      window.requestAnimationFrame(labelSliders);
    }
  }).observe(document.documentElement, { subtree: true, childList: true, characterData: true });
})();
