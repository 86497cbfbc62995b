// Keeps a broadcast's progress current: fetches the server-rendered fragment once a second and swaps
// it in, until the broadcast is done or cancelled. Without script the page refreshes itself instead.
(() => {
  const area = () => document.getElementById("progress-area");
  const url = `${location.pathname.replace(/\/$/, "")}/progress`;
  const tick = async () => {
    try {
      const res = await fetch(url, { credentials: "same-origin", headers: { accept: "text/html" } });
      if (res.ok) {
        const box = document.createElement("div");
        box.innerHTML = await res.text();
        const next = box.firstElementChild;
        const current = area();
        if (next && current) {
          // Keep the live region node, so screen readers announce only real status changes.
          const status = current.querySelector("#bc-status");
          const nextStatus = next.querySelector("#bc-status");
          if (status && nextStatus && status.textContent !== nextStatus.textContent) status.textContent = nextStatus.textContent;
          if (nextStatus) nextStatus.replaceWith(status ?? nextStatus);
          current.replaceWith(next);
          const state = next.getAttribute("data-status");
          if (state !== "scheduled" && state !== "sending") {
            document.getElementById("cancel-form")?.remove();
            return;
          }
        }
      }
    } catch {
      // A dropped connection: try again on the next tick.
    }
    setTimeout(tick, 1000);
  };
  setTimeout(tick, 1000);
})();
