/**
 * The reference pipeline for bench (b): the least work that keeps the promises Naast's pipeline makes
 * for a WhatsApp text message, on the same kind of database, so that (b) can print Naast's throughput
 * and latency beside it and as a ratio to it, measured in the same run with the same load generator.
 *
 * Keeps, as Naast does:
 * - a signed webhook: `X-Hub-Signature-256` over the raw body (Naast's own check), 401 otherwise; the
 *   notification parsed with Naast's schemas, 400 with a reason when broken;
 * - dedupe and a durable inbox: 200 only after the message is committed; concurrent requests share one
 *   `INSERT … ON CONFLICT (msg_id) DO NOTHING` (group commit), so a redelivered message id is a no-op;
 * - per-resident state and order: a loop claims the oldest waiting message of many residents at once
 *   (`FOR UPDATE SKIP LOCKED`, none whose earlier message is still waiting), updates their state rows,
 *   writes the replies into a durable outbox and marks the messages handled, in one transaction;
 * - a reply sent at most once, in order: outbox rows are written already claimed (`sending`) by the loop
 *   that sends them right after the commit, one resident's replies one after another; the outcome is
 *   recorded (`sent` with the platform's message id, `failed`, or `unknown` when the answer was lost),
 *   the marks group-committed; a row a crash leaves in `sending` is in doubt and never resent.
 * Leaves out (what Naast does on top): the flow engine and content (a reply here is fixed text; the
 * number of reply messages per input is Naast's own, given by the bench), pseudonyms and encryption at
 * rest, retries, rate limits, 24-hour windows, status callbacks, resolving doubt, the other channels,
 * queues (no queue library: the loop is woken in-process, and polls), metrics, and working across
 * several processes (order of sends is kept by this process alone).
 */
import { request } from "undici";
import { randomBytes } from "node:crypto";
import { PGlite } from "@electric-sql/pglite";
import express from "express";
import pg from "pg";
import { verifyWhatsAppSignature } from "../src/channels/whatsapp/whatsapp-signature.js";
import { whatsappMessageSchema, whatsappWebhookSchema } from "../src/channels/whatsapp/whatsapp-payload-schema.js";
import { pgliteStartParams } from "../src/storage/database.js";

export type ReferenceOptions = {
  /** PostgreSQL server (a database `naast_bench_ref_<random>` is created and dropped); PGlite in memory when unset. */
  databaseUrl: string | undefined;
  /** Base URL of the Graph API (the bench's fake); sends go to `${graphUrl}/${phoneNumberId}/messages`. */
  graphUrl: string;
  appSecret: string;
  token: string;
  phoneNumberId: string;
  /** Reply messages a resident's first message causes, and each later one (Naast's own counts, from its warm-up). */
  replies: { first: number; later: number };
  /** Residents claimed per transaction (500). */
  batch?: number;
  /** Sends in flight at once (64). */
  sendConcurrency?: number;
};

export type Reference = {
  app: express.Express;
  /** SQL statements sent so far (BEGIN and COMMIT included). */
  statements(): number;
  /** How well the writes were batched so far: statements and rows of each kind. */
  batching(): { inboxWrites: number; inboxRows: number; transactions: number; claimed: number; markWrites: number; markRows: number };
  /** Inbound messages handled since `since`. */
  handledSince(since: Date): Promise<number>;
  /** Rows left over: messages not handled, replies not marked sent. */
  leftovers(): Promise<{ unhandled: number; unsent: number; outbound: number }>;
  close(): Promise<void>;
};

type Query = (text: string, params?: unknown[]) => Promise<Record<string, unknown>[]>;
type Db = { query: Query; transaction<T>(fn: (q: Query) => Promise<T>): Promise<T>; close(): Promise<void> };

const SCHEMA = `
  CREATE TABLE ref_inbox (seq bigserial PRIMARY KEY, msg_id text NOT NULL UNIQUE, resident text NOT NULL, body text NOT NULL,
    received_at timestamptz NOT NULL DEFAULT now(), handled_at timestamptz);
  CREATE INDEX ref_inbox_waiting ON ref_inbox (resident, seq) WHERE handled_at IS NULL;
  CREATE INDEX ref_inbox_oldest ON ref_inbox (seq) WHERE handled_at IS NULL;
  CREATE TABLE ref_state (resident text PRIMARY KEY, messages int NOT NULL, last_text text NOT NULL, updated_at timestamptz NOT NULL);
  CREATE TABLE ref_outbox (seq bigserial PRIMARY KEY, resident text NOT NULL, inbox_seq bigint NOT NULL, part int NOT NULL, body text NOT NULL,
    status text NOT NULL, wamid text, created_at timestamptz NOT NULL DEFAULT now(), sent_at timestamptz, UNIQUE (inbox_seq, part));`;

/** Starts the reference pipeline on a fresh database of its own; `close()` stops it and drops the database. */
export async function startReference(opts: ReferenceOptions): Promise<Reference> {
  let statements = 0;
  const batching = { inboxWrites: 0, inboxRows: 0, transactions: 0, claimed: 0, markWrites: 0, markRows: 0 };
  const db = await openDb(opts.databaseUrl, () => (statements += 1));
  try {
    for (const statement of SCHEMA.split(";").filter((s) => s.trim())) await db.query(statement); // in order: tables before their indexes
  } catch (err) {
    await db.close(); // drops the database it made
    throw err;
  }
  const batchSize = opts.batch ?? 500;

  // Wakes the loop when a message was stored (and every second, in case a wake-up was missed).
  let wake: (() => void) | undefined;
  let woken = false; // a message stored while a batch ran: look again before sleeping
  const signal = () => {
    woken = true;
    wake?.();
  };
  const ingest = groupCommit<{ msgId: string; resident: string; body: string }>(async (rows) => {
    await db.query(
      `INSERT INTO ref_inbox (msg_id, resident, body) SELECT * FROM unnest($1::text[], $2::text[], $3::text[]) ON CONFLICT (msg_id) DO NOTHING`,
      [rows.map((r) => r.msgId), rows.map((r) => r.resident), rows.map((r) => r.body)],
    );
    batching.inboxWrites += 1;
    batching.inboxRows += rows.length;
    signal();
  });
  const marks = groupCommit<{ seq: string; status: string; wamid: string | null }>(async (rows) => {
    await db.query(
      `UPDATE ref_outbox o SET status = u.status, wamid = u.wamid, sent_at = now() FROM unnest($1::bigint[], $2::text[], $3::text[]) AS u(seq, status, wamid) WHERE o.seq = u.seq`,
      [rows.map((r) => r.seq), rows.map((r) => r.status), rows.map((r) => r.wamid)],
    );
    batching.markWrites += 1;
    batching.markRows += rows.length;
  });

  const app = express();
  app.disable("x-powered-by");
  app.post("/webhooks/whatsapp", express.raw({ type: () => true, limit: "1mb" }), async (req, res) => {
    const raw: Buffer = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    if (!verifyWhatsAppSignature(raw, req.get("x-hub-signature-256"), opts.appSecret)) {
      res.status(401).json({ error: "unauthorized" });
      return;
    }
    let json: unknown;
    try {
      json = JSON.parse(raw.toString("utf8"));
    } catch {
      res.status(400).json({ error: "invalid JSON" });
      return;
    }
    const parsed = whatsappWebhookSchema.safeParse(json);
    if (!parsed.success) {
      res.status(400).json({ error: "invalid notification", detail: parsed.error.issues[0]?.message });
      return;
    }
    const rows = parsed.data.entry
      .flatMap((e) => e.changes.flatMap((c) => c.value.messages ?? []))
      .flatMap((m) => {
        const msg = whatsappMessageSchema.safeParse(m);
        return msg.success ? [{ msgId: msg.data.id, resident: msg.data.from, body: msg.data.text?.body ?? "" }] : [];
      });
    try {
      await Promise.all(rows.map((r) => ingest.add(r)));
      res.status(200).json({ ok: true });
    } catch {
      res.status(503).set("retry-after", "5").json({ error: "storage unavailable" });
    }
  });

  // Sends: one resident's replies one after another (a chain per resident), at most `sendConcurrency` at once.
  const chains = new Map<string, Promise<void>>();
  const slots = semaphore(opts.sendConcurrency ?? 64);
  const url = `${opts.graphUrl}/${opts.phoneNumberId}/messages`;
  async function send(row: { seq: string; resident: string; body: string }): Promise<void> {
    await slots.take();
    let status = "unknown";
    let wamid: string | null = null;
    try {
      // The same client Naast's WhatsApp sender uses (undici's request; fetch costs three times the CPU).
      const res = await request(url, {
        method: "POST",
        headers: { authorization: `Bearer ${opts.token}`, "content-type": "application/json" },
        body: JSON.stringify({ messaging_product: "whatsapp", recipient_type: "individual", to: row.resident, type: "text", text: { body: row.body } }),
        signal: AbortSignal.timeout(30_000),
      });
      const body = (await res.body.json().catch(() => undefined)) as { messages?: { id?: unknown }[] } | undefined;
      const id = body?.messages?.[0]?.id;
      const ok = res.statusCode >= 200 && res.statusCode < 300;
      if (ok && typeof id === "string") [status, wamid] = ["sent", id];
      else if (!ok) status = "failed";
    } catch {
      // The answer was lost: in doubt, never resent.
    } finally {
      slots.give();
    }
    await marks.add({ seq: row.seq, status, wamid });
  }
  const inFlight = new Set<Promise<void>>();
  function queueSend(row: { seq: string; resident: string; body: string }): void {
    const next = (chains.get(row.resident) ?? Promise.resolve()).then(() => send(row));
    const tracked = next.catch(() => undefined).finally(() => {
      inFlight.delete(tracked);
      if (chains.get(row.resident) === next) chains.delete(row.resident);
    });
    chains.set(row.resident, next);
    inFlight.add(tracked);
  }

  /** One transaction: claim, update states, write the replies (claimed), mark handled. Returns the replies to send. */
  function handleBatch(): Promise<{ seq: string; resident: string; body: string }[]> {
    return db.transaction(async (q) => {
      const claimed = await q(
        `SELECT seq::text AS seq, resident, body FROM ref_inbox i
         WHERE handled_at IS NULL
           AND NOT EXISTS (SELECT 1 FROM ref_inbox e WHERE e.resident = i.resident AND e.handled_at IS NULL AND e.seq < i.seq)
         ORDER BY seq LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [batchSize],
      );
      batching.transactions += 1;
      batching.claimed += claimed.length;
      if (claimed.length === 0) return [];
      const msgs = claimed.map((r) => ({ seq: String(r.seq), resident: String(r.resident), body: String(r.body) }));
      const states = await q(
        `INSERT INTO ref_state AS s (resident, messages, last_text, updated_at) SELECT r, 1, t, now() FROM unnest($1::text[], $2::text[]) AS u(r, t)
         ON CONFLICT (resident) DO UPDATE SET messages = s.messages + 1, last_text = excluded.last_text, updated_at = now()
         RETURNING resident, messages`,
        [msgs.map((m) => m.resident), msgs.map((m) => m.body)],
      );
      const count = new Map(states.map((s) => [String(s.resident), Number(s.messages)]));
      const out = msgs.flatMap((m) => {
        const n = count.get(m.resident) ?? 1;
        const parts = n === 1 ? opts.replies.first : opts.replies.later;
        return Array.from({ length: parts }, (_, part) => ({ ...m, part, body: `Reply ${part + 1}/${parts} to your message ${n}` }));
      });
      const written = await q(
        `INSERT INTO ref_outbox (resident, inbox_seq, part, body, status)
         SELECT r, s, p, b, 'sending' FROM unnest($1::text[], $2::bigint[], $3::int[], $4::text[]) AS u(r, s, p, b)
         RETURNING seq::text AS seq, resident, body`,
        [out.map((o) => o.resident), out.map((o) => o.seq), out.map((o) => o.part), out.map((o) => o.body)],
      );
      await q(`UPDATE ref_inbox SET handled_at = now() WHERE seq = ANY($1::bigint[])`, [msgs.map((m) => m.seq)]);
      return written
        .map((w) => ({ seq: String(w.seq), resident: String(w.resident), body: String(w.body) }))
        .sort((a, b) => Number(a.seq) - Number(b.seq));
    });
  }

  let closed = false;
  const loop = (async () => {
    while (!closed) {
      await new Promise((r) => setImmediate(r)); // let waiting webhooks and send answers in first
      let sends: { seq: string; resident: string; body: string }[] = [];
      woken = false;
      try {
        sends = await handleBatch();
      } catch (err) {
        console.error(`  reference: a batch failed: ${err instanceof Error ? err.message : String(err)}`);
      }
      for (const s of sends) queueSend(s);
      if (sends.length === 0 && !woken && !closed) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(() => resolve(), 1000);
          wake = () => {
            clearTimeout(timer);
            wake = undefined;
            resolve();
          };
        });
      }
    }
  })();

  return {
    app,
    statements: () => statements,
    batching: () => ({ ...batching }),
    handledSince: async (since) => Number((await db.query("SELECT count(*)::int AS n FROM ref_inbox WHERE handled_at >= $1", [since.toISOString()]))[0]?.n),
    async leftovers() {
      const [r] = await db.query(
        `SELECT (SELECT count(*)::int FROM ref_inbox WHERE handled_at IS NULL) AS unhandled,
                (SELECT count(*)::int FROM ref_outbox WHERE status <> 'sent') AS unsent,
                (SELECT count(*)::int FROM ref_outbox) AS outbound`,
      );
      return { unhandled: Number(r?.unhandled), unsent: Number(r?.unsent), outbound: Number(r?.outbound) };
    },
    async close() {
      closed = true;
      signal();
      await loop;
      await Promise.all(inFlight);
      await db.close();
    },
  };
}

/** Many callers' rows written by one statement: rows that arrive while a write runs go in the next one. */
function groupCommit<T>(write: (rows: T[]) => Promise<void>): { add(row: T): Promise<void> } {
  let pending: { row: T; done: (err?: unknown) => void }[] = [];
  let running = false;
  async function flush(): Promise<void> {
    while (pending.length > 0) {
      const batch = pending;
      pending = [];
      try {
        await write(batch.map((b) => b.row));
        for (const b of batch) b.done();
      } catch (err) {
        for (const b of batch) b.done(err ?? new Error("write failed"));
      }
    }
    running = false;
  }
  return {
    add(row) {
      return new Promise<void>((resolve, reject) => {
        pending.push({ row, done: (err) => (err ? reject(err) : resolve()) });
        if (!running) {
          running = true;
          // One turn of the event loop lets concurrent callers join (PGlite runs on this thread, as in Naast's Ingest).
          setImmediate(() => void flush());
        }
      });
    },
  };
}

function semaphore(n: number): { take(): Promise<void>; give(): void } {
  let free = n;
  const waiting: (() => void)[] = [];
  return {
    take: () => (free > 0 ? ((free -= 1), Promise.resolve()) : new Promise<void>((r) => waiting.push(r))),
    give: () => {
      const next = waiting.shift();
      if (next) next();
      else free += 1;
    },
  };
}

/** A database of the reference's own: a new one on the PostgreSQL server (dropped on close), or PGlite in memory. */
async function openDb(url: string | undefined, counted: () => void): Promise<Db> {
  if (!url) {
    const lite = await PGlite.create({ startParams: pgliteStartParams() });
    const query: Query = async (text, params) => (counted(), (await lite.query<Record<string, unknown>>(text, params)).rows);
    return {
      query,
      transaction: (fn) =>
        lite.transaction(async (tx) => {
          counted(); // BEGIN
          const r = await fn(async (text, params) => (counted(), (await tx.query<Record<string, unknown>>(text, params)).rows));
          counted(); // COMMIT
          return r;
        }),
      close: () => lite.close(),
    };
  }
  const name = `naast_bench_ref_${randomBytes(6).toString("hex")}`;
  const admin = async (sql: string) => {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    await c.query(sql).finally(() => c.end());
  };
  await admin(`CREATE DATABASE ${name}`);
  const u = new URL(url);
  u.pathname = `/${name}`;
  const pool = new pg.Pool({ connectionString: u.toString(), max: 8 });
  const run = (c: pg.Pool | pg.PoolClient): Query => async (text, params) => (counted(), (await c.query(text, params)).rows as Record<string, unknown>[]);
  return {
    query: run(pool),
    async transaction(fn) {
      const client = await pool.connect();
      const q = run(client);
      try {
        await q("BEGIN");
        const r = await fn(q);
        await q("COMMIT");
        return r;
      } catch (err) {
        await q("ROLLBACK").catch(() => undefined);
        throw err;
      } finally {
        client.release();
      }
    },
    async close() {
      await pool.end();
      await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}
