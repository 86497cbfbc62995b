import { once } from "node:events";
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";

/** One e-mail the catcher accepted: envelope and the raw message (headers and body). */
export type CaughtMail = { from: string; to: string[]; raw: string };

/**
 * A real SMTP server on 127.0.0.1 (smtp-server, in-process) that keeps every message it accepts, so tests
 * see exactly what Naast's SMTP client sent. No TLS, no login; `refuseNext` answers the next messages with
 * an SMTP error code (550: refused for good, 451: try again later).
 */
export class SmtpCatcher {
  readonly mails: CaughtMail[] = [];
  readonly #refusals: number[] = [];
  #server?: SMTPServer;
  port = 0;

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  refuseNext(n: number, code: number): void {
    for (let i = 0; i < n; i++) this.#refusals.push(code);
  }

  async start(): Promise<this> {
    this.#server = new SMTPServer({
      authOptional: true,
      disabledCommands: ["STARTTLS", "AUTH"],
      logger: false,
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on("data", (c: Buffer) => chunks.push(c));
        stream.on("end", () => {
          const code = this.#refusals.shift();
          if (code) return callback(Object.assign(new Error(code >= 500 ? "mailbox unavailable" : "try again later"), { responseCode: code }));
          const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : "";
          this.mails.push({ from, to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString("utf8") });
          callback();
        });
      },
    });
    this.#server.listen(0, "127.0.0.1");
    await once(this.#server.server, "listening");
    this.port = (this.#server.server.address() as AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.#server?.close(() => resolve()));
  }

  /** Waits until `n` messages have arrived. */
  async waitFor(n: number, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.mails.length < n) {
      if (Date.now() > deadline) throw new Error(`smtp catcher: ${this.mails.length} of ${n} messages within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}
