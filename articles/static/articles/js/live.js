// A live coverage page that keeps itself current: every few seconds it asks the page's
// update endpoint (articles/live/views.py) what changed. New updates wait behind a
// "N new updates" button, so what the reader is reading never moves; an update an editor
// corrected is replaced in place, one they hid or deleted goes at once. Without JavaScript
// the page is a plain page of updates. Polling pauses in a background tab and stops when
// coverage ends.
(function () {
  "use strict";
  const stream = document.querySelector("[data-live-stream]");
  if (!stream || !window.fetch || !stream.dataset.updatesUrl) return;

  const url = stream.dataset.updatesUrl;
  const entriesBox = stream.querySelector("[data-live-entries]");
  const pinnedBox = stream.querySelector("[data-live-pinned]");
  const keyEvents = document.querySelector("[data-live-key-events]");
  const button = stream.querySelector("[data-live-show]");
  let version = stream.dataset.version;
  let seconds = Math.max(1, parseInt(stream.dataset.pollSeconds, 10) || 15);
  let waiting = []; // new updates not shown yet, newest first
  let incomplete = false; // more new updates than the endpoint sent whole: reload to see them
  let timer = null;
  let stopped = stream.dataset.status === "ended";

  function element(html) {
    const template = document.createElement("template");
    template.innerHTML = html.trim();
    return template.content.firstElementChild;
  }

  function shownEntries() {
    const shown = new Map();
    stream.querySelectorAll("[data-entry-id]").forEach(function (el) {
      shown.set(Number(el.dataset.entryId), el);
    });
    return shown;
  }

  function updateButton() {
    const count = waiting.length + (incomplete && !waiting.length ? 1 : 0);
    button.hidden = count === 0;
    button.textContent = count === 1 ? "1 new update" : count + " new updates";
  }

  function apply(data) {
    version = data.version;
    seconds = Math.max(1, data.poll_seconds || seconds);
    const visible = new Set(data.entries.map(function (e) { return e.id; }));
    const shown = shownEntries();
    shown.forEach(function (el, id) {
      if (!visible.has(id)) el.remove(); // hidden or deleted by an editor
    });
    waiting = waiting.filter(function (e) { return visible.has(e.id); });

    const pinned = data.entries.find(function (e) { return e.pinned; });
    const pinnedNow = pinnedBox.firstElementChild;
    if (!pinned) {
      pinnedBox.replaceChildren();
    } else if (pinned.html && (!pinnedNow || Number(pinnedNow.dataset.entryId) !== pinned.id ||
               pinnedNow.dataset.updated !== pinned.updated_at)) {
      const old = entriesBox.querySelector('[data-entry-id="' + pinned.id + '"]');
      if (old) old.remove();
      pinnedBox.replaceChildren(element(pinned.html));
    }

    const current = shownEntries();
    data.entries.forEach(function (entry) {
      if (entry.pinned) return;
      const el = current.get(entry.id);
      if (el && el.parentElement === pinnedBox) {
        el.remove(); // unpinned: it goes back among the others, as new
      } else if (el) {
        if (entry.html && el.dataset.updated !== entry.updated_at) el.replaceWith(element(entry.html));
        return;
      }
      if (waiting.some(function (w) { return w.id === entry.id; })) return;
      if (entry.html) waiting.push(entry);
      else incomplete = true;
    });
    waiting.sort(function (a, b) {
      return data.entries.findIndex(function (e) { return e.id === a.id; }) -
        data.entries.findIndex(function (e) { return e.id === b.id; });
    });
    if (keyEvents && keyEvents.innerHTML.trim() !== data.key_events_html.trim()) {
      keyEvents.innerHTML = data.key_events_html;
    }
    updateButton();
    if (data.status === "ended") stopped = true;
  }

  button.addEventListener("click", function () {
    if (incomplete) {
      window.location.reload();
      return;
    }
    const empty = entriesBox.querySelector("[data-live-empty]");
    if (empty) empty.remove();
    let first = null;
    waiting.slice().reverse().forEach(function (entry) {
      first = element(entry.html);
      entriesBox.prepend(first);
    });
    waiting = [];
    updateButton();
    if (first) {
      first.setAttribute("tabindex", "-1");
      first.focus({ preventScroll: true });
    }
  });

  function schedule() {
    clearTimeout(timer);
    if (!stopped && !document.hidden) timer = setTimeout(poll, seconds * 1000);
  }

  function poll() {
    fetch(url, { cache: "no-cache", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (data && data.version !== version) apply(data);
        else if (data && data.status === "ended") stopped = true;
      })
      .catch(function () { /* offline for a moment: the next poll tries again */ })
      .then(schedule);
  }

  document.addEventListener("visibilitychange", function () {
    if (document.hidden) clearTimeout(timer);
    else if (!stopped) poll();
  });
  schedule();
})();
