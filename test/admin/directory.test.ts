import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { totpCode, totpStep } from "../../src/admin/totp.js";
import { createLogger } from "../../src/logger.js";
import { createNaast } from "../../src/naast.js";
import { startHarness, type Harness } from "../support/harness.js";
import { PanelClient } from "../support/panel-client.js";
import { WhatsAppResident } from "../support/chat-driver.js";

let h: Harness;
let admin: PanelClient;
let kf: PanelClient;

async function signUp(role: "admin" | "keyfigure", email: string, organisationId: string | null) {
  const token = await h.naast.staffAuth.invite({ email, displayName: "X", role, organisationId, createdById: null });
  const c = new PanelClient(h.url);
  await c.get(`/admin/invite/${token}`);
  await c.post(`/admin/invite/${token}`, { password: "a long enough password" });
  if (role === "admin") {
    const secret = /<code>([A-Z2-7 ]+)<\/code>/.exec((await c.get("/admin/2fa/setup")).text)![1]!.replace(/ /g, "");
    await c.post("/admin/2fa/setup", { code: totpCode(secret, totpStep(new Date())) });
  }
  return c;
}

beforeAll(async () => {
  h = await startHarness();
  admin = await signUp("admin", "admin@example.org", null);
  const org = (await h.db.prisma.organisation.create({ data: { name: "Kerk", kind: "house-of-worship" } })).id;
  kf = await signUp("keyfigure", "kf@example.org", org);
});
afterAll(async () => {
  await h?.close();
});

/** Every field of an entry's form, from the form itself. */
function fields(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of text.matchAll(/<input id="([a-z_]+)" name="[a-z_]+"(?: type="[a-z]+")? value="([^"]*)"/g)) out[m[1]!] = m[2]!;
  for (const m of text.matchAll(/<textarea id="([a-z_]+)"[^>]*>([^<]*)<\/textarea>/g)) out[m[1]!] = m[2]!;
  return out;
}

describe("the directory in the panel", () => {
  it("is for admins only; national emergency numbers cannot be changed there", async () => {
    expect((await kf.get("/admin/directory")).status).toBe(403);
    expect((await kf.post("/admin/directory/wijkteam", { name: "x" })).status).toBe(403);
    const list = await admin.get("/admin/directory");
    expect(list.status).toBe(200);
    expect(list.text).toContain("Landelijk nummer");
    expect((await admin.get("/admin/directory/veilig-thuis")).status).toBe(404);
    expect((await admin.post("/admin/directory/alarm-112", { name: "x", what_nl: "x" })).status).toBe(404);
  });

  it("replaces example data with checked details, which the chat shows at once and keeps after a restart", async () => {
    const form = await admin.get("/admin/directory/wijkteam");
    expect(form.status).toBe(200);
    const values = fields(form.text);
    expect(values.what_nl!.length).toBeGreaterThan(5);
    const bad = await admin.post("/admin/directory/wijkteam", { ...values, phone: "call us!", what_nl: "" });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain("Een telefoonnummer bestaat uit cijfers");
    expect(bad.text).toContain("De Nederlandse beschrijving is verplicht");
    const saved = await admin.post("/admin/directory/wijkteam", { ...values, phone: "013 542 88 00", when_nl: "Ma–vr 9:00–17:00, inloop di 10:00", languages: ["nl", "tr"] });
    expect(saved.status).toBe(303);
    expect((await admin.get(saved.location!)).text).toContain("013 542 88 00");

    const resident = new WhatsAppResident(h.url, h.whatsapp, "31655511111", h.naast);
    await resident.say("hallo");
    await resident.tap("c|onboarding|ask-language|nl");
    await resident.tap("c|onboarding|about|korvel");
    const card = (await resident.tap("c|menu|main|other")).map((m) => m.text).join("\n");
    expect(card).toContain("📞 013 542 88 00");
    expect(card).toContain("Ma–vr 9:00–17:00, inloop di 10:00");
    expect(card).toContain("🗣 Nederlands, Türkçe");
    expect(card).not.toContain("voorbeeld"); // checked now: no example warning

    const row = await h.db.prisma.directoryOverride.findUniqueOrThrow({ where: { id: "wijkteam" } });
    expect(row).toMatchObject({ phone: "013 542 88 00", example: false });
    // Another process on the same database (or this one after a restart) starts with the correction.
    const again = await createNaast(h.config, createLogger("silent"), { database: h.db, workers: false });
    try {
      expect(again.content.directory.get("wijkteam")).toMatchObject({ phone: "013 542 88 00", example: false, languages: ["nl", "tr"] });
      expect(again.content.translator.t("nl", "directory:wijkteam.when")).toBe("Ma–vr 9:00–17:00, inloop di 10:00");
    } finally {
      await again.close();
    }
  });
});
