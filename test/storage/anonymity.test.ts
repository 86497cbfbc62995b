import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHarness, type Harness } from "../support/harness.js";
import { postTelegram, postWhatsApp, tgText, waButton, waText } from "../support/payloads.js";

const PHONE = "31687654321";
const CHAT = 987654321;

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

/** Every row of every table, as text. */
async function dumpDatabase(): Promise<string> {
  const tables = await h.db.sql.query(`SELECT tablename FROM pg_tables WHERE schemaname = 'public'`);
  let out = "";
  for (const t of tables) out += JSON.stringify(await h.db.sql.query(`SELECT * FROM "${String(t.tablename)}"`), (_k, v: unknown) => (typeof v === "bigint" ? String(v) : v));
  return out;
}

describe("anonymity", () => {
  it("stores no phone number, chat id or message text in the database or the logs", async () => {
    await postWhatsApp(h.url, waText(PHONE, "wamid.anon1", "Hallo, ik heb schulden bij de woningcorporatie"));
    await postTelegram(h.url, tgText(900, CHAT, "hallo dit is geheim"));
    await h.whatsapp.waitFor((r) => r.some((x) => x.body.to === PHONE));
    await h.telegram.waitFor((r) => r.some((x) => Number(x.body.chat_id) === CHAT));
    await expect.poll(async () => h.db.prisma.outboundMessage.count({ where: { status: "sent" } }), { timeout: 5_000 }).toBeGreaterThanOrEqual(2);
    const dump = await dumpDatabase();
    expect(dump.length).toBeGreaterThan(500);
    for (const secret of [PHONE, String(CHAT), "woningcorporatie", "geheim"]) {
      expect(dump).not.toContain(secret);
      expect(h.logs()).not.toContain(secret);
    }
    // The address is there, encrypted, and the pseudonym is the keyed hash.
    const resident = await h.db.prisma.resident.findUniqueOrThrow({ where: { pseudonym: h.naast.pseudonymizer.pseudonym("whatsapp", PHONE) } });
    expect(resident.addressEnc.startsWith("v1.")).toBe(true);
    expect(h.naast.cipher.decrypt(resident.addressEnc)).toBe(PHONE);
  });

  it("erases the resident and everything linked to them after confirmation, and says so", async () => {
    const pseudonym = h.naast.pseudonymizer.pseudonym("whatsapp", PHONE);
    const resident = await h.db.prisma.resident.findUniqueOrThrow({ where: { pseudonym } });
    await postWhatsApp(h.url, waText(PHONE, "wamid.anon2", "stop"));
    await h.whatsapp.waitFor((r) => r.filter((x) => x.body.to === PHONE).length >= 2);
    expect(await h.db.prisma.resident.count({ where: { pseudonym } })).toBe(1); // not before confirming
    await postWhatsApp(h.url, waButton(PHONE, "wamid.anon3", "c|erase|confirm|yes"));
    await h.whatsapp.waitFor((r) => r.filter((x) => x.body.to === PHONE).length >= 3);
    const last = h.whatsapp.requests.filter((x) => x.body.to === PHONE).at(-1)!;
    expect(JSON.stringify(last.body)).toContain("Alles over jou is gewist");
    expect(await h.db.prisma.resident.count({ where: { pseudonym } })).toBe(0);
    expect(await h.db.prisma.conversation.count({ where: { residentId: resident.id } })).toBe(0);
    expect(await h.db.prisma.outboundMessage.count({ where: { residentId: resident.id } })).toBe(0);
    expect(await h.db.prisma.inboundMessage.count({ where: { pseudonym } })).toBe(0);
    // Writing again makes a stranger: onboarding from the start.
    await postWhatsApp(h.url, waText(PHONE, "wamid.anon4", "hallo"));
    await h.whatsapp.waitFor((r) => r.filter((x) => x.body.to === PHONE).length >= 4);
    expect(JSON.stringify(h.whatsapp.requests.filter((x) => x.body.to === PHONE).at(-1)!.body)).toContain("Kies je taal");
  });
});
