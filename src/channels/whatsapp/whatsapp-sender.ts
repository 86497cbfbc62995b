import { request } from "undici";
import type { RenderedMessage } from "../rendered-message.js";
import type { ChannelSender, SendRef, SendResult } from "../send-result.js";
import { classifyNetworkFailure } from "../network-failure.js";
import { graphErrorSchema } from "./whatsapp-payload-schema.js";
import { renderWhatsApp } from "./whatsapp-render.js";

/** Graph error codes that mean "slow down", with how long to wait (ms). */
const THROTTLE_WAIT_MS: ReadonlyMap<number, number> = new Map([
  [130429, 1_000], // throughput of this phone number reached
  [131056, 6_000], // pair rate: too many messages to one person
  [80007, 60_000], // WhatsApp Business Account rate limit
  [4, 60_000], // app-level call limit
  [613, 60_000], // calls to this API exceeded the rate limit
]);
/** Graph error codes that are temporary on Meta's side. */
const TEMPORARY = new Set([1, 2, 131000, 131016, 133004]);
/** Refusals that mean the person cannot or will not receive messages from us. */
const BLOCKED = new Set([131026, 131050]);

/** Sends through the Cloud API at the configured base URL. */
export class WhatsAppSender implements ChannelSender {
  readonly channel = "whatsapp" as const;

  constructor(
    private readonly opts: { token: string; phoneNumberId: string; apiBaseUrl: string; timeoutMs?: number },
  ) {}

  /**
   * Sends one message; the send record's id goes in `biz_opaque_callback_data` (a string of at most 512
   * characters the Cloud API does not read and echoes in the sent/delivered/read/failed status webhooks), so
   * a status proves a send whose answer was lost.
   */
  async send(address: string, message: RenderedMessage, ref?: SendRef): Promise<SendResult> {
    const url = `${this.opts.apiBaseUrl}/${this.opts.phoneNumberId}/messages`;
    // undici's `request`, not `fetch`: the same client without the WHATWG Request, Headers and stream objects, about a
    // third of the CPU a send (bench (b): fetch was a fifth of the Naast process's time during a burst of replies).
    let res: Awaited<ReturnType<typeof request>>;
    try {
      res = await request(url, {
        method: "POST",
        headers: { authorization: `Bearer ${this.opts.token}`, "content-type": "application/json" },
        body: JSON.stringify({ ...renderWhatsApp(address, message), ...(ref && ref.sendId.length <= 512 ? { biz_opaque_callback_data: ref.sendId } : {}) }),
        signal: AbortSignal.timeout(this.opts.timeoutMs ?? 30_000),
      });
    } catch (err) {
      return classifyNetworkFailure("Graph API", err);
    }
    const body: unknown = await res.body.json().catch(() => undefined);
    if (res.statusCode >= 200 && res.statusCode < 300) {
      const id = (body as { messages?: { id?: unknown }[] } | undefined)?.messages?.[0]?.id;
      if (typeof id === "string") return { ok: true, platformMessageId: id };
      // Accepted, but the answer was cut off or changed: it may well be on its way.
      return { ok: false, kind: "in_doubt", reason: "Graph API answered 2xx without a readable message id" };
    }
    const retryAfter = res.headers["retry-after"];
    return classifyGraphError(res.statusCode, body, retryAfterMs((Array.isArray(retryAfter) ? retryAfter[0] : retryAfter) ?? null));
  }
}

/** A `Retry-After` header in ms (seconds or an HTTP date), capped at an hour; undefined when absent or unreadable. */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(header) - now;
  return Number.isFinite(ms) && ms >= 0 ? Math.min(ms, 3_600_000) : undefined;
}

/** Maps a Graph API error response to a SendResult; `retryAfter` (ms) is the answer's own Retry-After, which wins. */
export function classifyGraphError(status: number, body: unknown, retryAfter?: number): SendResult {
  const parsed = graphErrorSchema.safeParse(body);
  const code = parsed.success ? parsed.data.error.code : undefined;
  const reason = parsed.success
    ? [parsed.data.error.message, parsed.data.error.error_data?.details].filter(Boolean).join(" — ") || `HTTP ${status}`
    : `HTTP ${status}`;
  const wait = retryAfter ?? (code !== undefined ? THROTTLE_WAIT_MS.get(code) : undefined);
  if (wait !== undefined && (status === 429 || (code !== undefined && THROTTLE_WAIT_MS.has(code)))) {
    return { ok: false, kind: "rate_limited", retryAfterMs: wait, scope: code === 131056 ? "chat" : "channel", reason };
  }
  if (status === 429) return { ok: false, kind: "rate_limited", retryAfterMs: 1_000, scope: "channel", reason };
  if (status >= 500 || (code !== undefined && TEMPORARY.has(code))) return { ok: false, kind: "transient", reason };
  return { ok: false, kind: "rejected", code: `whatsapp-${code ?? status}`, reason, blocked: code !== undefined && BLOCKED.has(code) };
}
