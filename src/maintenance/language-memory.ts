import type { ChannelSender } from "../channels/send-result.js";
import { isLanguage, type Language } from "../content/vocabulary.js";
import type { Pseudonymizer } from "../crypto/pseudonymizer.js";

/**
 * The language each resident was last written to in, kept in this process only, so that Naast can
 * still answer in it when the database (which holds it) is away. Keyed by pseudonym, never by
 * address; bounded, oldest forgotten first. Empty in a process that sends nothing (ROLE=web).
 */
export class LanguageMemory {
  readonly #byPseudonym = new Map<string, Language>();

  /** @param capacity residents remembered; ~100 bytes each. */
  constructor(
    private readonly pseudonymizer: Pseudonymizer,
    private readonly capacity = 50_000,
  ) {}

  remember(channel: string, address: string, language: string): void {
    if (!isLanguage(language)) return;
    const key = this.pseudonymizer.pseudonym(channel, address);
    this.#byPseudonym.delete(key);
    this.#byPseudonym.set(key, language);
    if (this.#byPseudonym.size > this.capacity) {
      const oldest = this.#byPseudonym.keys().next().value;
      if (oldest !== undefined) this.#byPseudonym.delete(oldest);
    }
  }

  recall(channel: string, platformUserId: string): Language | undefined {
    return this.#byPseudonym.get(this.pseudonymizer.pseudonym(channel, platformUserId));
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
