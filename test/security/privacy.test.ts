import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sessionStateSchema } from "../../src/engine/session-state.js";
import { startHarness, type Harness } from "../support/harness.js";
import { WhatsAppResident } from "../support/chat-driver.js";
import { postWhatsApp, waNotification, waText } from "../support/payloads.js";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

/** Every row of every table, as text. */
async function dump(): Promise<string> {
  const tables = await h.db.sql.query(`SELECT tablename FROM pg_tables WHERE schemaname = 'public'`);
  let out = "";
  for (const t of tables) out += JSON.stringify(await h.db.sql.query(`SELECT * FROM "${String(t.tablename)}"`), (_k, v: unknown) => (typeof v === "bigint" ? String(v) : v));
  return out;
}

/** The decrypted, parsed conversation state of a resident. */
async function stateOf(pseudonym: string) {
  const rows = await h.db.sql.query(`SELECT c.state, c.state_enc FROM conversation c JOIN resident r ON r.id = c.resident_id WHERE r.pseudonym = $1`, [pseudonym]);
  const row = rows[0]!;
  expect(row.state).toBeNull();
  expect(String(row.state_enc)).toMatch(/^v1\./);
  return sessionStateSchema.parse(h.naast.cipher.decryptJson(String(row.state_enc)));
}

const PHONE = "31687654321";
// A real-looking WhatsApp id: base64 of a protobuf that carries the sender's number.
const WAMID = `wamid.${Buffer.from(`\u000b${PHONE}\u0015\u0002\u0000\u0012\u0018\u0014ABCDEF0123456789`).toString("base64")}`;

describe("what is kept about residents", () => {
  it("platform message ids are stored as keyed hashes; a redelivery is still a no-op", async () => {
    const r = new WhatsAppResident(h.url, h.whatsapp, PHONE, h.naast);
    await postWhatsApp(h.url, waText(PHONE, WAMID, "hallo"));
    await h.whatsapp.waitFor(() => r.sent().length >= 1);
    await postWhatsApp(h.url, waText(PHONE, WAMID, "hallo"));
    await new Promise((res) => setTimeout(res, 500));
    expect(await h.db.prisma.inboundMessage.count()).toBe(1);
    await expect.poll(async () => h.db.prisma.outboundMessage.count({ where: { status: "sent" } }), { timeout: 5_000 }).toBeGreaterThanOrEqual(1);
    const text = await dump();
    expect(text).not.toContain(WAMID);
    expect(text).not.toContain(WAMID.slice(6, 30));
    // The fake Graph API answers each send with wamid.FAKE00000001, 02, ...
    expect(text).not.toContain("wamid.FAKE");
  });

  it("status callbacks still find the send record by the hashed id, and ids are pruned after the status window", async () => {
    const id = "wamid.FAKE00000001";
    const s = await postWhatsApp(h.url, waNotification({ statuses: [{ id, status: "delivered", timestamp: String(Math.floor(Date.now() / 1000)), recipient_id: PHONE }] }));
    expect(s.status).toBe(200);
    await expect.poll(async () => h.db.prisma.outboundMessage.count({ where: { status: "delivered" } }), { timeout: 5_000 }).toBe(1);
    await h.db.sql.query(`UPDATE outbound_message SET sent_at = now() - interval '40 days', created_at = now() - interval '40 days'`);
    await h.naast.sweeper.sweep(1);
    expect(await h.db.prisma.outboundMessage.count({ where: { platformMessageId: { not: null } } })).toBe(0);
  });

  it("the path through sensitive flows is not kept once the resident leaves them, and the state is encrypted", async () => {
    const r = new WhatsAppResident(h.url, h.whatsapp, "31600000077", h.naast);
    await r.say("hallo");
    await r.tap("c|onboarding|ask-language|nl");
    await r.tap("c|onboarding|about|korvel");
    await r.tap("c|menu|main|relationships");
    const pseudonym = h.naast.pseudonymizer.pseudonym("whatsapp", "31600000077");
    const inside = await stateOf(pseudonym);
    expect(JSON.stringify(inside)).toContain("relationships");
    await r.say("SOS");
    await r.say("menu");
    const after = await stateOf(pseudonym);
    const text = JSON.stringify(after);
    expect(text).not.toContain("relationships");
    expect(text).not.toContain("safety");
    expect(text).not.toContain("rel_score");
    expect(after.fields.language).toBe("nl");
  });

  it("logs do not link a safety event to a pseudonym", async () => {
    const pseudonym = h.naast.pseudonymizer.pseudonym("whatsapp", "31600000077");
    const lines = h.logs().split("\n").filter((l) => l.includes("safety message shown"));
    expect(lines.length).toBeGreaterThan(0);
    for (const l of lines) {
      expect(l).not.toContain(pseudonym.slice(0, 6));
      expect(l).not.toMatch(/"resident"/);
    }
  });

  it("the sweep erases the conversation of residents inactive for RESIDENT_RETENTION_DAYS", async () => {
    const pseudonym = h.naast.pseudonymizer.pseudonym("whatsapp", "31600000077");
    await h.db.sql.query(`UPDATE resident SET last_inbound_at = now() - interval '181 days', created_at = now() - interval '200 days' WHERE pseudonym = $1`, [pseudonym]);
    const active = h.naast.pseudonymizer.pseudonym("whatsapp", PHONE);
    await h.naast.sweeper.sweep(1);
    expect(await h.db.prisma.resident.count({ where: { pseudonym } })).toBe(0);
    expect(await h.db.prisma.inboundMessage.count({ where: { pseudonym } })).toBe(0);
    expect(await h.db.prisma.resident.count({ where: { pseudonym: active } })).toBe(1);
  });

  it("the onboarding tells residents how long Naast keeps their conversation", async () => {
    for (const lang of ["nl", "en", "tr", "ar", "pl", "uk"]) {
      const t = h.naast.content.translator.t(lang, "onboarding:retention", { days: "180" });
      expect(t, lang).not.toBe("retention");
      expect(t, lang).toContain("180");
    }
  });

  it("after erasure no message id of that resident is left, in plain text or linked", async () => {
    const phone = "31600000099";
    const r = new WhatsAppResident(h.url, h.whatsapp, phone, h.naast);
    await r.say("hallo");
    await r.say("stop");
    await r.tap("c|erase|confirm|yes");
    const pseudonym = h.naast.pseudonymizer.pseudonym("whatsapp", phone);
    expect(await h.db.prisma.resident.count({ where: { pseudonym } })).toBe(0);
    expect(await h.db.prisma.inboundMessage.count({ where: { pseudonym } })).toBe(0);
    // The goodbye was sent to nobody-any-more: no id kept for it.
    await expect.poll(async () => h.db.prisma.outboundMessage.count({ where: { residentId: null, broadcastId: null, status: "sent" } }), { timeout: 5_000 }).toBeGreaterThan(0);
    expect(await h.db.prisma.outboundMessage.count({ where: { residentId: null, broadcastId: null, platformMessageId: { not: null } } })).toBe(0);
    const text = await dump();
    for (const id of [`wamid.${phone}.1`, `wamid.${phone}.2`, `wamid.${phone}.3`, phone]) expect(text).not.toContain(id);
  });

  it("a web resident can erase themselves from the chat (✕ → erase and leave)", async () => {
    const token = ((await (await fetch(`${h.url}/chat/api/sessions`, { method: "POST" })).json()) as { token: string }).token;
    const headers = { "content-type": "application/json", authorization: `Bearer ${token}` };
    expect((await fetch(`${h.url}/chat/api/messages`, { method: "POST", headers, body: JSON.stringify({ id: randomUUID(), start: true }) })).status).toBe(202);
    const pseudonym = h.naast.pseudonymizer.pseudonym("web", token);
    await expect.poll(async () => h.db.prisma.resident.count({ where: { pseudonym } }), { timeout: 5_000 }).toBe(1);
    const erase = await fetch(`${h.url}/chat/api/erase`, { method: "POST", headers });
    expect(erase.status).toBe(202);
    await expect.poll(async () => h.db.prisma.resident.count({ where: { pseudonym } }), { timeout: 5_000 }).toBe(0);
    expect(await h.db.prisma.webMailbox.count({ where: { pseudonym } })).toBe(0);
    expect(await h.db.prisma.inboundMessage.count({ where: { pseudonym } })).toBe(0);
    const page = await (await fetch(`${h.url}/chat/assets/chat.js`)).text();
    expect(page).toContain("/chat/api/erase");
  });
});
