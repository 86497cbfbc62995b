/**
 * Load generator for bench/webhook-ingest.ts, run in its own process (forked with an IPC channel)
 * so that it never shares an event loop with the server it measures.
 *
 * Closed loop: `concurrency` keep-alive connections, each sending one signed WhatsApp notification,
 * waiting for the answer, and sending the next. Every request carries a new message id and a new
 * sender phone; the body has the same length every time (padded counters).
 */
import http from "node:http";
import { signWhatsAppBody } from "../src/channels/whatsapp/whatsapp-signature.js";
import { waText } from "../test/support/payloads.js";
import { summarize, type LatencySummary } from "./support.js";

export type LoadRequest = {
  type: "run";
  url: string;
  path: string;
  concurrency: number;
  warmupMs: number;
  durationMs: number;
  /** Distinguishes ids between runs (each run may share a database with none, but be safe). */
  tag: string;
  appSecret: string;
};

export type LoadResult = {
  type: "result";
  /** Requests answered 200 within the measured window. */
  requests: number;
  seconds: number;
  rps: number;
  latency: LatencySummary;
  bodyBytes: number;
  /** Every request sent, warm-up included, and how many got a 200 (to check what was stored). */
  sentTotal: number;
  ok200Total: number;
  statuses: Record<string, number>;
  errors: number;
  firstError?: string;
  cpuSeconds: number;
};

const TEXT = "Hallo, ik heb een vraag over mijn energierekening";

function bodyFor(tag: string, i: number, appSecret: string): { raw: Buffer; signature: string } {
  const n = String(i).padStart(9, "0");
  const from = `31${n}`; // 11 digits, a distinct sender per request
  const id = `wamid.${tag}${n}`;
  const raw = Buffer.from(JSON.stringify(waText(from, id, TEXT)));
  return { raw, signature: signWhatsAppBody(raw, appSecret) };
}

function post(agent: http.Agent, u: URL, path: string, raw: Buffer, signature: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: u.hostname,
        port: u.port,
        path,
        method: "POST",
        agent,
        headers: { "content-type": "application/json", "content-length": raw.length, "x-hub-signature-256": signature },
      },
      (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(raw);
  });
}

async function run(r: LoadRequest): Promise<LoadResult> {
  const u = new URL(r.url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: r.concurrency, maxFreeSockets: r.concurrency });
  const cpu0 = process.cpuUsage();
  let counter = 0;
  const start = performance.now();
  const measureFrom = start + r.warmupMs;
  const measureTo = measureFrom + r.durationMs;
  const latencies: number[] = [];
  let inWindow = 0;
  let sentTotal = 0;
  let ok200Total = 0;
  let errors = 0;
  let firstError: string | undefined;
  const statuses: Record<string, number> = {};
  const bodyBytes = bodyFor(r.tag, 0, r.appSecret).raw.length;

  async function connection(): Promise<void> {
    for (;;) {
      const t0 = performance.now();
      if (t0 >= measureTo) return;
      const { raw, signature } = bodyFor(r.tag, counter++, r.appSecret);
      sentTotal += 1;
      let status = 0;
      try {
        status = await post(agent, u, r.path, raw, signature);
      } catch (err) {
        errors += 1;
        firstError ??= err instanceof Error ? err.message : String(err);
        continue;
      }
      const t1 = performance.now();
      statuses[status] = (statuses[status] ?? 0) + 1;
      if (status === 200) ok200Total += 1;
      if (t0 >= measureFrom && t1 <= measureTo) {
        latencies.push(t1 - t0);
        if (status === 200) inWindow += 1;
      }
    }
  }

  await Promise.all(Array.from({ length: r.concurrency }, () => connection()));
  agent.destroy();
  const cpu = process.cpuUsage(cpu0);
  // Requests that straddle the window edges are left out of both the count and the latencies.
  const seconds = r.durationMs / 1000;
  return {
    type: "result",
    requests: inWindow,
    seconds,
    rps: inWindow / seconds,
    latency: summarize(latencies),
    bodyBytes,
    sentTotal,
    ok200Total,
    statuses,
    errors,
    ...(firstError ? { firstError } : {}),
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
  };
}

process.on("message", (m: unknown) => {
  const msg = m as { type?: string };
  if (msg.type === "exit") process.exit(0);
  if (msg.type === "run") {
    run(msg as LoadRequest).then(
      (res) => process.send!(res),
      (err: unknown) => process.send!({ type: "error", message: err instanceof Error ? err.stack : String(err) }),
    );
  }
});
process.send!({ type: "ready" });
