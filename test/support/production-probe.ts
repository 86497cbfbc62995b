import assert from "node:assert/strict";
import type { FakeWhatsApp } from "./fake-platform.js";
import { postWhatsApp, waText } from "./payloads.js";

/** What the probe checked, for the report of whoever ran it. */
export type ProbeReport = { checks: string[] };

/** Every `href`/`src` in a page that points at one of Naast's own asset folders. */
function assetLinks(html: string, prefix: string): string[] {
  return [...html.matchAll(/(?:href|src)="([^"]+)"/g)].map((m) => m[1]!).filter((u) => u.startsWith(prefix));
}

async function fetchAsset(url: string, type: RegExp): Promise<string> {
  const res = await fetch(url);
  assert.equal(res.status, 200, `${url} answered ${res.status}`);
  assert.match(res.headers.get("content-type") ?? "", type, `${url} has content-type ${res.headers.get("content-type")}`);
  const body = await res.text();
  assert.ok(body.length > 100, `${url} is nearly empty (${body.length} bytes)`);
  return body;
}

/**
 * Checks a running Naast the way an operator and a resident would meet it: health and readiness,
 * the web chat page and its assets, the panel's stylesheet, /metrics, and one WhatsApp message
 * answered through the fake Graph API. Plain assertions (no test runner), so the same probe serves
 * the production-output test and scripts/image-check.ts against the real image.
 */
export async function probeRunningNaast(opts: {
  url: string;
  whatsapp: FakeWhatsApp;
  /** Dependencies /readyz must report as ok. */
  ready: string[];
  /** A phone number for the WhatsApp round trip (digits only). */
  phone: string;
  /** Headers that let the probe scrape /metrics (a bearer token when it is not on the same host). */
  metricsHeaders?: Record<string, string>;
}): Promise<ProbeReport> {
  const checks: string[] = [];
  const { url } = opts;

  const health = await fetch(`${url}/healthz`);
  assert.equal(health.status, 200, "/healthz");
  assert.deepEqual(await health.json(), { status: "ok" });
  checks.push("/healthz 200");

  const ready = await fetch(`${url}/readyz`);
  const readiness: unknown = await ready.json();
  assert.equal(ready.status, 200, `/readyz answered ${ready.status}: ${JSON.stringify(readiness)}`);
  for (const dependency of opts.ready) assert.match(JSON.stringify(readiness), new RegExp(`"${dependency}":"ok"`), `/readyz: ${dependency}`);
  checks.push(`/readyz 200 (${opts.ready.join(", ")} ok)`);

  const chat = await fetch(`${url}/chat`);
  assert.equal(chat.status, 200, "/chat");
  assert.match(chat.headers.get("content-type") ?? "", /^text\/html/);
  const chatHtml = await chat.text();
  const chatAssets = assetLinks(chatHtml, "/chat/assets/");
  assert.ok(chatAssets.some((a) => a.endsWith(".css")) && chatAssets.some((a) => a.endsWith(".js")), `/chat links its stylesheet and script: ${chatAssets.join(", ")}`);
  for (const asset of chatAssets) await fetchAsset(`${url}${asset}`, asset.endsWith(".css") ? /^text\/css/ : /javascript/);
  checks.push(`/chat 200 with ${chatAssets.join(", ")}`);

  const login = await fetch(`${url}/admin/login`);
  assert.equal(login.status, 200, "/admin/login");
  const panelCss = assetLinks(await login.text(), "/admin/assets/").filter((a) => a.endsWith(".css"));
  assert.ok(panelCss.length > 0, "the panel's login page links a stylesheet under /admin/assets/");
  for (const css of panelCss) assert.match(await fetchAsset(`${url}${css}`, /^text\/css/), /\{[^}]*\}/, `${css} is a stylesheet`);
  checks.push(`panel CSS ${panelCss.join(", ")}`);

  const before = opts.whatsapp.messages().length;
  const delivery = await postWhatsApp(url, waText(opts.phone, `wamid.probe-${Date.now()}`, "Hallo"));
  assert.equal(delivery.status, 200, `WhatsApp webhook answered ${delivery.status}`);
  await opts.whatsapp.waitFor((r) => r.slice(before).some((x) => x.path.endsWith("/messages") && x.body.to === opts.phone), 30_000);
  const reply = opts.whatsapp.messages().slice(before).find((x) => x.body.to === opts.phone)!;
  assert.equal(reply.headers.authorization, "Bearer wa-token", "the reply is sent with the configured token");
  checks.push(`WhatsApp round trip: webhook 200, reply (${String(reply.body.type)}) received by the fake Graph API`);

  // The reply is counted once the platform's answer is back, a moment after the fake saw the request.
  let text = "";
  for (const deadline = Date.now() + 10_000; ; ) {
    const metrics = await fetch(`${url}/metrics`, { headers: opts.metricsHeaders ?? {} });
    assert.equal(metrics.status, 200, "/metrics");
    text = await metrics.text();
    if (/naast_sends_total\{channel="whatsapp",result="sent",reason="ok"\} [1-9]/.test(text) || Date.now() > deadline) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  assert.match(text, /naast_webhook_requests_total\{channel="whatsapp",outcome="accepted"\} [1-9]/, "/metrics counts the WhatsApp delivery");
  assert.match(text, /naast_sends_total\{channel="whatsapp",result="sent",reason="ok"\} [1-9]/, "/metrics counts the reply");
  checks.push("/metrics 200, counting the delivery and the reply");
  return { checks };
}
