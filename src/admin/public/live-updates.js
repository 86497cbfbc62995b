// Keeps a panel page current without reloading it. An element with data-live-url is asked every few
// seconds (less often while the tab is hidden) for its parts; the server answers 204 when nothing changed,
// else JSON with each part's server-rendered (escaped) HTML and the navigation's counts. A part marked
// data-live-append only grows: new items (by data-id) are added at the end, so a screen reader announces
// just those and nothing the professional is reading moves. A form marked data-live-form is sent without
// leaving the page. Without script, the page works with ordinary links and redirect-after-post.
(() => {
  const root = document.querySelector("[data-live-url]");
  if (!root) return;
  const url = root.getAttribute("data-live-url");
  let version = root.getAttribute("data-live-version") || "";
  let timer = 0;
  let stopped = false;

  const parse = (markup) => {
    const box = document.createElement("template");
    box.innerHTML = markup;
    return box.content;
  };

  const apply = (name, markup) => {
    const part = root.querySelector(`[data-live-part="${name}"]`);
    if (!part) return;
    if (part.getAttribute("data-live-append") === "true") {
      const incoming = parse(markup);
      const have = new Set(Array.from(part.children).map((c) => c.getAttribute("data-id")));
      for (const item of Array.from(incoming.children)) {
        const id = item.getAttribute("data-id");
        if (id === "empty") continue;
        if (!have.has(id)) {
          part.querySelector('[data-id="empty"]')?.remove();
          part.appendChild(item);
        } else {
          // A message that was waiting may have been delivered since: refresh it in place.
          const old = part.querySelector(`[data-id="${CSS.escape(id)}"]`);
          if (old && old.innerHTML !== item.innerHTML) old.innerHTML = item.innerHTML;
        }
      }
      return;
    }
    // Not while someone is using it (a half-chosen outcome stays chosen).
    if (part.contains(document.activeElement) && document.activeElement !== document.body) return;
    if (part.innerHTML !== markup) part.innerHTML = markup;
  };

  const badges = (counts) => {
    if (!counts) return;
    for (const [key, n] of Object.entries(counts)) {
      const link = document.querySelector(`nav a[href="${key === "notices" ? "/admin/notices" : "/admin/handoffs"}"]`);
      if (!link) continue;
      let badge = link.parentElement.querySelector(`[data-badge="${key}"]`);
      if (!n) {
        badge?.remove();
        continue;
      }
      if (!badge) {
        badge = document.createElement("span");
        badge.className = "badge";
        badge.setAttribute("data-badge", key);
        badge.innerHTML = '<span aria-hidden="true"></span><span class="visually-hidden"></span>';
        link.after(" ", badge);
      }
      badge.firstElementChild.textContent = String(n);
      const label = document.documentElement.lang === "en" ? (key === "notices" ? `${n} unread` : `${n} unread messages`) : key === "notices" ? `${n} ongelezen` : `${n} ongelezen berichten`;
      badge.lastElementChild.textContent = label;
    }
  };

  const schedule = () => {
    clearTimeout(timer);
    if (!stopped) timer = setTimeout(tick, document.visibilityState === "visible" ? 3000 : 15000);
  };

  const tick = async () => {
    try {
      const res = await fetch(`${url}?v=${encodeURIComponent(version)}`, { credentials: "same-origin", headers: { accept: "application/json" } });
      if (res.status === 401 || res.status === 403 || res.status === 404 || res.redirected) {
        // Signed out, or the case is no longer this person's: the full page says why.
        stopped = true;
        location.reload();
        return;
      }
      if (res.status === 200) {
        const data = await res.json();
        version = data.version;
        for (const [name, markup] of Object.entries(data.parts)) apply(name, markup);
        badges(data.badges);
      }
    } catch {
      // A dropped connection: try again on the next tick.
    }
    schedule();
  };

  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") {
      clearTimeout(timer);
      void tick();
    }
  });

  for (const form of document.querySelectorAll("form[data-live-form]")) {
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const button = form.querySelector("button[type=submit]");
      const notice = document.getElementById(form.getAttribute("data-live-notice") || "");
      if (button) button.disabled = true;
      try {
        const res = await fetch(form.action, {
          method: "POST",
          credentials: "same-origin",
          headers: { "content-type": "application/x-www-form-urlencoded", "x-naast-live": "1", accept: "application/json" },
          body: new URLSearchParams(new FormData(form)),
        });
        const data = res.headers.get("content-type")?.includes("json") ? await res.json() : undefined;
        if (!data) {
          // Refused before it was handled (signed out, an old form token): the server says why as a page.
          form.submit();
          return;
        }
        if (notice) {
          notice.hidden = false;
          notice.textContent = data.notice;
        }
        if (data.ok) form.reset();
        clearTimeout(timer);
        await tick();
      } catch {
        // The connection dropped: the message may or may not have arrived, so it is not sent again
        // by itself; the conversation shows within seconds whether it did.
        if (notice) {
          notice.hidden = false;
          notice.textContent = form.getAttribute("data-live-failed") || "";
        }
      } finally {
        if (button) button.disabled = false;
      }
    });
  }

  schedule();
})();
