import type { Api } from "grammy";
import { DEFAULT_LANGUAGE, LANGUAGES } from "../../content/vocabulary.js";
import type { Translator } from "../../i18n/translator.js";
import type { Logger } from "../../logger.js";

/** Bot commands shown in Telegram's menu button; each is also a global intent word (`/sos` → emergency). */
export const TELEGRAM_COMMANDS = ["menu", "sos", "language", "back", "stop"] as const;

/**
 * Makes the safety command one tap away from Telegram's menu button in every language, and registers
 * the webhook when a public URL and a secret are configured. Failures are logged, not fatal.
 */
export async function configureTelegram(api: Api, t: Translator, log: Logger, webhook?: { url: string; secret: string }): Promise<void> {
  const commands = (language: string) => TELEGRAM_COMMANDS.map((command) => ({ command, description: t.t(language, `common:commands.${command}`) }));
  try {
    await api.setMyCommands(commands(DEFAULT_LANGUAGE));
    for (const language of LANGUAGES) await api.setMyCommands(commands(language), { language_code: language });
    if (webhook) {
      await api.setWebhook(webhook.url, { secret_token: webhook.secret, allowed_updates: ["message", "callback_query"] });
      log.info("telegram webhook registered");
    }
  } catch (err) {
    log.warn({ err }, "telegram set-up call failed; the bot still answers");
  }
}
