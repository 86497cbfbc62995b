import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHarness, type Harness } from "../support/harness.js";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

type Poll = { messages: { seq: string; text: string; rtl: boolean; language: string; choices: { payload: string; label: string }[]; safety: { payload: string } | null }[]; cursor: string };

async function session(): Promise<string> {
  const r = await fetch(`${h.url}/chat/api/sessions`, { method: "POST" });
  expect(r.status).toBe(201);
  return ((await r.json()) as { token: string }).token;
}
async function say(token: string, body: Record<string, unknown>, lang = "nl"): Promise<Response> {
  return fetch(`${h.url}/chat/api/messages`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}`, "accept-language": lang },
    body: JSON.stringify({ id: randomUUID(), ...body }),
  });
}
async function poll(token: string, after = "0"): Promise<Poll> {
  const r = await fetch(`${h.url}/chat/api/messages?after=${after}&wait=5`, { headers: { authorization: `Bearer ${token}` } });
  expect(r.status).toBe(200);
  return (await r.json()) as Poll;
}

describe("web chat", () => {
  it("serves the page with a quick-exit and an SOS button", async () => {
    const r = await fetch(`${h.url}/chat`);
    expect(r.status).toBe(200);
    expect(r.headers.get("cache-control")).toBe("no-store");
    const html = await r.text();
    expect(html).toContain('id="exit"');
    expect(html).toContain('id="sos"');
    const js = await (await fetch(`${h.url}/chat/assets/chat.js`)).text();
    expect(js).toContain("location.replace");
    expect(js).toContain("sessionStorage.clear");
  });

  it("serves the page's own words (✕, its menu, the placeholder) in all six languages, translated", async () => {
    const r = await fetch(`${h.url}/chat/api/texts`);
    expect(r.status).toBe(200);
    const texts = (await r.json()) as Record<string, Record<string, string | boolean>>;
    expect(Object.keys(texts).sort()).toEqual(["ar", "en", "nl", "pl", "tr", "uk"]);
    expect(texts.nl).toMatchObject({ exit: "✕ Weg", placeholder: "Typ hier…", rtl: false });
    expect(texts.en).toMatchObject({ exit: "✕ Leave", placeholder: "Type here…", erase_leave: "🗑 Erase and leave" });
    expect(texts.ar).toMatchObject({ rtl: true });
    for (const key of ["exit", "placeholder", "leave", "erase_leave", "exit_help", "send", "sos_label", "slow_down", "error"]) {
      // Each language its own words: none left in Dutch or English.
      for (const language of ["tr", "ar", "pl", "uk"]) {
        expect(texts[language]![key], `${language} ${key}`).not.toBe(texts.nl![key]);
        expect(texts[language]![key], `${language} ${key}`).not.toBe(texts.en![key]);
      }
    }
  });

  it("needs a token and a well-formed message", async () => {
    expect((await fetch(`${h.url}/chat/api/messages`, { method: "POST", body: "{}", headers: { "content-type": "application/json" } })).status).toBe(401);
    const t = await session();
    const bad = await fetch(`${h.url}/chat/api/messages`, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${t}` }, body: JSON.stringify({ text: "no id" }) });
    expect(bad.status).toBe(400);
    const broken = await fetch(`${h.url}/chat/api/messages`, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${t}` }, body: "{oops" });
    expect(broken.status).toBe(400);
  });

  it("chats: start, choose Arabic (right to left), and collect replies by long polling", async () => {
    const t = await session();
    expect((await say(t, { start: true }, "fr-FR")).status).toBe(202);
    const first = await poll(t);
    expect(first.messages[0]!.text).toContain("Kies je taal");
    const arabic = first.messages[0]!.choices.find((c) => c.label === "العربية")!;
    await say(t, { choice: arabic.payload });
    const second = await poll(t, first.cursor);
    expect(second.messages[0]!.rtl).toBe(true);
    expect(second.messages[0]!.language).toBe("ar");
    expect(second.messages[0]!.safety?.payload).toBe("g|emergency");
    // collected messages are deleted once the page asks for later ones
    await poll(t, second.cursor);
    const left = await h.db.prisma.webMailbox.count({ where: { pseudonym: h.naast.pseudonymizer.pseudonym("web", t) } });
    expect(left).toBe(0);
  });

  it("treats a retried message id as the same message", async () => {
    const t = await session();
    const id = randomUUID();
    const body = JSON.stringify({ id, text: "hallo" });
    const headers = { "content-type": "application/json", authorization: `Bearer ${t}` };
    const a = await (await fetch(`${h.url}/chat/api/messages`, { method: "POST", headers, body })).json();
    const b = await (await fetch(`${h.url}/chat/api/messages`, { method: "POST", headers, body })).json();
    expect(a).toEqual({ accepted: true, duplicate: false });
    expect(b).toEqual({ accepted: true, duplicate: true });
  });
});
