import { afterAll, describe, expect, it } from "vitest";
import { startHarness, type Harness } from "../support/harness.js";
import { postWhatsApp, waText } from "../support/payloads.js";
import { openTestDatabase } from "../support/test-database.js";

// A path through several flows; arrival orders other than this one may wander elsewhere, even into a handoff.
const INPUTS = ["hallo", "1", "1", "1", "1", "1", "menu", "1", "3", "terug", "taal", "2", "SOS", "2", "1", "1", "1", "4"];

function textOf(body: Record<string, unknown>): string {
  const t = body.text as { body?: string } | undefined;
  const i = body.interactive as { body?: { text?: string } } | undefined;
  return t?.body ?? i?.body?.text ?? "";
}

/**
 * What the resident must see if their messages are handled one at a time in arrival order: the same messages from
 * another resident (`replayPhone`), each answered before the next is sent. A replay through the whole service, not the
 * bare engine, because some arrival orders reach a handoff, which the service answers and the engine cannot.
 */
async function expectedTexts(instances: Harness[], inputsInArrivalOrder: string[], replayPhone: string): Promise<string[]> {
  const h = instances[0]!;
  for (const [i, text] of inputsInArrivalOrder.entries()) {
    const res = await postWhatsApp(h.url, waText(replayPhone, `wamid.replay.${replayPhone}.${i}`, text));
    expect(res.status).toBe(200);
    // Any process may take a message (batches claim from the shared database): each must be done with it.
    for (const x of instances) await x.naast.idle();
  }
  return h.whatsapp.requests.filter((x) => x.body.to === replayPhone).map((x) => textOf(x.body));
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
  const expected = await expectedTexts(instances, arrival, `${phone}9`);
  await h.whatsapp.waitFor((r) => r.filter((x) => x.body.to === phone).length >= expected.length, 30_000).catch((err: unknown) => {
    const got = h.whatsapp.requests.filter((x) => x.body.to === phone).length;
    throw new Error(`${got} of ${expected.length} replies arrived: ${String(err)}`);
  });
  for (const x of instances) await x.naast.idle();
  const got = h.whatsapp.requests.filter((x) => x.body.to === phone).map((x) => textOf(x.body));
  expect(got).toEqual(expected);
}

describe("one resident's messages are handled one at a time, in arrival order", () => {
  let harnesses: Harness[] = [];
  afterAll(async () => {
    for (const h of harnesses.reverse()) await h.close();
  });

  it("with many concurrent deliveries to one process", { timeout: 120_000 }, async () => {
    const h = await startHarness({ WORKER_CONCURRENCY: "16" });
    harnesses.push(h);
    await run([h], "31690000001");
  });

  it.runIf(Boolean(process.env.DATABASE_URL && process.env.REDIS_URL))("with two worker processes sharing PostgreSQL and Redis", { timeout: 120_000 }, async () => {
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
