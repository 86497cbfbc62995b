import type { SendResult } from "./send-result.js";

/**
 * Error codes that mean the request never reached the platform (no connection was made), so sending
 * again cannot make a second copy. Anything else — a reset or a timeout after the request was written,
 * an answer cut off — may have been delivered.
 */
const NEVER_SENT = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "ENETUNREACH", "EHOSTUNREACH", "UND_ERR_CONNECT_TIMEOUT"]);

function codeOf(err: unknown): string | undefined {
  for (let e: unknown = err, depth = 0; e && typeof e === "object" && depth < 4; depth++) {
    const code = "code" in e ? e.code : undefined;
    if (typeof code === "string" && code) return code;
    e = "cause" in e ? e.cause : undefined;
  }
  return undefined;
}

/**
 * A send that failed on the network: `transient` (retry) only when the request certainly never left,
 * else `in_doubt` (recorded, never resent: a retry could give the resident a second copy).
 */
export function classifyNetworkFailure(platform: string, err: unknown): SendResult {
  const code = codeOf(err);
  const text = err instanceof Error ? err.message : String(err);
  const reason = `${platform} network: ${code ? `${code} ` : ""}${text}`.slice(0, 500);
  if (code !== undefined && NEVER_SENT.has(code)) return { ok: false, kind: "transient", reason };
  return { ok: false, kind: "in_doubt", reason };
}
