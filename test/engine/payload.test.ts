import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { choicePayload, SAFETY_PAYLOAD, TALK_PAYLOAD } from "../../src/engine/engine.js";
import { GLOBAL_INTENTS } from "../../src/engine/lexicon.js";
import {
  decodePayload,
  encodePayload,
  HANDOFF_ACTIONS,
  PayloadError,
  PayloadTooLongError,
  TELEGRAM_CALLBACK_DATA_BYTES,
  type Payload,
} from "../../src/engine/payload.js";
import { sharedContent } from "../support/content.js";

const ID = "0b6f7c1e-3d2a-4c59-9e8f-1a2b3c4d5e6f";

describe("the payload codec", () => {
  it.each<[Payload, string]>([
    [{ kind: "choice", flow: "money", node: "start", choice: "bills" }, "c|money|start|bills"],
    [{ kind: "global", intent: "emergency" }, "g|emergency"],
    [{ kind: "global", intent: "unsubscribe" }, "g|unsubscribe"],
    [{ kind: "more", offset: 0 }, "m|0"],
    [{ kind: "more", offset: 999 }, "m|999"],
    [{ kind: "follow", organisationId: ID }, `s|o|${ID}`],
    [{ kind: "handoff", action: "reply", handoffId: ID }, `h|r|${ID}`],
    [{ kind: "handoff", action: "check_in", handoffId: ID, answer: "not_helped" }, `h|c|${ID}|not_helped`],
    [{ kind: "handoff", action: "other", handoffId: ID }, `h|o|${ID}`],
    [{ kind: "handoff", action: "keep", handoffId: ID }, `h|k|${ID}`],
  ])("writes %j as %s and reads it back", (payload, text) => {
    expect(encodePayload(payload)).toBe(text);
    expect(decodePayload(text)).toEqual(payload);
  });

  it("keeps the wire format residents' open chats still carry (SOS, talk, choices)", () => {
    expect(SAFETY_PAYLOAD).toBe("g|emergency");
    expect(TALK_PAYLOAD).toBe("g|talk");
    expect(choicePayload("menu", "main", "money")).toBe("c|menu|main|money");
  });

  it("round-trips every payload it can write (property)", () => {
    const id = fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,12}$/);
    const payload: fc.Arbitrary<Payload> = fc.oneof(
      fc.record({ kind: fc.constant("choice" as const), flow: id, node: id, choice: id }),
      fc.record({ kind: fc.constant("global" as const), intent: fc.constantFrom(...GLOBAL_INTENTS) }),
      fc.record({ kind: fc.constant("more" as const), offset: fc.integer({ min: 0, max: 999 }) }),
      fc.record({ kind: fc.constant("follow" as const), organisationId: fc.uuid() }),
      fc.record(
        { kind: fc.constant("handoff" as const), action: fc.constantFrom(...HANDOFF_ACTIONS), handoffId: fc.uuid(), answer: fc.stringMatching(/^[a-z_]{1,12}$/) },
        { requiredKeys: ["kind", "action", "handoffId"] },
      ),
    );
    fc.assert(
      fc.property(payload, (p) => {
        const text = encodePayload(p);
        expect(Buffer.byteLength(text)).toBeLessThanOrEqual(TELEGRAM_CALLBACK_DATA_BYTES);
        expect(decodePayload(text)).toEqual(p);
      }),
    );
  });

  it("round-trips every choice of the real flows within Telegram's 64 bytes", async () => {
    const content = await sharedContent();
    let count = 0;
    for (const flow of content.engine.flows.values()) {
      for (const node of flow.nodes) {
        for (const c of node.wait?.choices ?? []) {
          const text = choicePayload(flow.flow, node.id, c.id);
          expect(decodePayload(text)).toEqual({ kind: "choice", flow: flow.flow, node: node.id, choice: c.id });
          count++;
        }
      }
    }
    expect(count).toBeGreaterThan(50);
  });

  it.each([
    ["", "empty"],
    ["x", "no prefix"],
    ["q|money", "an unknown prefix"],
    ["c|money|start", "a choice without its choice id"],
    ["c|money|start|bills|extra", "a choice with an extra field"],
    ["c|Money|start|bills", "an id with capitals"],
    ["c|money||bills", "an empty id"],
    ["g|reboot", "a global intent Naast does not know"],
    ["g|menu|now", "a global intent with an extra field"],
    ["m|", "a page without an offset"],
    ["m|1000", "a page offset over 999"],
    ["m|-1", "a negative page offset"],
    ["m|1.5", "a fractional page offset"],
    ["s|x|" + ID, "a follow of something other than an organisation"],
    ["s|o|not-a-uuid", "a follow without an organisation id"],
    ["s|o|" + ID.toUpperCase(), "an upper-case id"],
    ["h|z|" + ID, "an unknown handoff action"],
    ["h|r", "a handoff button without its case"],
    ["h|r|" + ID.slice(1), "a shortened case id"],
    ["h|c|" + ID + "|Helped!", "a check-in answer that is no answer word"],
    ["h|c|" + ID + "|helped|again", "a handoff button with an extra field"],
    ["c|" + "a".repeat(24) + "|" + "b".repeat(24) + "|" + "c".repeat(24), "more than 64 bytes"],
    ["g|emergency\n", "a trailing newline"],
  ])("refuses %j (%s)", (text) => {
    expect(decodePayload(text)).toBeUndefined();
  });

  it("refuses to write a payload that breaks its schema or Telegram's limit", () => {
    expect(() => encodePayload({ kind: "follow", organisationId: "42" })).toThrow(PayloadError);
    expect(() => encodePayload({ kind: "more", offset: 1000 })).toThrow(PayloadError);
    expect(() => encodePayload({ kind: "choice", flow: "a|b", node: "start", choice: "x" })).toThrow(PayloadError);
    const long = { kind: "choice" as const, flow: "a".repeat(24), node: "b".repeat(24), choice: "c".repeat(24) };
    expect(() => encodePayload(long)).toThrow(PayloadTooLongError);
    expect(() => encodePayload(long)).toThrow(expect.objectContaining({ bytes: 76 }));
  });
});
