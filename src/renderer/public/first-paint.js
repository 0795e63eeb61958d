// The page's first script when `serve` prerendered the first screen, carried in the page itself (allowed by its hash): it runs as the page is parsed,
// applies the theme the user chose before anything paints, shows the prerendered screen
// (a <template>) when the address opens that page with no filter, and starts the app (its module
// is fetched from then on) after the browser has painted. The app then renders the same screen over it.
(function () {
  var script = document.currentScript;
  try {
    var theme = localStorage.getItem('hookbench.theme');
    var dark = theme === 'dark' || (theme !== 'light' && matchMedia('(prefers-color-scheme: dark)').matches);
    document.documentElement.dataset.theme = dark ? 'dark' : 'light';
  } catch (e) {
    // Storage refused (a private window's policy): the app applies the theme when it starts.
  }
  var template = document.getElementById('hookbench-first-paint');
  var root = document.getElementById('root');
  var shown = false;
  if (template && root && !root.firstChild && location.hash.replace(/^#/, '').replace(/\?$/, '') === template.getAttribute('data-page')) {
    root.appendChild(template.content);
    shown = true;
  }
  function startApp() {
    var app = document.createElement('script');
    app.type = 'module';
    app.crossOrigin = '';
    app.src = script.getAttribute('data-app');
    document.head.appendChild(app);
  }
  // After a frame has been painted: a task queued from the next animation frame.
  if (shown) requestAnimationFrame(function () { setTimeout(startApp, 0); });
  else startApp();
})();
