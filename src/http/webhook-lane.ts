import type { IncomingHttpHeaders, IncomingMessage, RequestListener, ServerResponse } from "node:http";
import getRawBody from "raw-body";
import type { Channel } from "../channels/inbound-message.js";

/** What a webhook answers: a status, a small JSON body and any extra headers (`retry-after`). */
export type WebhookAnswer = { status: number; body: Record<string, unknown>; headers?: Record<string, string> };

/** A delivery as a lane sees it: the headers at once, the body (at most 1 MB) only when asked, so a secret can be checked first. */
export type WebhookRequest = { headers: IncomingHttpHeaders; body(): Promise<Buffer> };

/** A platform's `POST` webhook: the path it is configured at, and what it does with a delivery. */
export type WebhookLane = { channel: Channel; path: string; handle(req: WebhookRequest): Promise<WebhookAnswer> };

/** Largest webhook body read; a larger one is answered 413 (Meta's and Telegram's deliveries are a few KB). */
const BODY_LIMIT = "1mb";

/** What the lane needs around the lanes: where a delivery's outcome is counted, and how a failure is answered. */
export type WebhookListenerOptions = {
  answered(channel: Channel, status: number): void;
  /** The answer for an unexpected failure (the database away is 503, anything else 500 and logged). */
  failed(err: unknown): Promise<WebhookAnswer>;
};

/**
 * Serves the platforms' webhook POSTs straight from Node's HTTP server and hands every other request to
 * `fallback` (the express app). A webhook is called by a platform's servers only, thousands of times a minute
 * when a broadcast is answered: express's router, request decoration and body parser cost it more than the
 * checks and the durable insert together (bench (a)), and none of the browser headers apply to it.
 */
export function webhookListener(lanes: readonly WebhookLane[], fallback: RequestListener, opts: WebhookListenerOptions): RequestListener {
  const byPath = new Map(lanes.map((l) => [l.path, l]));
  return (req, res) => {
    const lane = req.method === "POST" ? byPath.get(pathOf(req.url)) : undefined;
    if (!lane) {
      fallback(req, res);
      return;
    }
    void serve(lane, req, res, opts);
  };
}

function pathOf(url: string | undefined): string {
  if (!url) return "";
  const q = url.indexOf("?");
  return q === -1 ? url : url.slice(0, q);
}

async function serve(lane: WebhookLane, req: IncomingMessage, res: ServerResponse, opts: WebhookListenerOptions): Promise<void> {
  let answer: WebhookAnswer;
  try {
    answer = await lane.handle({ headers: req.headers, body: () => getRawBody(req, { limit: BODY_LIMIT, length: req.headers["content-length"] }) });
  } catch (err) {
    answer = clientErrorAnswer(err) ?? (await opts.failed(err));
  }
  opts.answered(lane.channel, answer.status);
  const text = JSON.stringify(answer.body);
  res.writeHead(answer.status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(text),
    "x-content-type-options": "nosniff",
    ...answer.headers,
  });
  res.end(text);
}

/**
 * The answer to a request the client got wrong, when the error carries a 4xx (a body reader's 413 too large or 400
 * aborted, express's 400 for malformed JSON): its status and what was wrong, never a stack trace. Anything else is
 * not the client's doing (undefined).
 */
export function clientErrorAnswer(err: unknown): WebhookAnswer | undefined {
  if (typeof err !== "object" || err === null || !("status" in err) || typeof err.status !== "number") return undefined;
  if (err.status < 400 || err.status >= 500) return undefined;
  return { status: err.status, body: { error: "bad request", detail: err instanceof Error ? err.message : undefined } };
}
