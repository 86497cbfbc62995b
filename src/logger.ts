import { pino, type Logger } from "pino";

export type { Logger };

/**
 * Paths that may hold an address, a name or message text. They are censored wherever they appear,
 * as a second line of defence: code logs pseudonyms and ids, never these.
 */
const REDACT = [
  "text", "*.text", "*.*.text", "body", "*.body", "phone", "*.phone", "from", "*.from", "wa_id", "*.wa_id",
  "chat_id", "*.chat_id", "chatId", "*.chatId", "address", "*.address", "to", "*.to", "token", "*.token",
  "req.headers.authorization", "req.headers.cookie", "headers.authorization", "*.first_name", "*.last_name",
  "*.username", "name", "*.name", "profile", "*.profile",
];

/** Structured JSON logs with redaction; `level: silent` for tests. */
export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  return pino(
    { level, redact: { paths: REDACT, censor: "[redacted]" }, base: { app: "naast" } },
    destination ?? process.stdout,
  );
}
