/**
 * WhatsApp's customer service window: for 24 hours after a person's last message a business may send them
 * anything; outside it only an approved template. Every "may we write freely?" question asks here.
 */

/** The window's length after the resident's last message (ms): 24 hours. */
export const WINDOW_MS = 24 * 3_600_000;

/** The window counts as closed this long before its 24 hours are up (ms), so a queued message never lands just outside it. */
export const WINDOW_MARGIN_MS = 30 * 60_000;

/** The earliest last message that still keeps the window open at `now`: older (or none) means closed. */
export function windowOpenSince(now: Date): Date {
  return new Date(now.getTime() - (WINDOW_MS - WINDOW_MARGIN_MS));
}

/** Whether a free-form message to this resident needs a template instead: WhatsApp, and no message of theirs in the window. */
export function windowClosed(channel: string, lastInboundAt: Date | null, now: Date): boolean {
  return channel === "whatsapp" && (!lastInboundAt || lastInboundAt.getTime() < windowOpenSince(now).getTime());
}

/**
 * The template language for a message in `language`: the same code, else a regional variant of it
 * (`en` → `en_US`), else the first approved language. `languages` must not be empty (config checks it).
 */
export function templateLanguage(languages: readonly string[], language: string): string {
  return languages.find((l) => l === language || l.startsWith(`${language}_`)) ?? languages[0]!;
}
