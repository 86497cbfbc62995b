import type { ChannelSender } from "../channels/send-result.js";
import { isLanguage, type Language } from "../content/vocabulary.js";
import type { Pseudonymizer } from "../crypto/pseudonymizer.js";

/**
 * The language each resident was last written to in, kept in this process only, so that Naast can
 * still answer in it when the database (which holds it) is away. Keyed by pseudonym, never by
 * address; bounded, oldest forgotten first. Empty in a process that sends nothing (ROLE=web).
 */
export class LanguageMemory {
  /**
   * Two generations: new entries go to `#current`; when it holds half the capacity it becomes `#previous` and the one
   * before is forgotten. Not one Map with its oldest key dropped each time: taking a Map's first key after deleting from
   * its front walks past every slot deleted since it last rehashed (14–20 µs a send once 50,000 residents were known).
   */
  #current = new Map<string, Language>();
  #previous = new Map<string, Language>();

  /** @param capacity residents remembered at most; ~100 bytes each. */
  constructor(
    private readonly pseudonymizer: Pseudonymizer,
    private readonly capacity = 50_000,
  ) {}

  remember(channel: string, address: string, language: string): void {
    if (!isLanguage(language)) return;
    const key = this.pseudonymizer.pseudonym(channel, address);
    this.#previous.delete(key);
    this.#current.set(key, language);
    if (this.#current.size >= Math.max(1, Math.floor(this.capacity / 2))) {
      this.#previous = this.#current;
      this.#current = new Map();
    }
  }

  recall(channel: string, platformUserId: string): Language | undefined {
    const key = this.pseudonymizer.pseudonym(channel, platformUserId);
    return this.#current.get(key) ?? this.#previous.get(key);
  }

  /** Residents remembered now. */
  get size(): number {
    return this.#current.size + this.#previous.size;
  }

  /** A sender that remembers the language of every message it delivers (the address is the platform's user id in a private chat). */
  wrap(sender: ChannelSender): ChannelSender {
    return {
      channel: sender.channel,
      send: async (address, message, ref) => {
        const result = await sender.send(address, message, ref);
        if (result.ok) this.remember(sender.channel, address, message.language);
        return result;
      },
      ...(sender.acknowledge ? { acknowledge: sender.acknowledge.bind(sender) } : {}),
    };
  }
}
