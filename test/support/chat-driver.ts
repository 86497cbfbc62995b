import type { FakeTelegram, FakeWhatsApp, Recorded } from "./fake-platform.js";
import { postTelegram, postWhatsApp, tgTap, tgText, waButton, waText } from "./payloads.js";

/** What a driver waits on: `naast.idle()`, which resolves once every message is handled and every reply sent. */
export type Idle = { idle(): Promise<void> };

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
 * returns the replies, once Naast is idle (the message handled, every reply sent).
 */
export class WhatsAppResident {
  #n = 0;
  constructor(
    private readonly url: string,
    private readonly fake: FakeWhatsApp,
    readonly phone: string,
    private readonly naast: Idle,
  ) {}

  sent(): Recorded[] {
    return this.fake.messages().filter((r) => r.body.to === this.phone);
  }

  async #exchange(body: unknown): Promise<Seen[]> {
    const before = this.sent().length;
    const res = await postWhatsApp(this.url, body);
    if (res.status !== 200) throw new Error(`webhook answered ${res.status}`);
    await this.naast.idle();
    await this.fake.waitFor(() => this.sent().length > before);
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
    private readonly languageCode: string,
    private readonly naast: Idle,
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
    await this.naast.idle();
    await this.fake.waitFor(() => this.sent().length > before);
    return this.sent().slice(before).map(seenTelegram);
  }

  say(text: string): Promise<Seen[]> {
    return this.#exchange(tgText(++this.#update, this.userId, text, this.languageCode));
  }

  tap(data: string): Promise<Seen[]> {
    return this.#exchange(tgTap(++this.#update, this.userId, data));
  }
}
