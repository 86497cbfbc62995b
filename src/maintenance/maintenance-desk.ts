import type { InboundMessage } from "../channels/inbound-message.js";
import type { RenderedMessage } from "../channels/rendered-message.js";
import type { ChannelSender } from "../channels/send-result.js";
import { LANGUAGES, languageFromTag, RTL_LANGUAGES, type Language } from "../content/vocabulary.js";
import type { Pseudonymizer } from "../crypto/pseudonymizer.js";
import type { Translator } from "../i18n/translator.js";
import type { Logger } from "../logger.js";
import type { IngestGuard } from "../queues/ingest.js";
import type { LanguageMemory } from "./language-memory.js";

/** The i18n key of the note (locales/<language>/maintenance.json). */
export const MAINTENANCE_KEY = "maintenance:offline";

/**
 * Messages cannot be stored now (the database is away, or planned maintenance is on). Answered with
 * 503 and Retry-After, so Telegram and WhatsApp deliver the message again later (their ids make the
 * redelivery harmless); `notice` is what the resident was told, for the web chat to show.
 */
export class ServiceUnavailableError extends Error {
  override name = "ServiceUnavailableError";
  readonly status = 503;
  constructor(
    readonly reason: "maintenance" | "database",
    readonly notice: RenderedMessage,
  ) {
    super(reason === "maintenance" ? "Naast is in maintenance mode" : "the database is not reachable");
  }
}

/** How a maintenance note was, or was not, delivered. */
type Told = "sent" | "recently" | "by-response" | "in-doubt" | "failed";

/**
 * Answers residents kindly while their messages cannot be stored: "Naast is even offline, bel bij
 * nood 112", in their language where it is known (what this process last wrote to them in, else the
 * platform's language tag), else all six short lines. Sent straight to the platform, not through the
 * outbox (which is in the database); at most once per resident per `cooldownMs`, because platforms
 * redeliver every few minutes. The web chat gets the note in the HTTP answer instead.
 */
export class MaintenanceDesk implements IngestGuard {
  readonly #lastTold = new Map<string, number>();
  #probe: { at: number; up: Promise<boolean> } | undefined;

  constructor(
    private readonly opts: {
      translator: Translator;
      /** Platform senders (Telegram, WhatsApp); the web chat is answered in the response. */
      senders: ReadonlyMap<string, ChannelSender>;
      pseudonymizer: Pseudonymizer;
      languages: LanguageMemory;
      /** Planned maintenance (MAINTENANCE_MODE): store nothing, answer everyone. */
      planned: boolean;
      /** Resolves when the database answers; rejects or hangs when it is away. */
      ping: () => Promise<void>;
      log: Logger;
      onReply?: (channel: InboundMessage["channel"]) => void;
      /** One note per resident per this long (ms; default 15 minutes). */
      cooldownMs?: number;
      clock?: () => number;
    },
  ) {}

  /** The note in `language`, or one short line in each language when it is not known. */
  note(language: Language | undefined): RenderedMessage {
    const t = (l: Language) => this.opts.translator.t(l, MAINTENANCE_KEY);
    if (language) return { language, rtl: RTL_LANGUAGES.has(language), text: t(language), choices: [], offset: 0 };
    return { language: LANGUAGES[0], rtl: false, text: LANGUAGES.map(t).join("\n"), choices: [], offset: 0 };
  }

  /** The resident's language as far as this process knows it without the database. */
  languageOf(message: InboundMessage): Language | undefined {
    return this.opts.languages.recall(message.channel, message.platformUserId) ?? languageFromTag(message.languageHint);
  }

  /** Whether the database answers (cached for 5 s, so a burst of deliveries costs one ping). */
  async databaseUp(): Promise<boolean> {
    const now = this.#now();
    if (!this.#probe || now - this.#probe.at > 5_000) {
      const ping = this.opts.ping().then(
        () => true,
        () => false,
      );
      const timeout = new Promise<boolean>((resolve) => {
        const timer: NodeJS.Timeout = setTimeout(() => resolve(false), 2_000);
        timer.unref();
      });
      this.#probe = { at: now, up: Promise.race([ping, timeout]) };
    }
    return this.#probe.up;
  }

  /** Planned maintenance: nothing is stored; everyone who writes is answered. */
  async before(messages: readonly InboundMessage[]): Promise<void> {
    if (this.opts.planned) throw await this.#refuse("maintenance", messages);
  }

  /** Storing failed: if the database is away, answer and refuse; any other failure is left as it is. */
  async failed(messages: readonly InboundMessage[]): Promise<void> {
    this.#probe = undefined; // a failure is news: ask the database again
    if (!(await this.databaseUp())) throw await this.#refuse("database", messages);
  }

  async #refuse(reason: "maintenance" | "database", messages: readonly InboundMessage[]): Promise<ServiceUnavailableError> {
    const told = await Promise.all(messages.map((m) => this.#tell(m)));
    const first = messages[0];
    this.opts.log.warn({ reason, messages: messages.length, told: told.join(",") }, "message not stored: residents told Naast is offline");
    return new ServiceUnavailableError(reason, this.note(first ? this.languageOf(first) : undefined));
  }

  async #tell(message: InboundMessage): Promise<Told> {
    if (message.channel === "web") {
      this.opts.onReply?.("web");
      return "by-response";
    }
    const sender = this.opts.senders.get(message.channel);
    if (!sender) return "failed";
    const key = this.opts.pseudonymizer.pseudonym(message.channel, message.platformUserId);
    const now = this.#now();
    const last = this.#lastTold.get(key);
    if (last !== undefined && now - last < (this.opts.cooldownMs ?? 15 * 60_000)) return "recently";
    this.#lastTold.set(key, now);
    if (this.#lastTold.size > 10_000) this.#forgetOld(now);
    const result = await sender.send(message.address, this.note(this.languageOf(message))).catch(() => undefined);
    if (result?.ok) {
      this.opts.onReply?.(message.channel);
      return "sent";
    }
    // A note that may have arrived (the answer was lost or late) counts as told: the platform's redelivery of
    // the same message must not make a second copy. Only a note that certainly did not go is tried again.
    if (result?.kind === "in_doubt") return "in-doubt";
    this.#lastTold.delete(key);
    return "failed";
  }

  #forgetOld(now: number): void {
    const cooldown = this.opts.cooldownMs ?? 15 * 60_000;
    for (const [key, at] of this.#lastTold) if (now - at >= cooldown) this.#lastTold.delete(key);
  }

  #now(): number {
    return this.opts.clock?.() ?? Date.now();
  }
}
