import { afterAll, describe, expect, it } from "vitest";
import { loadContent } from "../../src/content/content.js";
import { renderEvents } from "../../src/conversation/render-events.js";
import { FlowEngine } from "../../src/engine/engine.js";
import { newSessionState } from "../../src/engine/session-state.js";
import { startHarness, type Harness } from "../support/harness.js";
import { postWhatsApp, waText } from "../support/payloads.js";
import { openTestDatabase } from "../support/test-database.js";

// A path that stays inside the engine (no handoff: that needs the service and a professional).
const INPUTS = ["hallo", "1", "1", "1", "1", "1", "menu", "1", "3", "terug", "taal", "2", "SOS", "2", "1", "1", "1", "4"];

function textOf(body: Record<string, unknown>): string {
  const t = body.text as { body?: string } | undefined;
  const i = body.interactive as { body?: { text?: string } } | undefined;
  return t?.body ?? i?.body?.text ?? "";
}

/** What the resident must see if their messages are handled one at a time in arrival order. */
async function expectedTexts(inputsInArrivalOrder: string[]): Promise<string[]> {
  const content = await loadContent();
  const engine = new FlowEngine(content.engine);
  let state: unknown = newSessionState();
  const out: string[] = [];
  for (const text of inputsInArrivalOrder) {
    const step = engine.step(state, { kind: "text", text }, new Date());
    state = step.state;
    const l = step.state.fields.language;
    for (const m of renderEvents(step.events, typeof l === "string" ? l : "nl", content.translator, { directory: content.directory })) out.push(m.text);
  }
  return out;
}

async function run(instances: Harness[], phone: string): Promise<void> {
  const h = instances[0]!;
  // All at once, spread over the instances: the database decides the arrival order.
  const results = await Promise.all(INPUTS.map((text, i) => postWhatsApp(instances[i % instances.length]!.url, waText(phone, `wamid.order.${phone}.${i}`, text))));
  expect(results.every((r) => r.status === 200)).toBe(true);
  // Ids are stored as keyed hashes: map each back to the input it carried.
  const index = new Map(INPUTS.map((_t, i) => [h.naast.messageIds.hash("whatsapp", `wamid.order.${phone}.${i}`), i]));
  const rows = await h.db.prisma.inboundMessage.findMany({ where: { channel: "whatsapp", platformMessageId: { in: [...index.keys()] } }, orderBy: { seq: "asc" } });
  const arrival = rows.map((r) => INPUTS[index.get(r.platformMessageId)!]!);
  const expected = await expectedTexts(arrival);
  await h.whatsapp.waitFor((r) => r.filter((x) => x.body.to === phone).length >= expected.length, 30_000).catch((err: unknown) => {
    const got = h.whatsapp.requests.filter((x) => x.body.to === phone).length;
    throw new Error(`${got} of ${expected.length} replies arrived: ${String(err)}`);
  });
  await h.naast.idle();
  const got = h.whatsapp.requests.filter((x) => x.body.to === phone).map((x) => textOf(x.body));
  expect(got).toEqual(expected);
}

describe("one resident's messages are handled one at a time, in arrival order", () => {
  let harnesses: Harness[] = [];
  afterAll(async () => {
    for (const h of harnesses.reverse()) await h.close();
  });

  it("with many concurrent deliveries to one process", { timeout: 60_000 }, async () => {
    const h = await startHarness({ WORKER_CONCURRENCY: "16" });
    harnesses.push(h);
    await run([h], "31690000001");
  });

  it.runIf(Boolean(process.env.DATABASE_URL && process.env.REDIS_URL))("with two worker processes sharing PostgreSQL and Redis", { timeout: 60_000 }, async () => {
    const db = await openTestDatabase();
    const redisPrefix = `naast-order-${Date.now().toString(36)}`;
    const first = await startHarness({ WORKER_CONCURRENCY: "8" }, { db, redisPrefix });
    const second = await startHarness({ WORKER_CONCURRENCY: "8" }, { db, redisPrefix, whatsapp: first.whatsapp, telegram: first.telegram });
    harnesses.push(first, second);
    await run([first, second], "31690000002");
    harnesses = harnesses.filter((x) => x !== first && x !== second);
    await second.close();
    await first.close();
    await db.drop();
  });
});
