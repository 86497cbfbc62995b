import type { Transporter } from "nodemailer";
import { z } from "zod";

/** One plain-text e-mail to one staff member. */
export type OutgoingMail = { to: string; subject: string; text: string };

/** Why an e-mail did not go: `permanent` when the server refused it for good (a 5xx reply), else worth another try. */
export class MailError extends Error {
  override name = "MailError";
  constructor(
    message: string,
    readonly permanent: boolean,
  ) {
    super(message);
  }
}

/** Sends staff e-mail; {@link SmtpMailer} in production, anything with the same shape in a test. */
export interface Mailer {
  send(mail: OutgoingMail): Promise<void>;
  close(): void;
}

/** What nodemailer's errors carry that tells a refusal from a network problem. */
const smtpErrorSchema = z.object({ responseCode: z.number().optional(), code: z.string().optional(), message: z.string() });

/**
 * Staff e-mail over SMTP by nodemailer (`SMTP_URL`, `MAIL_FROM`). Only staff notices go this way, never
 * anything a resident wrote. A refusal (5xx) is permanent; a 4xx reply, a timeout or a dropped connection
 * is a {@link MailError} with `permanent: false`, so the notice is tried again later.
 */
export class SmtpMailer implements Mailer {
  /** nodemailer (2 MB of code) is loaded at the first e-mail, not at start: most notices go by panel and chat. */
  #transport: Promise<Transporter> | undefined;

  constructor(
    private readonly url: string,
    private readonly from: string,
  ) {}

  #open(): Promise<Transporter> {
    // Short timeouts: a sweep must not hang on a mail server (nodemailer's defaults are minutes).
    this.#transport ??= import("nodemailer").then((m) => m.createTransport({ url: this.url, connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 20_000 }));
    return this.#transport;
  }

  async send(mail: OutgoingMail): Promise<void> {
    try {
      await (await this.#open()).sendMail({ from: this.from, to: mail.to, subject: mail.subject, text: mail.text });
    } catch (err) {
      const e = smtpErrorSchema.safeParse(err);
      if (!e.success) throw new MailError(`smtp: ${String(err)}`, false);
      const code = e.data.responseCode;
      throw new MailError(`smtp${code ? ` ${code}` : ""}${e.data.code ? ` ${e.data.code}` : ""}: ${e.data.message.slice(0, 200)}`, code !== undefined && code >= 500);
    }
  }

  close(): void {
    void this.#transport?.then((t) => t.close(), () => undefined);
  }
}
