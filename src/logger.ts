import { pino, stdSerializers, type Logger } from "pino";

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

/**
 * Errors (`log.error({ err }, "…")`) as pino's serializer writes them, but only their type, message, stack
 * (causes included) and code. An error's other fields may carry the request it failed on (grammY's
 * `payload`: chat id and text) or a whole database client, too large to write and not ours to log.
 */
export function serializeError(err: unknown): unknown {
  if (!(err instanceof Error)) return err;
  const full = stdSerializers.errWithCause(err);
  const code = "code" in err && (typeof err.code === "string" || typeof err.code === "number") ? { code: err.code } : {};
  return { type: full.type, message: full.message, stack: full.stack, ...code };
}

/** How log lines are written: one JSON object a line (for collectors), or readable lines for a person. */
export type LogFormat = "json" | "pretty";

/**
 * `auto` means readable lines for a person watching a terminal, except in production, where a log
 * collector expects JSON even when someone runs the image interactively.
 */
export function chooseLogFormat(setting: "auto" | LogFormat, where: { isTTY: boolean; production: boolean }): LogFormat {
  if (setting !== "auto") return setting;
  return where.isTTY && !where.production ? "pretty" : "json";
}

/** Structured JSON logs with redaction; `level: silent` for tests. */
export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  return pino(
    { level, redact: { paths: REDACT, censor: "[redacted]" }, serializers: { err: serializeError }, base: { app: "naast" } },
    destination ?? process.stdout,
  );
}

/**
 * The process's logger: JSON, or pino-pretty's readable lines (time, level, message, then the
 * fields) when `format` is pretty. Redaction happens before either. pino-pretty runs in this thread
 * (no transport worker) and is only loaded when used, so production pays nothing for it.
 */
export async function createProcessLogger(level: string, format: LogFormat, destination: NodeJS.WritableStream = process.stdout): Promise<Logger> {
  if (format === "json") return createLogger(level, destination);
  const { default: pretty } = await import("pino-pretty");
  const colorize = destination === process.stdout && process.stdout.isTTY && pretty.isColorSupported;
  return createLogger(
    level,
    pretty({ destination, colorize, sync: true, translateTime: "SYS:HH:MM:ss", ignore: "pid,hostname,app", singleLine: true }),
  );
}
