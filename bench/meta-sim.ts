/**
 * "Meta" for bench/end-to-end.ts, in its own process: it posts signed WhatsApp webhooks to Naast
 * (keep-alive connections, bounded concurrency) and hosts the FakeWhatsApp Graph API that Naast's
 * send worker calls. Both ends live here, so the time from a POST to the reply it caused is read on
 * one clock, and none of this work shares Naast's event loop.
 *
 * Protocol (IPC): → ready {fakeUrl}; ← warmup → warmed {k1, k2}; ← run → result (the burst);
 * ← steady → steady-result (arrivals at a fixed rate; may be sent several times); ← exit.
 */
import http from "node:http";
import { signWhatsAppBody } from "../src/channels/whatsapp/whatsapp-signature.js";
import { FakeWhatsApp, type Canned, type Recorded } from "../test/support/fake-platform.js";
import { waText } from "../test/support/payloads.js";
import { summarize, type LatencySummary } from "./support.js";

export type WarmupRequest = { type: "warmup"; naastUrl: string; residents: number; concurrency: number; appSecret: string };
export type WarmedReply = { type: "warmed"; k1: number; k2: number; seconds: number };
export type RunRequest = { type: "run"; residents: number; concurrency: number; timeoutMs: number };
export type RunResult = {
  type: "result";
  residents: number;
  /** Inbound messages that got all their replies. */
  messagesDone: number;
  replies: number;
  /** First POST to the last expected reply. */
  seconds: number;
  messagesPerSecond: number;
  repliesPerSecond: number;
  /** POST sent → last reply of that message received at the fake. */
  latency: LatencySummary;
  round1: LatencySummary;
  round2: LatencySummary;
  /** Webhook POST round trip alone. */
  webhook: LatencySummary;
  non200: number;
  postErrors: number;
  unexpectedReplies: number;
  timedOut: boolean;
  /** Replies received per second, second by second. */
  timeline: number[];
  cpuSeconds: number;
};

export type SteadyRequest = {
  type: "steady";
  /** Inbound messages per second, arriving at evenly spaced times whatever the answers do (an open loop). */
  rate: number;
  seconds: number;
  concurrency: number;
  /** Arrivals stop early once the oldest unanswered message is this old: the pipeline fell behind. */
  fallBehindS: number;
  /** After the last arrival, how long every message has to be answered for the rate to count as kept up. */
  graceS: number;
};
export type SteadyResult = {
  type: "steady-result";
  rate: number;
  /** Seconds the arrivals ran (shorter than asked when the pipeline fell behind). */
  seconds: number;
  sent: number;
  answered: number;
  /** Messages answered per second of arrivals. */
  answeredPerSecond: number;
  /**
   * Arrival time (when the POST was due, so a slow webhook counts) → last reply of that message at the
   * fake. Messages still unanswered at the end count with their age then: a lower bound.
   */
  latency: LatencySummary;
  unanswered: number;
  /** Set when arrivals were stopped because the oldest unanswered message was older than fallBehindS. */
  fellBehindAfterS?: number;
  /** Every message answered within graceS of the last arrival, and arrivals never stopped early. */
  keptUp: boolean;
  webhook: LatencySummary;
  non200: number;
  postErrors: number;
  unexpectedReplies: number;
  cpuSeconds: number;
};

type Resident = { phone: string; replies: number; sent: number[]; replyAt: number[] };

class CountingWhatsApp extends FakeWhatsApp {
  onSend?: (to: string) => void;
  protected override answer(req: Recorded): Canned {
    const canned = super.answer(req);
    if (req.path.endsWith("/messages")) this.onSend?.(String(req.body.to));
    return canned;
  }
}

/*
 * FakeWhatsApp sets keepAliveTimeout to 1000 ms, so it answers "Keep-Alive: timeout=1"; fetch in
 * Node 20 (undici) subtracts its 1 s safety margin, gets 0, and closes the connection after every
 * send, so each reply would pay a TCP connect. The Graph API keeps connections open; so does this
 * fake here (BENCH_FAKE_KEEPALIVE_MS=1000 restores the test fake's behaviour). Only this process.
 */
const keepAliveMs = Number(process.env.BENCH_FAKE_KEEPALIVE_MS) || 65_000;
Object.defineProperty(http.Server.prototype, "keepAliveTimeout", {
  configurable: true,
  get: () => keepAliveMs,
  set: () => undefined,
});

const fake = await new CountingWhatsApp().start();
let naast: URL | undefined;
let appSecret = "";
let agent = new http.Agent({ keepAlive: true });
let msgCounter = 0;
const webhookLatencies: number[] = [];
let non200 = 0;
let postErrors = 0;

// ---------------------------------------------------------------------------------------------
// Posting webhooks with bounded concurrency

const waiting: (() => void)[] = [];
let inflight = 0;
let limit = 64;

function post(phone: string, text: string, onSent: (at: number) => void): void {
  const go = () => {
    inflight += 1;
    const id = `wamid.E2E${String(msgCounter++).padStart(10, "0")}`;
    const raw = Buffer.from(JSON.stringify(waText(phone, id, text)));
    const signature = signWhatsAppBody(raw, appSecret);
    const t0 = performance.now();
    onSent(t0);
    const req = http.request(
      {
        host: naast!.hostname,
        port: naast!.port,
        path: "/webhooks/whatsapp",
        method: "POST",
        agent,
        headers: { "content-type": "application/json", "content-length": raw.length, "x-hub-signature-256": signature },
      },
      (res) => {
        res.resume();
        res.on("end", () => {
          webhookLatencies.push(performance.now() - t0);
          if (res.statusCode !== 200) non200 += 1;
          finish();
        });
      },
    );
    req.on("error", () => {
      postErrors += 1;
      finish();
    });
    req.end(raw);
  };
  const finish = () => {
    inflight -= 1;
    waiting.shift()?.();
  };
  if (inflight < limit) go();
  else waiting.push(go);
}

// ---------------------------------------------------------------------------------------------
// Warm-up: learn how many replies each of the two messages causes, and warm every path

async function warmup(r: WarmupRequest): Promise<WarmedReply> {
  naast = new URL(r.naastUrl);
  appSecret = r.appSecret;
  limit = r.concurrency;
  agent = new http.Agent({ keepAlive: true, maxSockets: r.concurrency });
  const t0 = performance.now();
  const residents = new Map<string, Resident>();
  for (let i = 0; i < r.residents; i++) {
    const phone = `3161${String(i).padStart(7, "0")}`;
    residents.set(phone, { phone, replies: 0, sent: [], replyAt: [] });
  }
  let last = performance.now();
  fake.onSend = (to) => {
    const res = residents.get(to);
    if (res) res.replies += 1;
    last = performance.now();
  };
  /** Until every resident has `min` replies and nothing arrived for 500 ms. */
  const settle = async (min: number) => {
    const deadline = performance.now() + 60_000;
    for (;;) {
      await new Promise((res) => setTimeout(res, 50));
      const all = [...residents.values()].every((x) => x.replies >= min);
      if (all && performance.now() - last > 500) return;
      if (performance.now() > deadline) throw new Error(`warm-up: replies did not arrive (${[...residents.values()].filter((x) => x.replies < min).length} residents short)`);
    }
  };
  const counts = () => {
    const c = [...residents.values()].map((x) => x.replies);
    return { min: Math.min(...c), max: Math.max(...c) };
  };
  last = performance.now();
  for (const res of residents.values()) post(res.phone, "Hallo", () => undefined);
  await settle(1);
  const a = counts();
  if (a.min !== a.max) throw new Error(`warm-up: residents got different numbers of replies to their first message (${a.min}..${a.max})`);
  for (const res of residents.values()) post(res.phone, "1", () => undefined);
  await settle(a.max + 1);
  const b = counts();
  if (b.min !== b.max) throw new Error(`warm-up: residents got different numbers of replies to "1" (${b.min - a.max}..${b.max - a.max})`);
  fake.onSend = undefined;
  return { type: "warmed", k1: a.max, k2: b.max - a.max, seconds: (performance.now() - t0) / 1000 };
}

// ---------------------------------------------------------------------------------------------
// The measured burst: every resident writes "Hallo", and answers "1" as soon as the reply is in

async function run(r: RunRequest, k1: number, k2: number): Promise<RunResult> {
  limit = r.concurrency;
  webhookLatencies.length = 0;
  non200 = 0;
  postErrors = 0;
  const cpu0 = process.cpuUsage();
  const residents = new Map<string, Resident>();
  for (let i = 0; i < r.residents; i++) {
    const phone = `3162${String(i).padStart(7, "0")}`;
    residents.set(phone, { phone, replies: 0, sent: [], replyAt: [] });
  }
  const lat1: number[] = [];
  const lat2: number[] = [];
  const replyTimes: number[] = [];
  let messagesDone = 0;
  let unexpected = 0;
  let lastExpected = 0;
  let finished!: () => void;
  const allDone = new Promise<void>((res) => (finished = res));
  let doneResidents = 0;

  const t0 = performance.now();
  fake.onSend = (to) => {
    const now = performance.now();
    replyTimes.push(now - t0);
    const res = residents.get(to);
    if (!res) {
      unexpected += 1;
      return;
    }
    res.replies += 1;
    if (res.replies === k1) {
      lat1.push(now - res.sent[0]!);
      messagesDone += 1;
      lastExpected = now;
      post(res.phone, "1", (at) => (res.sent[1] = at));
    } else if (res.replies === k1 + k2) {
      lat2.push(now - res.sent[1]!);
      messagesDone += 1;
      lastExpected = now;
      doneResidents += 1;
      if (doneResidents === r.residents) finished();
    } else if (res.replies > k1 + k2) {
      unexpected += 1;
    }
  };
  for (const res of residents.values()) post(res.phone, "Hallo", (at) => (res.sent[0] = at));

  let timedOut = false;
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([allDone, new Promise<void>((res) => (timer = setTimeout(() => ((timedOut = true), res()), r.timeoutMs)))]);
  clearTimeout(timer);
  const endAt = timedOut ? performance.now() : lastExpected;
  const doneAtEnd = messagesDone;
  const repliesAtEnd = replyTimes.length;
  const l1 = lat1.slice();
  const l2 = lat2.slice();
  // Anything more than expected would show up now (a duplicate send, say).
  await new Promise((res) => setTimeout(res, 500));
  fake.onSend = undefined;
  const seconds = (endAt - t0) / 1000;
  const timeline: number[] = [];
  for (const t of replyTimes.slice(0, repliesAtEnd)) {
    const s = Math.floor(t / 1000);
    while (timeline.length <= s) timeline.push(0);
    timeline[s]! += 1;
  }
  const cpu = process.cpuUsage(cpu0);
  return {
    type: "result",
    residents: r.residents,
    messagesDone: doneAtEnd,
    replies: repliesAtEnd,
    seconds,
    messagesPerSecond: doneAtEnd / seconds,
    repliesPerSecond: repliesAtEnd / seconds,
    latency: summarize([...l1, ...l2]),
    round1: summarize(l1),
    round2: summarize(l2),
    webhook: summarize(webhookLatencies),
    non200,
    postErrors,
    unexpectedReplies: unexpected,
    timedOut,
    timeline,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
  };
}

// ---------------------------------------------------------------------------------------------
// Steady: arrivals at a fixed rate. Each arrival is a resident whose "Hallo" was answered writing "1",
// or, when none is waiting to answer, a new resident writing "Hallo": about half and half once running.

let steadyResidents = 0;
/** Residents of earlier steady runs: a late reply to one of them is not this run's concern. */
const earlier = new Set<string>();

async function steady(r: SteadyRequest, k1: number, k2: number): Promise<SteadyResult> {
  limit = r.concurrency;
  webhookLatencies.length = 0;
  non200 = 0;
  postErrors = 0;
  const cpu0 = process.cpuUsage();
  type Msg = { at: number; need: number; round: 1 | 2 };
  const residents = new Map<string, { replies: number; msg?: Msg }>();
  /** Unanswered messages in arrival order (a Set keeps insertion order). */
  const outstanding = new Set<Msg>();
  const ready: string[] = [];
  const latencies: number[] = [];
  let unexpected = 0;
  fake.onSend = (to) => {
    const res = residents.get(to);
    if (!res) {
      if (!earlier.has(to)) unexpected += 1;
      return;
    }
    res.replies += 1;
    const m = res.msg;
    if (!m || res.replies > m.need) {
      unexpected += 1;
      return;
    }
    if (res.replies === m.need) {
      latencies.push(performance.now() - m.at);
      outstanding.delete(m);
      res.msg = undefined;
      if (m.round === 1) ready.push(to);
    }
  };
  const interval = 1000 / r.rate;
  const total = Math.round(r.rate * r.seconds);
  const t0 = performance.now();
  let sent = 0;
  let fellBehindAfterS: number | undefined;
  while (sent < total) {
    const now = performance.now();
    const due = Math.min(total, Math.floor((now - t0) / interval) + 1);
    for (; sent < due; sent++) {
      let phone = ready.shift();
      const round: 1 | 2 = phone ? 2 : 1;
      if (!phone) {
        phone = `3170${String(steadyResidents++).padStart(7, "0")}`;
        residents.set(phone, { replies: 0 });
      }
      const res = residents.get(phone)!;
      const m: Msg = { at: t0 + sent * interval, need: res.replies + (round === 1 ? k1 : k2), round };
      res.msg = m;
      outstanding.add(m);
      post(phone, round === 1 ? "Hallo" : "1", () => undefined);
    }
    const oldest = outstanding.values().next().value;
    if (oldest && now - oldest.at > r.fallBehindS * 1000) {
      fellBehindAfterS = (now - t0) / 1000;
      break;
    }
    await new Promise((res) => setTimeout(res, 2));
  }
  const arrivalsEnd = performance.now();
  while (outstanding.size > 0 && performance.now() < arrivalsEnd + r.graceS * 1000) await new Promise((res) => setTimeout(res, 20));
  const end = performance.now();
  const unanswered = [...outstanding].map((m) => end - m.at);
  const answered = latencies.length;
  fake.onSend = undefined;
  for (const phone of residents.keys()) earlier.add(phone);
  const cpu = process.cpuUsage(cpu0);
  const seconds = (arrivalsEnd - t0) / 1000;
  return {
    type: "steady-result",
    rate: r.rate,
    seconds,
    sent,
    answered,
    answeredPerSecond: answered / Math.max(0.001, seconds),
    latency: summarize([...latencies, ...unanswered]),
    unanswered: unanswered.length,
    ...(fellBehindAfterS !== undefined ? { fellBehindAfterS } : {}),
    keptUp: fellBehindAfterS === undefined && unanswered.length === 0,
    webhook: summarize(webhookLatencies),
    non200,
    postErrors,
    unexpectedReplies: unexpected,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
  };
}

let k = { k1: 1, k2: 1 };
process.on("message", (m: unknown) => {
  const msg = m as { type?: string };
  const fail = (err: unknown) => process.send!({ type: "error", message: err instanceof Error ? err.stack : String(err) });
  if (msg.type === "exit") {
    void fake.stop().finally(() => process.exit(0));
  } else if (msg.type === "warmup") {
    warmup(msg as WarmupRequest).then((w) => {
      k = { k1: w.k1, k2: w.k2 };
      process.send!(w);
    }, fail);
  } else if (msg.type === "run") {
    run(msg as RunRequest, k.k1, k.k2).then((res) => process.send!(res), fail);
  } else if (msg.type === "steady") {
    steady(msg as SteadyRequest, k.k1, k.k2).then((res) => process.send!(res), fail);
  }
});
// The bench that forked this process is gone (it failed, say): the fake's server would keep this one alive.
process.on("disconnect", () => void fake.stop().finally(() => process.exit(0)));
process.send!({ type: "ready", fakeUrl: fake.url });
