import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signWhatsAppBody } from "../../src/channels/whatsapp/whatsapp-signature.js";
import { startHarness, TG_SECRET, WA, type Harness } from "../support/harness.js";
import { PanelClient } from "../support/panel-client.js";
import { signUp, type Staff } from "./panel-helpers.js";

/**
 * Property-based fuzzing of everything that takes input from outside: both webhooks, the web chat API and
 * the panel's forms. Bounded and seeded (the same inputs every run, well under a minute), it asserts that
 * nothing answers 5xx, the process keeps answering, and nothing is stored without a valid signature.
 */
const SEED = 20_261_203;
const RUNS = Number(process.env.NAAST_FUZZ_RUNS ?? 60);
const opts = { seed: SEED, numRuns: RUNS, endOnFailure: true } as const;

let h: Harness;
let admin: Staff;
beforeAll(async () => {
  h = await startHarness({ WEB_CHAT_MESSAGES_PER_MINUTE: "100000", WEB_CHAT_SESSIONS_PER_MINUTE: "100000", WEB_CHAT_REQUESTS_PER_MINUTE: "100000" });
  admin = await signUp(h, "admin", "fuzz-admin@example.org");
});
afterAll(async () => {
  await h?.close();
});

/** Strings that tend to break things: prototype keys, unicode, huge and empty values, SQL and HTML. */
const nasty = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.constantFrom("__proto__", "constructor", "toString", "hasOwnProperty", "valueOf", "", " ", "%ZZ", "%", "\u0000", "'; DROP TABLE resident; --", "<script>alert(1)</script>", "😀".repeat(50), "9".repeat(400), "-1", "1e309", "NaN", "null", "[object Object]"),
  fc.string({ unit: "grapheme", maxLength: 30 }),
);
const scalar = fc.oneof(nasty, fc.integer(), fc.double(), fc.boolean(), fc.constant(null));
const json = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: "small" }, scalar, fc.array(tie("value"), { maxLength: 4 }), fc.dictionary(nasty, tie("value"), { maxKeys: 5 })),
})).value;

/** WhatsApp notifications: mostly well-formed, with any field replaced by something odd. */
const waMessage = fc.record({
  from: fc.oneof(fc.stringMatching(/^[0-9]{8,15}$/), nasty),
  id: fc.oneof(fc.stringMatching(/^wamid\.[A-Za-z0-9]{10,40}$/), nasty),
  timestamp: fc.oneof(fc.integer({ min: 0, max: 2_000_000_000 }).map(String), nasty, fc.integer()),
  type: fc.constantFrom("text", "interactive", "button", "image", "reaction", "unknown", "__proto__"),
  text: fc.oneof(fc.record({ body: nasty }), json),
  interactive: fc.oneof(fc.record({ type: fc.constantFrom("button_reply", "list_reply"), button_reply: fc.record({ id: nasty, title: nasty }) }), json),
});
const waStatus = fc.record({ id: nasty, status: fc.oneof(fc.constantFrom("sent", "delivered", "read", "failed"), nasty), timestamp: fc.oneof(fc.integer({ min: 0 }).map(String), nasty), errors: fc.oneof(fc.constant(undefined), fc.array(fc.record({ code: fc.oneof(fc.integer(), nasty) }), { maxLength: 2 })) });
const waBody = fc.oneof(
  json,
  fc.record({
    object: fc.oneof(fc.constant("whatsapp_business_account"), nasty),
    entry: fc.array(fc.record({ id: nasty, changes: fc.array(fc.record({ field: fc.oneof(fc.constant("messages"), nasty), value: fc.record({ metadata: fc.record({ phone_number_id: fc.oneof(fc.constant(WA.phoneNumberId), nasty) }), messages: fc.array(waMessage, { maxLength: 3 }), statuses: fc.array(waStatus, { maxLength: 3 }) }) }), { maxLength: 2 }) }), { maxLength: 2 }),
  }),
);

/** Telegram updates: a message or a tap, with odd values anywhere. */
const tgUser = fc.record({ id: fc.oneof(fc.integer(), fc.double(), nasty), is_bot: fc.oneof(fc.boolean(), nasty), language_code: fc.oneof(fc.constantFrom("nl", "ar"), nasty) });
const tgBody = fc.oneof(
  json,
  fc.record({
    update_id: fc.oneof(fc.integer({ min: 0 }), fc.double(), nasty),
    message: fc.record({ message_id: fc.oneof(fc.integer(), nasty), date: fc.oneof(fc.integer({ min: 0 }), fc.double(), nasty), chat: fc.record({ id: fc.oneof(fc.integer(), nasty), type: fc.constantFrom("private", "group", "__proto__") }), from: tgUser, text: nasty }),
  }),
  fc.record({ update_id: fc.integer({ min: 0 }), callback_query: fc.record({ id: nasty, from: tgUser, data: nasty, message: fc.record({ message_id: fc.integer(), date: fc.integer({ min: 0 }), chat: fc.record({ id: fc.integer(), type: fc.constant("private") }) }) }) }),
);

const count = () => h.db.prisma.inboundMessage.count();
const alive = async () => expect((await fetch(`${h.url}/healthz`)).status).toBe(200);

describe("fuzzing the doors (seeded, bounded)", () => {
  it("WhatsApp webhook: no 5xx; nothing stored without a valid signature", { timeout: 60_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(waBody, fc.constantFrom("valid", "none", "wrong", "padded"), async (body, sig) => {
        const raw = JSON.stringify(body) ?? "null";
        const valid = signWhatsAppBody(raw, WA.appSecret);
        const header = sig === "valid" ? valid : sig === "wrong" ? signWhatsAppBody(`${raw} `, WA.appSecret) : sig === "padded" ? `${valid}zz` : undefined;
        const before = await count();
        const r = await fetch(`${h.url}/webhooks/whatsapp`, { method: "POST", headers: { "content-type": "application/json", ...(header ? { "x-hub-signature-256": header } : {}) }, body: raw });
        expect(r.status).toBeLessThan(500);
        if (sig !== "valid") {
          expect(r.status).toBe(401);
          expect(await count()).toBe(before);
        }
      }),
      opts,
    );
    await alive();
  });

  it("Telegram webhook: no 5xx; nothing stored without the secret", { timeout: 60_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(tgBody, fc.constantFrom(TG_SECRET, "", "wrong", null), async (body, secret) => {
        const before = await count();
        const r = await fetch(`${h.url}/webhooks/telegram`, { method: "POST", headers: { "content-type": "application/json", ...(secret !== null ? { "x-telegram-bot-api-secret-token": secret } : {}) }, body: JSON.stringify(body) ?? "null" });
        expect(r.status).toBeLessThan(500);
        if (secret !== TG_SECRET) {
          expect(r.status).toBe(401);
          expect(await count()).toBe(before);
        }
      }),
      opts,
    );
    await alive();
  });

  it("web chat API: no 5xx, and nothing stored for a token the server did not issue", { timeout: 60_000 }, async () => {
    const issued = h.naast.webTokens.issue();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom("POST /chat/api/messages", "GET /chat/api/messages", "POST /chat/api/sessions", "POST /chat/api/erase", "GET /chat"),
        fc.oneof(fc.constant(`Bearer ${issued}`), nasty.map((t) => `Bearer ${t}`), nasty, fc.constant(undefined)),
        fc.oneof(json, fc.record({ id: fc.oneof(fc.uuid(), nasty), text: nasty }), fc.record({ id: fc.uuid(), choice: nasty }), fc.record({ id: fc.uuid(), start: fc.oneof(fc.constant(true), scalar) })),
        fc.record({ after: nasty, wait: fc.oneof(nasty, fc.constantFrom("0", "0.1", "-5", "1e9")) }),
        async (route, auth, body, query) => {
          const [method, path] = route.split(" ") as [string, string];
          const before = await count();
          const qs = method === "GET" ? `?${new URLSearchParams({ after: query.after, wait: query.wait.startsWith("1e") ? "0" : query.wait })}` : "";
          const r = await fetch(`${h.url}${path}${qs}`, {
            method,
            headers: { "content-type": "application/json", ...(auth ? { authorization: auth.replace(/[\r\n\u0000-\u001f\u007f-\uffff]/g, "") } : {}) },
            ...(method === "POST" ? { body: JSON.stringify(body) ?? "null" } : {}),
            signal: AbortSignal.timeout(5_000),
          });
          expect(r.status).toBeLessThan(500);
          if (auth !== `Bearer ${issued}` && path !== "/chat/api/sessions") expect(await count()).toBe(before);
          await r.arrayBuffer();
        },
      ),
      { ...opts, numRuns: RUNS * 2 },
    );
    await alive();
  });

  it("panel forms: no 5xx, signed in or not, with or without the CSRF token", { timeout: 60_000 }, async () => {
    const anon = new PanelClient(h.url);
    await anon.get("/admin/login");
    const pro = await h.db.prisma.professional.findFirstOrThrow();
    const paths = [
      "/admin/login", "/admin/login/code", "/admin/2fa/setup", "/admin/invite/abc", "/admin/people/invite", `/admin/people/${admin.userId}/role`, `/admin/people/${admin.userId}/reset-2fa`,
      "/admin/people/not-a-uuid/role", "/admin/organisations", "/admin/organisations/x/approval", "/admin/professionals/new", `/admin/professionals/${pro.id}`, `/admin/professionals/${pro.id}/reassign`,
      "/admin/activities/new", "/admin/chat-link", "/admin/directory/wijkteam", "/admin/handoffs/x/message",
    ];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...paths), fc.dictionary(fc.oneof(nasty, fc.constantFrom("email", "password", "code", "role", "organisationId", "name", "topics", "staffUserId", "to", "kind")), fc.oneof(nasty, fc.array(nasty, { maxLength: 3 })), { maxKeys: 8 }), fc.boolean(), fc.boolean(), async (path, fields, signedIn, withCsrf) => {
        const client = signedIn ? admin.client : anon;
        const r = await client.post(path, fields, withCsrf ? client.csrf() : null);
        expect(r.status, `${path} ${JSON.stringify(fields)}`).toBeLessThan(500);
        // A cookie header the browser would never send.
        const g = await fetch(`${h.url}${path}`, { headers: { cookie: `naast_lang=${encodeURIComponent(Object.keys(fields)[0] ?? "")}; naast_admin=%ZZ; ${Object.keys(fields).map((k) => `${encodeURIComponent(k)}=1`).join("; ")}` } });
        expect(g.status).toBeLessThan(500);
      }),
      opts,
    );
    // The admin was never signed out by the noise above, and the process still answers.
    expect((await admin.client.get("/admin")).status).toBe(200);
    await alive();
  });
});
