// pipeform console: keeps pages live. Pages read fine without it.
(function () {
  "use strict";
  var state = document.getElementById("live-state");

  // A change on the server: fetch this page again and swap the parts
  // marked data-live, except one holding a form field being typed in.
  // One fetch at a time: responses of overlapping fetches can arrive out
  // of order, and an older page applied last would put back a state the
  // run has left (an approval offered again after it was given). A change
  // during a fetch fetches once more after it.
  var fetching = false, stale = false;
  function refresh() {
    if (fetching) { stale = true; return; }
    fetching = true;
    stale = false;
    document.body.dataset.fetches = String(Number(document.body.dataset.fetches || 0) + 1);
    // A fetch that never answers must not hold back every later one.
    var ctl = window.AbortController ? new AbortController() : null;
    var timer = ctl ? setTimeout(function () { ctl.abort(); }, 10000) : 0;
    fetch(location.href, { credentials: "same-origin", cache: "no-store", signal: ctl ? ctl.signal : undefined })
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (html) {
        if (!html) return;
        var doc = new DOMParser().parseFromString(html, "text/html");
        document.querySelectorAll("[data-live][id]").forEach(function (el) {
          var fresh = doc.getElementById(el.id);
          if (!fresh || busy(el)) return;
          el.replaceWith(document.importNode(fresh, true));
        });
        if (doc.body && doc.body.dataset.version) document.body.dataset.version = doc.body.dataset.version;
      })
      .catch(function () {})
      .then(function () {
        clearTimeout(timer);
        fetching = false;
        // How many refreshes ended: what a test shows when a page is stale.
        document.body.dataset.refreshed = String(Number(document.body.dataset.refreshed || 0) + 1);
        if (stale) refresh();
      });
  }

  function busy(el) {
    var active = document.activeElement;
    if (active && el.contains(active) && active.tagName === "INPUT") return true;
    var typed = false;
    el.querySelectorAll("input[type=text], input:not([type])").forEach(function (i) {
      if (i.value !== i.defaultValue) typed = true;
    });
    return typed;
  }

  var src = document.body.getAttribute("data-live");
  if (src && window.EventSource) {
    var es = new EventSource(src);
    // The stream says first what is current: a page rendered before a
    // change it then missed fetches itself again.
    // What the stream said and when a refresh began, kept on the body
    // for a test to show when a page is stale.
    var seen = function (what) { document.body.dataset.stream = (document.body.dataset.stream || "") + what + "@" + Date.now() % 100000 + " "; };
    es.addEventListener("hello", function (e) {
      seen("hello");
      if (state) state.hidden = false;
      if (e.data !== document.body.dataset.version) refresh();
    });
    es.addEventListener("change", function () { seen("change"); refresh(); });
    es.onerror = function () { if (state) state.hidden = true; };
  }

  // A running action's log: append what it writes.
  var log = document.getElementById("log");
  if (log && log.dataset.tail) {
    var offset = Number(log.dataset.offset || 0);
    var tick = function () {
      fetch(log.dataset.tail + "?offset=" + offset, { credentials: "same-origin", cache: "no-store" })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (t) {
          if (!t) return;
          if (t.reset) log.textContent = "";
          log.textContent += t.text;
          offset = t.offset;
          var st = document.getElementById("log-status");
          if (st) { st.textContent = t.status; st.className = "status st-" + t.status; }
          if (t.running) setTimeout(tick, 500);
          else log.dataset.done = "true";
        })
        .catch(function () { setTimeout(tick, 2000); });
    };
    setTimeout(tick, 500);
  }
})();
