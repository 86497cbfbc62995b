import { describe, expect, it } from "vitest";
import type { ConversationService, Handled } from "../../src/conversation/conversation-service.js";
import { createLogger } from "../../src/logger.js";
import type { Outbox, OutboundRef } from "../../src/outbox/outbox.js";
import { InboundWorker } from "../../src/queues/inbound-worker.js";

type Batch = Awaited<ReturnType<ConversationService["handleBatch"]>>;

const handled = (seq: number): Handled => ({ seq: String(seq), outbound: [{ id: `whatsapp-${seq}-0`, channel: "whatsapp" }], channel: "whatsapp", more: false });
const job = { id: "j", data: { pseudonym: "a".repeat(64) }, attemptsMade: 0, dueAt: 0 };
const tick = () => new Promise((r) => setTimeout(r, 0));

/** A worker over scripted batches: each claim takes the next answer (or waits for the test to release it). */
function scripted(answers: (Batch | Error | Promise<Batch>)[], batchSize = 3) {
  const claims: number[] = [];
  const queued: OutboundRef[] = [];
  const next: string[] = [];
  const conversations = {
    async handleBatch(limit: number): Promise<Batch> {
      claims.push(limit);
      const a = answers.shift() ?? { handled: [], left: [], behind: true };
      if (a instanceof Error) throw a;
      return a;
    },
    async handleNext(pseudonym: string): Promise<Handled | undefined> {
      next.push(pseudonym);
      if (pseudonym === "bad") throw new Error("cannot read it");
      return handled(100 + next.length);
    },
  } as unknown as ConversationService;
  const outbox = { queueBatches: async (refs: readonly OutboundRef[]) => void queued.push(...refs) } as unknown as Outbox;
  const worker = new InboundWorker({ conversations, outbox, senders: new Map(), log: createLogger("silent"), batchSize, loops: 1 });
  return { worker, claims, queued, next };
}

describe("the inbound batch worker", () => {
  it("claims again after every batch that handled something, and lets a job go at the first claim that could take fewer than a full batch", async () => {
    const { worker, claims, queued } = scripted([
      { handled: [handled(1), handled(2), handled(3)], left: [], behind: true },
      { handled: [handled(4)], left: [], behind: true },
      { handled: [], left: [], behind: true },
    ]);
    await worker.handle(job);
    // The second claim was not full: the job is done; the loop still looks once more, for what waited behind.
    expect(queued.map((r) => r.id)).toEqual(["whatsapp-1-0", "whatsapp-2-0", "whatsapp-3-0", "whatsapp-4-0"]);
    await tick();
    expect(claims).toHaveLength(3);
  });

  it("claims no more when a claim left nothing waiting behind what it took (no second, empty claim)", async () => {
    const { worker, claims, queued } = scripted([{ handled: [handled(1)], left: [], behind: false }, { handled: [handled(2)], left: [], behind: false }]);
    await worker.handle(job);
    await tick();
    expect(queued.map((r) => r.id)).toEqual(["whatsapp-1-0"]);
    expect(claims).toHaveLength(1);
    // A full batch that left nothing behind also serves the job at once.
    const full = scripted([{ handled: [handled(1), handled(2)], left: [], behind: false }], 2);
    await full.worker.handle(job);
    await tick();
    expect(full.claims).toHaveLength(1);
  });

  it("serves a job that came during a claim only with a claim that began after it", async () => {
    let release!: (b: Batch) => void;
    const first = new Promise<Batch>((r) => (release = r));
    const { worker, claims } = scripted([first, { handled: [], left: [], behind: true }]);
    let firstDone = false;
    let secondDone = false;
    const a = worker.handle(job).then(() => (firstDone = true));
    await tick();
    const b = worker.handle(job).then(() => (secondDone = true));
    release({ handled: [], left: [], behind: true });
    await a;
    await tick();
    expect(firstDone).toBe(true);
    await b;
    expect(secondDone).toBe(true);
    expect(claims).toHaveLength(2);
  });

  it("hands residents a batch could not take to the one-message path, and fails the jobs when nothing could be handled", async () => {
    const ok = scripted([{ handled: [], left: ["someone"], behind: true }]);
    await ok.worker.handle(job);
    expect(ok.next).toEqual(["someone"]);
    expect(ok.queued.map((r) => r.id)).toEqual(["whatsapp-101-0"]);

    const bad = scripted([{ handled: [], left: ["bad"], behind: true }]);
    await expect(bad.worker.handle(job)).rejects.toThrow("cannot read it");

    const down = scripted([new Error("database away")]);
    await expect(down.worker.handle(job)).rejects.toThrow("database away");
  });
});
