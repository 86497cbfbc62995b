import { once } from "node:events";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";

/** One request a fake platform received. */
export type Recorded = { path: string; method: string; body: Record<string, unknown>; at: number; headers: Record<string, string | string[] | undefined>; response?: unknown };

/** A canned answer: HTTP status and JSON body. */
export type Canned = { status: number; body: unknown };

/**
 * Base of the fake remote platforms: a real HTTP server on 127.0.0.1 that records every request
 * and answers like the platform, or with queued failures.
 */
export abstract class FakePlatform {
  readonly requests: Recorded[] = [];
  readonly #failures: (Canned | "drop")[] = [];
  #server?: Server;
  url = "";

  protected abstract answer(req: Recorded): Canned;

  /** The next `n` requests get this answer instead (a 429, a 403, a 500...). */
  failNext(n: number, canned: Canned): void {
    for (let i = 0; i < n; i++) this.#failures.push(canned);
  }

  /**
   * The next `n` requests are received and recorded (as the platform would act on them) but their
   * connection is reset before any answer: the sender cannot know whether they arrived.
   */
  dropNext(n: number): void {
    for (let i = 0; i < n; i++) this.#failures.push("drop");
  }

  async start(): Promise<this> {
    const app = express();
    app.use(express.json({ limit: "5mb" }));
    app.use((req, res) => {
      const rec: Recorded = { path: req.path, method: req.method, body: (req.body ?? {}) as Record<string, unknown>, at: Date.now(), headers: req.headers };
      this.requests.push(rec);
      const failure = this.#failures.shift();
      if (failure === "drop") {
        this.answer(rec); // the platform did its work; only the answer is lost
        req.socket.destroy();
        return;
      }
      const canned = failure ?? this.answer(rec);
      rec.response = canned.body;
      res.status(canned.status).json(canned.body);
    });
    this.#server = createServer(app);
    this.#server.keepAliveTimeout = 1000;
    this.#server.listen(0, "127.0.0.1");
    await once(this.#server, "listening");
    this.url = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    this.#server?.closeAllConnections();
    await new Promise((r) => this.#server?.close(r));
  }

  /** Waits until `predicate` holds for the recorded requests. */
  async waitFor(predicate: (requests: Recorded[]) => boolean, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate(this.requests)) {
      if (Date.now() > deadline) {
        throw new Error(`fake platform: condition not met within ${timeoutMs} ms; ${this.requests.length} requests: ${this.requests.map((r) => r.path).join(", ")}`);
      }
      await new Promise((r) => setTimeout(r, 10));
    }
  }
}

/** The Telegram Bot API at `${url}/bot<token>/<method>`. */
export class FakeTelegram extends FakePlatform {
  #messageId = 100;
  /** Updates handed out by the next getUpdates calls (long polling). */
  readonly pendingUpdates: Record<string, unknown>[] = [];

  /** Requests for one Bot API method. */
  calls(method: string): Recorded[] {
    return this.requests.filter((r) => r.path.endsWith(`/${method}`));
  }

  protected answer(req: Recorded): Canned {
    const method = req.path.split("/").at(-1);
    switch (method) {
      case "getMe":
        return { status: 200, body: { ok: true, result: { id: 42, is_bot: true, first_name: "Naast", username: "naast_test_bot" } } };
      case "sendMessage":
        return {
          status: 200,
          body: { ok: true, result: { message_id: ++this.#messageId, date: Math.floor(Date.now() / 1000), chat: { id: Number(req.body.chat_id), type: "private" }, text: req.body.text } },
        };
      case "answerCallbackQuery":
      case "deleteWebhook":
      case "setWebhook":
      case "setMyCommands":
        return { status: 200, body: { ok: true, result: true } };
      case "getUpdates": {
        const offset = Number(req.body.offset ?? 0);
        const ready = this.pendingUpdates.filter((u) => Number(u.update_id) >= offset);
        return { status: 200, body: { ok: true, result: ready } };
      }
      default:
        return { status: 404, body: { ok: false, error_code: 404, description: "Not Found: method not found" } };
    }
  }
}

/** The WhatsApp Cloud API at `${url}/<phone-number-id>/messages`. */
export class FakeWhatsApp extends FakePlatform {
  #n = 0;

  messages(): Recorded[] {
    return this.requests.filter((r) => r.path.endsWith("/messages"));
  }

  protected answer(req: Recorded): Canned {
    if (!req.path.endsWith("/messages")) return { status: 400, body: { error: { message: "Unsupported request", code: 100 } } };
    const to = String(req.body.to);
    return {
      status: 200,
      body: { messaging_product: "whatsapp", contacts: [{ input: to, wa_id: to }], messages: [{ id: `wamid.FAKE${String(++this.#n).padStart(8, "0")}` }] },
    };
  }
}

/** A Graph API error body as Meta sends it. */
export function graphError(code: number, message: string, status = 400): Canned {
  return { status, body: { error: { message: `(#${code}) ${message}`, type: "OAuthException", code, error_data: { messaging_product: "whatsapp", details: message }, fbtrace_id: "AbCdEf" } } };
}

/** A Bot API error body as Telegram sends it. */
export function botApiError(code: number, description: string, retryAfter?: number): Canned {
  return { status: code, body: { ok: false, error_code: code, description, ...(retryAfter ? { parameters: { retry_after: retryAfter } } : {}) } };
}

/** The message id the fake Graph API answered a recorded send with (what status callbacks name). */
export function sentWamid(r: Recorded): string {
  const body = r.response;
  const messages = typeof body === "object" && body !== null && "messages" in body && Array.isArray(body.messages) ? body.messages : [];
  const first: unknown = messages[0];
  if (typeof first === "object" && first !== null && "id" in first && typeof first.id === "string") return first.id;
  throw new Error("that request was not answered with a message id");
}
