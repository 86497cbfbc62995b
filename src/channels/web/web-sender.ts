import type { Cipher } from "../../crypto/cipher.js";
import type { Pseudonymizer } from "../../crypto/pseudonymizer.js";
import type { WebMailboxStore } from "../../storage/web-mailbox-store.js";
import type { RenderedMessage } from "../rendered-message.js";
import type { ChannelSender, SendResult } from "../send-result.js";
import type { MailNotifier } from "./mail-notifier.js";

/** The web chat's "platform": a mailbox in our database that the page long-polls. */
export class WebSender implements ChannelSender {
  readonly channel = "web" as const;

  constructor(
    private readonly mailbox: WebMailboxStore,
    private readonly cipher: Cipher,
    private readonly pseudonymizer: Pseudonymizer,
    /** Wakes the long polls waiting for this resident, in this process or (with Redis) any. */
    private readonly notifier: MailNotifier,
  ) {}

  async send(address: string, message: RenderedMessage): Promise<SendResult> {
    const pseudonym = this.pseudonymizer.pseudonym("web", address);
    const seq = await this.mailbox.append(pseudonym, this.cipher.encryptJson(message));
    // The mail is stored: a notification that does not arrive only delays it to the poll's deadline.
    await this.notifier.notify(pseudonym).catch(() => undefined);
    return { ok: true, platformMessageId: `web-${seq}` };
  }
}
