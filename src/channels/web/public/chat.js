// Naast web chat: anonymous, kept only in this tab (sessionStorage), with a quick exit.
(() => {
  "use strict";
  const NEUTRAL_SITE = "https://www.buienradar.nl/";
  const log = document.getElementById("log");
  const form = document.getElementById("form");
  const input = document.getElementById("text");
  let token = sessionStorage.getItem("naast.token");
  let cursor = sessionStorage.getItem("naast.cursor") || "0";
  let stopped = false;

  // The page's own words in the resident's language: the language of the messages it receives, and before
  // the first one the browser's (when Naast speaks it). Until the texts arrive, Dutch and English stand.
  let texts = null;
  let shown = null;
  let wanted = sessionStorage.getItem("naast.lang") || (navigator.language || "").slice(0, 2).toLowerCase();
  const say = (key, fallback) => (texts && shown && texts[shown] && texts[shown][key]) || fallback;
  function useLanguage(language) {
    wanted = language;
    const t = texts && texts[language];
    if (!t || language === shown) return;
    shown = language;
    const exit = document.getElementById("exit");
    exit.textContent = t.exit;
    exit.setAttribute("aria-label", t.exit_label);
    document.getElementById("exit-menu").setAttribute("aria-label", t.exit_menu);
    document.getElementById("leave").textContent = t.leave;
    document.getElementById("erase-leave").textContent = t.erase_leave;
    document.getElementById("exit-help").textContent = t.exit_help;
    document.getElementById("text-label").textContent = t.message_label;
    document.getElementById("text").placeholder = t.placeholder;
    document.getElementById("send").setAttribute("aria-label", t.send);
    document.getElementById("sos").setAttribute("aria-label", t.sos_label);
    document.documentElement.lang = language;
    document.documentElement.dir = t.rtl ? "rtl" : "ltr";
  }
  fetch("/chat/api/texts")
    .then((r) => (r.ok ? r.json() : null))
    .then((t) => { texts = t; if (wanted) useLanguage(wanted); })
    .catch(() => {});

  function quickExit() {
    stopped = true;
    try { sessionStorage.clear(); } catch (_) {}
    log.textContent = "";
    // Replace this page in history, so "back" does not return here.
    location.replace(NEUTRAL_SITE);
  }
  // ✕ offers two ways out: leave now, or erase everything first (the token is the only way back to it).
  const exitButton = document.getElementById("exit");
  const exitMenu = document.getElementById("exit-menu");
  exitButton.addEventListener("click", () => {
    const open = exitMenu.hidden;
    exitMenu.hidden = !open;
    exitButton.setAttribute("aria-expanded", String(open));
    if (open) document.getElementById("leave").focus();
  });
  document.getElementById("leave").addEventListener("click", quickExit);
  document.getElementById("erase-leave").addEventListener("click", () => {
    if (token) {
      // keepalive: the request still goes out while the page is replaced.
      try { fetch("/chat/api/erase", { method: "POST", keepalive: true, headers: { authorization: `Bearer ${token}` } }); } catch (_) {}
    }
    quickExit();
  });
  document.addEventListener("keydown", (e) => { if (e.key === "Escape") quickExit(); });

  const uuid = () => (crypto.randomUUID ? crypto.randomUUID() : "10000000-1000-4000-8000-100000000000".replace(/[018]/g, (c) =>
    (c ^ (crypto.getRandomValues(new Uint8Array(1))[0] & (15 >> (c / 4)))).toString(16)));

  function add(el) { log.appendChild(el); log.scrollTop = log.scrollHeight; }
  function bubble(text, who, rtl) {
    const p = document.createElement("p");
    p.className = `msg ${who}`;
    p.textContent = text;
    if (rtl) p.dir = "rtl";
    add(p);
  }
  function choices(list, safety, rtl) {
    const box = document.createElement("div");
    box.className = "choices";
    box.setAttribute("role", "group");
    if (rtl) box.dir = "rtl";
    const all = safety ? [...list, { ...safety, safety: true }] : list;
    for (const c of all) {
      const b = document.createElement("button");
      b.type = "button";
      b.textContent = c.label;
      if (c.safety) b.className = "safety";
      b.addEventListener("click", () => {
        for (const x of box.querySelectorAll("button")) x.disabled = true;
        bubble(c.label, "me", rtl);
        send({ choice: c.payload });
      });
      box.appendChild(b);
    }
    add(box);
    box.querySelector("button")?.focus({ preventScroll: true });
  }

  // One session per tab, even when the first message and the first poll ask at the same time.
  let pending = null;
  function session() {
    if (token) return Promise.resolve(token);
    pending ??= fetch("/chat/api/sessions", { method: "POST" })
      .then((r) => r.json())
      .then((d) => {
        token = d.token;
        sessionStorage.setItem("naast.token", token);
        return token;
      })
      .finally(() => { pending = null; });
    return pending;
  }
  // One message at a time, in the order the resident sent them: a tap and the text typed right after it went as two
  // requests side by side, and on a busy server the text could be stored first and read at the wrong step.
  let sending = Promise.resolve();
  function send(body) {
    const next = sending.then(() => post(body));
    sending = next.catch(() => undefined);
    return next;
  }
  async function post(body, retried = false) {
    const t = await session();
    const message = JSON.stringify({ id: uuid(), ...body });
    // A request that hangs must not hold the messages after it for long.
    const signal = typeof AbortSignal.timeout === "function" ? AbortSignal.timeout(30_000) : undefined;
    const r = await fetch("/chat/api/messages", { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${t}` }, body: message, signal });
    // A token the server no longer knows (a new key): start a fresh session once and send again.
    if (r.status === 401 && !retried) { token = null; sessionStorage.removeItem("naast.token"); return post(body, true); }
    if (r.status === 503) {
      // Naast is offline for a moment: show its note (in the resident's language, 112 in it).
      const notice = await r.json().then((d) => d.notice, () => null);
      if (notice && typeof notice.text === "string") { bubble(notice.text, "bot", notice.rtl); return; }
    }
    if (r.status === 429) bubble(say("slow_down", "⏳ Even rustig aan: probeer het zo opnieuw. / Slow down a little: try again in a moment."), "bot");
    else if (!r.ok) bubble(say("error", "⚠️ Er ging iets mis. Probeer het opnieuw. / Something went wrong. Please try again."), "bot");
  }
  async function poll() {
    while (!stopped) {
      try {
        const t = await session();
        const r = await fetch(`/chat/api/messages?after=${encodeURIComponent(cursor)}&wait=25`, { headers: { authorization: `Bearer ${t}` } });
        if (r.status === 401) { sessionStorage.clear(); token = null; continue; }
        // Too many requests, or the server is restarting: wait as asked, then poll again.
        if (r.status === 429 || r.status === 503) { await new Promise((res) => setTimeout(res, 1000 * Math.min(30, Number(r.headers.get("retry-after")) || 2))); continue; }
        const data = await r.json();
        for (const m of data.messages) {
          document.documentElement.lang = m.language;
          document.documentElement.dir = m.rtl ? "rtl" : "ltr";
          sessionStorage.setItem("naast.lang", m.language);
          useLanguage(m.language);
          bubble(m.text, "bot", m.rtl);
          if (m.choices.length > 0 || m.safety) choices(m.choices, m.safety, m.rtl);
        }
        cursor = data.cursor;
        sessionStorage.setItem("naast.cursor", cursor);
      } catch (_) {
        await new Promise((r) => setTimeout(r, 2000));
      }
    }
  }

  document.getElementById("sos").addEventListener("click", () => { bubble("🆘 SOS", "me"); send({ choice: "g|emergency" }); });
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    input.value = "";
    bubble(text, "me");
    send({ text });
  });

  const fresh = !sessionStorage.getItem("naast.started");
  poll();
  if (fresh) { sessionStorage.setItem("naast.started", "1"); send({ start: true }); }
})();
