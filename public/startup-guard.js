// Never a white page: until the app says it has started (window.zabvizStarted), any error while
// loading (a module that throws, a script that fails to load, a rejected promise) replaces the
// empty page with a message in words and what to do. A plain script, loaded before the app's
// modules, so that it works when they do not. Its words come from the catalogue
// (src/i18n/startup.ts), written into index.html as JSON at build time.
(function () {
  'use strict';
  var shown = false;

  function texts() {
    var all = {};
    try {
      all = JSON.parse(document.getElementById('startup-text').textContent || '{}');
    } catch {
      all = {};
    }
    var lang = 'en';
    try {
      var q = new URLSearchParams(location.search).get('lang');
      var saved = localStorage.getItem('zab-viz.locale');
      lang = q === 'zh' || q === 'en' ? q : saved === 'zh' || saved === 'en' ? saved : navigator.language.toLowerCase().indexOf('zh') === 0 ? 'zh' : 'en';
    } catch {
      lang = 'en';
    }
    return all[lang] || all.en || {};
  }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    // text only, never HTML: the detail is whatever the browser reported
    if (text) e.textContent = text;
    return e;
  }

  function show(detail) {
    if (shown || window.zabvizStarted) return;
    shown = true;
    var t = texts();
    var box = el('div', 'startup-failure');
    box.setAttribute('role', 'alert');
    box.setAttribute('data-testid', 'startup-failure');
    box.appendChild(el('h1', '', t['startup.title'] || 'zab-viz could not start'));
    box.appendChild(el('p', '', t['startup.what'] || 'The page failed while loading. The browser reported:'));
    box.appendChild(el('pre', '', String(detail).slice(0, 2000)));
    box.appendChild(el('p', '', t['startup.todo'] || 'Reload the page.'));
    var reload = el('button', '', t['startup.reload'] || 'Reload');
    reload.type = 'button';
    reload.addEventListener('click', function () {
      location.reload();
    });
    box.appendChild(reload);
    var root = document.getElementById('root') || document.body;
    while (root.firstChild) root.removeChild(root.firstChild);
    root.appendChild(box);
    reload.focus();
  }

  // capture: a <script> that fails to load fires a non-bubbling error on the element itself
  window.addEventListener(
    'error',
    function (ev) {
      var target = ev.target;
      if (target && target !== window && target.tagName === 'SCRIPT') show('could not load ' + (target.src || 'a script'));
      else if (target === window || !target || !target.tagName) show(ev.error && ev.error.stack ? ev.error.stack : ev.message || 'unknown error');
    },
    true,
  );
  window.addEventListener('unhandledrejection', function (ev) {
    var r = ev.reason;
    show(r && r.stack ? r.stack : String(r));
  });
})();
