import type { RenderedMessage } from "../channels/rendered-message.js";
import { WHATSAPP_LIMITS } from "../channels/whatsapp/whatsapp-limits.js";
import { RTL_LANGUAGES } from "../content/vocabulary.js";
import { SAFETY_PAYLOAD } from "../engine/engine.js";
import type { EngineEvent, MessageEvent, OfferedChoice, TextEvent } from "../engine/events.js";
import type { Translator } from "../i18n/translator.js";
import type { DirectoryEntry } from "../content/directory.js";

/** Longest text sent without choices (WhatsApp text limit; Telegram allows 4096 too). */
const TEXT_LIMIT = WHATSAPP_LIMITS.text;
/** Longest text that carries choices (WhatsApp interactive body). */
const CHOICES_TEXT_LIMIT = WHATSAPP_LIMITS.interactiveBody;

/**
 * Turns the engine's message events into as few messages as fit: consecutive texts are joined,
 * and the choices ride on the last one. Fewer messages means fewer notifications on a phone that
 * someone else may be holding, and less waiting on per-chat rate limits.
 */
export function renderEvents(
  events: readonly EngineEvent[],
  language: string,
  t: Translator,
  opts: { offset?: number; directory?: ReadonlyMap<string, DirectoryEntry> } = {},
): RenderedMessage[] {
  const offset = opts.offset ?? 0;
  const out: RenderedMessage[] = [];
  const rtl = RTL_LANGUAGES.has(language);
  const ui = {
    listButton: t.t(language, "common:list_button"),
    section: t.t(language, "common:list_section"),
    more: t.t(language, "common:more"),
    hint: t.t(language, "common:typing_hint"),
  };
  const shape: ChoicesShape = { language, rtl, t, ui, offset };
  const plain = (text: string): RenderedMessage => ({ language, rtl, text, choices: [], offset: 0 });
  let pending: string[] = [];
  const flushPlain = () => {
    if (pending.length > 0) out.push(plain(pending.join("\n\n")));
    pending = [];
  };
  for (const e of events) {
    if (e.type === "card") {
      const entry = opts.directory?.get(e.id);
      if (entry) pending.push(renderCard(entry, language, t));
      continue;
    }
    if (e.type !== "message" && e.type !== "text") continue;
    const text = e.type === "text" ? e.text : t.t(language, e.key, e.params);
    if (!e.choices && !e.safety) {
      if ([...[...pending, text].join("\n\n")].length > TEXT_LIMIT) flushPlain();
      pending.push(text);
      continue;
    }
    const joined = [...pending, text].join("\n\n");
    let body = joined;
    if ([...joined].length > CHOICES_TEXT_LIMIT) {
      flushPlain();
      body = text;
      if ([...text].length > CHOICES_TEXT_LIMIT) {
        out.push(plain(text));
        body = t.t(language, "common:choose_again");
      }
    }
    pending = [];
    out.push(withChoices(e, body, shape));
  }
  flushPlain();
  return out;
}

/** What every message with choices of one rendering shares. */
type ChoicesShape = {
  /** The resident's language: choice labels are translated into it. */
  language: string;
  /** Whether that language is written right to left. */
  rtl: boolean;
  t: Translator;
  /** The list button, section title, "more" and typing hint, already in the resident's language. */
  ui: NonNullable<RenderedMessage["ui"]>;
  /** Where a long list of choices starts (a "more" tap's offset); 0 at first. */
  offset: number;
};

/** The message that carries `e`'s choices (and the SOS button when it asks for one) under `text`. */
function withChoices(e: MessageEvent | TextEvent, text: string, { language, rtl, t, ui, offset }: ChoicesShape): RenderedMessage {
  const m: RenderedMessage = {
    language,
    rtl,
    text,
    choices: (e.choices ?? []).map((c) => ({ payload: c.payload, label: choiceLabel(c, language, t) })),
    offset,
    ui,
  };
  if (e.safety) m.safety = { payload: SAFETY_PAYLOAD, label: t.t(language, "common:safety_button") };
  return m;
}

/** A choice's label in the resident's language: translated from its key, or its ready text as it is. */
export function choiceLabel(c: OfferedChoice, language: string, t: Translator): string {
  return c.kind === "text" ? c.label : t.t(language, c.label);
}

/** A directory entry as a short card: name, what, when, where, how to reach, languages spoken. */
export function renderCard(entry: DirectoryEntry, language: string, t: Translator): string {
  const lines = [`📍 ${entry.name}`, t.t(language, `directory:${entry.id}.what`)];
  const when = t.exact(language, `directory:${entry.id}.when`);
  if (when) lines.push(`🕒 ${when}`);
  if (entry.address) lines.push(`🏠 ${entry.address}`);
  if (entry.phone) lines.push(`📞 ${entry.phone}`);
  if (entry.website) lines.push(`🌐 ${entry.website}`);
  if (entry.languages.length > 0) lines.push(`🗣 ${entry.languages.map((l) => t.t(language, `common:lang.${l}`)).join(", ")}`);
  // Unverified local details are flagged to the resident too, until the municipality replaces them.
  if (entry.example) lines.push(`ⓘ ${t.t(language, "common:example_data")}`);
  return lines.join("\n");
}
