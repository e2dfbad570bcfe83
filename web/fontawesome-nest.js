// The theme's FontAwesome script replaces every <i class="fa ..."> with an <svg>.
// ipywidgets' Play button later looks up its <i> icon to switch between play and
// pause, finds none and throws. In "nest" mode FontAwesome puts the <svg> inside
// the <i> instead, which keeps both working. This runs before the theme's
// deferred FontAwesome script reads its configuration.
window.FontAwesomeConfig = Object.assign({}, window.FontAwesomeConfig, { autoReplaceSvg: "nest" });
