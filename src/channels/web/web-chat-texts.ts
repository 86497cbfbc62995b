import { z } from "zod";
import { LANGUAGES, RTL_LANGUAGES } from "../../content/vocabulary.js";
import type { Translator } from "../../i18n/translator.js";

/**
 * The web chat page's own words (the ✕ button and its menu, the input's placeholder and labels, the notes
 * it shows itself), in `locales/<lang>/web.json`. flows:check requires each in every language.
 */
export const WEB_CHAT_TEXT_KEYS = [
  "exit",
  "exit_label",
  "exit_menu",
  "leave",
  "erase_leave",
  "exit_help",
  "message_label",
  "placeholder",
  "send",
  "sos_label",
  "slow_down",
  "error",
] as const;

const pageTextsSchema = z.object({ rtl: z.boolean(), ...Object.fromEntries(WEB_CHAT_TEXT_KEYS.map((k) => [k, z.string().min(1)])) });

/** What `GET /chat/api/texts` answers: every language's page words, and whether it is written right to left. */
export const webChatTextsSchema = z.record(z.enum(LANGUAGES), pageTextsSchema);
export type WebChatTexts = z.infer<typeof webChatTextsSchema>;

/**
 * The page's words in all six languages. The page switches to the language of the messages it receives
 * (and, before the first one, to the browser's language when Naast speaks it).
 */
export function webChatTexts(t: Translator): WebChatTexts {
  const out: Record<string, Record<string, string | boolean>> = {};
  for (const language of LANGUAGES) {
    const words: Record<string, string | boolean> = { rtl: RTL_LANGUAGES.has(language) };
    for (const key of WEB_CHAT_TEXT_KEYS) words[key] = t.exact(language, `web:${key}`) ?? "";
    out[language] = words;
  }
  return webChatTextsSchema.parse(out);
}
