import type { Request, RequestHandler } from "express";
import { safeEqual } from "./safe-equal.js";

/** Headers a reverse proxy adds; a request carrying one came from elsewhere, whatever its socket says. */
const FORWARDING_HEADERS = ["forwarded", "x-forwarded-for", "x-real-ip"];

/**
 * Whether the TCP peer is this machine and no proxy forwarded the request. The socket's address is
 * used, never `req.ip`, which trusts X-Forwarded-For; and a proxy on the same machine makes every
 * outside request arrive from 127.0.0.1, which is why forwarded requests never count as local.
 */
export function isLocalRequest(req: Request): boolean {
  const address = req.socket.remoteAddress ?? "";
  const loopback = address === "::1" || /^(::ffff:)?127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(address);
  return loopback && FORWARDING_HEADERS.every((h) => req.headers[h] === undefined);
}

/**
 * Lets a request through when it comes from this machine (not through a proxy), or carries
 * `Authorization: Bearer <token>` when a token is configured. Others get 401 (token configured) or
 * 403 (loopback only), with no detail about what is behind the route.
 */
export function loopbackOrToken(token: string | undefined): RequestHandler {
  return (req, res, next) => {
    if (isLocalRequest(req)) return next();
    if (token) {
      const m = /^Bearer (\S+)$/.exec(req.get("authorization") ?? "");
      if (m && safeEqual(m[1], token)) return next();
      res.set("www-authenticate", 'Bearer realm="naast"').status(401).json({ error: "unauthorized" });
      return;
    }
    res.status(403).json({ error: "forbidden", detail: "only from this machine; set METRICS_TOKEN to allow others with a bearer token" });
  };
}
