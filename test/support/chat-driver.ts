import type { PrismaClient } from "../../src/generated/prisma/client.js";
import type { FakeTelegram, FakeWhatsApp, Recorded } from "./fake-platform.js";
import { postTelegram, postWhatsApp, tgTap, tgText, waButton, waText } from "./payloads.js";

/**
 * Waits until the replies to one message have all been sent: nothing waiting in the database (when given)
 * and no new request for a moment. With BullMQ a reply may wait for the one before it, so a quiet moment
 * alone is not enough.
 */
async function settle(count: () => number, db: PrismaClient | undefined): Promise<void> {
  const deadline = Date.now() + 15_000;
  let last = count();
  for (;;) {
    await new Promise((r) => setTimeout(r, 150));
    const waiting = db ? await db.outboundMessage.count({ where: { status: { in: ["pending", "sending"] } } }) : 0;
    if (count() === last && waiting === 0) return;
    if (Date.now() > deadline) {
      const rows = db ? await db.outboundMessage.findMany({ where: { status: { in: ["pending", "sending"] } }, select: { id: true, kind: true, status: true, channel: true, attempts: true, errorReason: true } }) : [];
      throw new Error(`replies still on their way after 15 s: ${JSON.stringify(rows)}`);
    }
    last = count();
  }
}

/** One WhatsApp message as a resident sees it: its text, and the ids of its buttons or list rows. */
export type Seen = { text: string; ids: string[]; titles: string[]; template?: { name: string; language: string; params: string[] } };

/** What a sent Cloud API body shows the resident. */
export function seen(r: Recorded): Seen {
  const b = r.body as {
    type: string;
    text?: { body: string };
    interactive?: { body: { text: string }; action: { buttons?: { reply: { id: string; title: string } }[]; sections?: { rows: { id: string; title: string }[] }[] } };
    template?: { name: string; language: { code: string }; components: { parameters: { text: string }[] }[] };
  };
  if (b.type === "template" && b.template) {
    return { text: "", ids: [], titles: [], template: { name: b.template.name, language: b.template.language.code, params: b.template.components[0]?.parameters.map((p) => p.text) ?? [] } };
  }
  if (b.type === "interactive" && b.interactive) {
    const opts = b.interactive.action.buttons?.map((x) => x.reply) ?? b.interactive.action.sections?.[0]?.rows ?? [];
    return { text: b.interactive.body.text, ids: opts.map((o) => o.id), titles: opts.map((o) => o.title) };
  }
  return { text: b.text?.body ?? "", ids: [], titles: [] };
}

/**
 * A resident on WhatsApp, talking to Naast through its webhook: each call sends one message and
 * returns the replies, waiting until no more arrive for a moment.
 */
export class WhatsAppResident {
  #n = 0;
  constructor(
    private readonly url: string,
    private readonly fake: FakeWhatsApp,
    readonly phone: string,
    private readonly db?: PrismaClient,
  ) {}

  sent(): Recorded[] {
    return this.fake.messages().filter((r) => r.body.to === this.phone);
  }

  async #exchange(body: unknown): Promise<Seen[]> {
    const before = this.sent().length;
    const res = await postWhatsApp(this.url, body);
    if (res.status !== 200) throw new Error(`webhook answered ${res.status}`);
    await this.fake.waitFor(() => this.sent().length > before);
    await settle(() => this.sent().length, this.db);
    return this.sent().slice(before).map(seen);
  }

  say(text: string): Promise<Seen[]> {
    return this.#exchange(waText(this.phone, `wamid.${this.phone}.${++this.#n}`, text));
  }

  tap(payload: string): Promise<Seen[]> {
    return this.#exchange(waButton(this.phone, `wamid.${this.phone}.${++this.#n}`, payload));
  }
}

/** What a sent Bot API sendMessage shows the resident: its text, and the callback data of its buttons. */
export function seenTelegram(r: Recorded): Seen {
  const markup = r.body.reply_markup as { inline_keyboard?: { text: string; callback_data: string }[][] } | undefined;
  const buttons = markup?.inline_keyboard?.flat() ?? [];
  return { text: String(r.body.text ?? ""), ids: buttons.map((b) => b.callback_data), titles: buttons.map((b) => b.text) };
}

/** A resident on Telegram, through the webhook; like {@link WhatsAppResident}. */
export class TelegramResident {
  #update = 0;
  constructor(
    private readonly url: string,
    private readonly fake: FakeTelegram,
    readonly userId: number,
    private readonly languageCode = "nl",
    private readonly db?: PrismaClient,
  ) {
    this.#update = userId * 1000;
  }

  sent(): Recorded[] {
    return this.fake.calls("sendMessage").filter((c) => Number(c.body.chat_id) === this.userId);
  }

  async #exchange(body: unknown): Promise<Seen[]> {
    const before = this.sent().length;
    const res = await postTelegram(this.url, body);
    if (res.status !== 200) throw new Error(`webhook answered ${res.status}`);
    await this.fake.waitFor(() => this.sent().length > before);
    await settle(() => this.sent().length, this.db);
    return this.sent().slice(before).map(seenTelegram);
  }

  say(text: string): Promise<Seen[]> {
    return this.#exchange(tgText(++this.#update, this.userId, text, this.languageCode));
  }

  tap(data: string): Promise<Seen[]> {
    return this.#exchange(tgTap(++this.#update, this.userId, data));
  }
}
