import { EventEmitter } from "node:events";
import type { Cipher } from "../../crypto/cipher.js";
import type { Pseudonymizer } from "../../crypto/pseudonymizer.js";
import type { WebMailboxStore } from "../../storage/web-mailbox-store.js";
import type { RenderedMessage } from "../rendered-message.js";
import type { ChannelSender, SendResult } from "../send-result.js";

/** The web chat's "platform": a mailbox in our database that the page long-polls. */
export class WebSender implements ChannelSender {
  readonly channel = "web" as const;
  /** Emits the pseudonym when its mailbox gets mail, to wake long polls in this process. */
  readonly arrivals = new EventEmitter().setMaxListeners(0);

  constructor(
    private readonly mailbox: WebMailboxStore,
    private readonly cipher: Cipher,
    private readonly pseudonymizer: Pseudonymizer,
  ) {}

  async send(address: string, message: RenderedMessage): Promise<SendResult> {
    const pseudonym = this.pseudonymizer.pseudonym("web", address);
    const seq = await this.mailbox.append(pseudonym, this.cipher.encryptJson(message));
    this.arrivals.emit(pseudonym);
    return { ok: true, platformMessageId: `web-${seq}` };
  }
}
