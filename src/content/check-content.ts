import { choicePayload, qualifyKey } from "../engine/engine.js";
import { PayloadTooLongError, TELEGRAM_CALLBACK_DATA_BYTES } from "../engine/payload.js";
import type { Flow } from "../engine/flow-schema.js";
import { validateGraph } from "../engine/validate-graph.js";
import { HANDLED_REQUESTS } from "../conversation/request-names.js";
import { labelLimit, WHATSAPP_LIMITS, whatsappLayout } from "../channels/whatsapp/whatsapp-limits.js";
import { TELEGRAM_COMMANDS } from "../channels/telegram/telegram-setup.js";
import { WEB_CHAT_TEXT_KEYS } from "../channels/web/web-chat-texts.js";
import type { DirectoryEntry } from "./directory.js";
import { ENTRY_FLOWS, TOPIC_FLOWS } from "./entry-flows.js";
import { DEFAULT_LANGUAGE, LANGUAGES } from "./vocabulary.js";
import { intentWordsByLanguage, lookup, type LoadedFlows, type Locales, type Resource } from "./load-content.js";

/** Keys the engine and the channels use themselves, beside those the flows name. */
export const SYSTEM_KEYS = [
  "common:not_understood",
  "common:not_understood_reset",
  "common:ack_free_text",
  "common:old_button",
  "common:ack_free_text_again",
  "common:hello_again",
  "common:you_are_welcome",
  "common:talk_person",
  "common:example_data",
  "common:choose_again",
  "common:unsupported_input",
  "common:safety_button",
  "common:list_button",
  "common:list_section",
  "common:more",
  "common:typing_hint",
  "common:erased",
  "maintenance:offline",
  ...TELEGRAM_COMMANDS.map((c) => `common:commands.${c}`),
  ...WEB_CHAT_TEXT_KEYS.map((k) => `web:${k}`),
] as const;

/** Short labels that may stand on a reply button, with their limit. */
const SYSTEM_LABELS: Record<string, number> = {
  "common:safety_button": WHATSAPP_LIMITS.replyButtonTitle,
  "common:list_button": WHATSAPP_LIMITS.listButton,
  "common:list_section": WHATSAPP_LIMITS.sectionTitle,
  "common:more": WHATSAPP_LIMITS.listRowTitle,
  "common:typing_hint": WHATSAPP_LIMITS.footer,
};

/** Characters as WhatsApp counts them (code points). */
export function charCount(s: string): number {
  return [...s].length;
}

function where(flow: string, node?: string): string {
  return `flows/${flow}.yaml › flow ${flow}${node ? ` › node ${node}` : ""}`;
}

/**
 * Everything `npm run flows:check` enforces: schema, exits, reachability, ways out of waits, i18n
 * keys in every language, WhatsApp label limits in every language, Telegram payload size,
 * and the global-intent word lists. Returns readable problems, empty when all is well.
 */
export function checkContent(loaded: LoadedFlows, locales: Locales, directory?: ReadonlyMap<string, DirectoryEntry>): string[] {
  const out: string[] = [];
  for (const p of loaded.problems) out.push(`flows/${p.file}${p.node ? ` › node ${p.node}` : ""}: ${p.message}`);
  for (const p of validateGraph(loaded.flows, Object.values(ENTRY_FLOWS))) out.push(`${where(p.flow, p.node)}: ${p.message}`);
  const missing = new Set<string>();
  for (const target of [...Object.values(ENTRY_FLOWS), ...Object.values(TOPIC_FLOWS)]) {
    const [id, node] = target.split("/") as [string, string | undefined];
    const flow = loaded.flows.get(id);
    if (!flow) missing.add(id);
    else if (node && !flow.nodes.some((n) => n.id === node)) out.push(`${where(id, node)}: missing; the engine starts here itself`);
  }
  for (const id of missing) out.push(`flows/${id}.yaml: missing; the engine starts this flow itself`);
  for (const language of LANGUAGES) {
    if (!locales[language]) out.push(`locales/${language}/: missing; every text must exist in ${LANGUAGES.join(", ")}`);
  }
  out.push(...intentWordsByLanguage(locales).problems);

  const text = (language: string, key: string) => {
    const v = lookup(locales, language, key);
    return typeof v === "string" ? v : undefined;
  };
  for (const key of SYSTEM_KEYS) {
    for (const language of LANGUAGES) {
      const v = text(language, key);
      if (v === undefined) out.push(`locales/${language}: key ${key} is missing`);
      else if (SYSTEM_LABELS[key] !== undefined && charCount(v) > SYSTEM_LABELS[key]) {
        out.push(`locales/${language}: ${key} "${v}" is ${charCount(v)} characters; WhatsApp allows ${SYSTEM_LABELS[key]}`);
      }
    }
  }

  for (const flow of loaded.flows.values()) out.push(...checkRequests(flow));
  for (const flow of loaded.flows.values()) out.push(...checkFlowTexts(flow, text));
  if (directory) out.push(...checkDirectory(loaded, directory, text));
  out.push(...checkSameKeys(locales, keysCheckedElsewhere(loaded)));
  return out;
}

/** Every `emit` names a request that the conversation service or one of its desks handles (request-names.ts). */
function checkRequests(flow: Flow): string[] {
  const out: string[] = [];
  for (const node of flow.nodes) {
    for (const a of node.actions) {
      if (a.kind === "emit" && !HANDLED_REQUESTS.has(a.emit)) {
        out.push(`${where(flow.flow, node.id)}: nobody handles emit '${a.emit}' (handled: ${[...HANDLED_REQUESTS].sort().join(", ")})`);
      }
    }
  }
  return out;
}

/** Namespaces only staff read (the panel): Dutch and English are enough there. */
const STAFF_NAMESPACES: ReadonlySet<string> = new Set(["admin"]);

/** Keys the flow and system checks already report by name when a language lacks them. */
function keysCheckedElsewhere(loaded: LoadedFlows): Set<string> {
  const out = new Set<string>(SYSTEM_KEYS);
  for (const flow of loaded.flows.values()) {
    for (const node of flow.nodes) {
      for (const a of node.actions) if (a.kind === "say") out.add(qualifyKey(flow, a.say));
      for (const c of node.wait?.choices ?? []) out.add(qualifyKey(flow, c.label));
    }
  }
  return out;
}

/** Every key of a resource as `a.b.c`; arrays (intent words) are one value. */
function flatKeys(resource: Resource, prefix = ""): string[] {
  return Object.entries(resource).flatMap(([k, v]) => (typeof v === "object" && !Array.isArray(v) ? flatKeys(v, `${prefix}${k}.`) : [`${prefix}${k}`]));
}

/**
 * The texts the services say (a check-in answer, a web chat button) are not named by any flow: every
 * resident-facing namespace must have the same keys in every language as in Dutch, no fewer and no more.
 */
function checkSameKeys(locales: Locales, checked: ReadonlySet<string>): string[] {
  const out: string[] = [];
  const dutch = locales.nl ?? {};
  for (const [ns, resource] of Object.entries(dutch)) {
    if (STAFF_NAMESPACES.has(ns)) continue;
    const keys = new Set(flatKeys(resource));
    for (const language of LANGUAGES.filter((l) => l !== DEFAULT_LANGUAGE && locales[l])) {
      const theirs = locales[language]![ns];
      if (!theirs) {
        out.push(`locales/${language}/${ns}.json: missing; Dutch has it`);
        continue;
      }
      const have = new Set(flatKeys(theirs));
      for (const k of keys) if (!have.has(k) && !checked.has(`${ns}:${k}`)) out.push(`locales/${language}/${ns}.json: key ${k} is missing (Dutch has it)`);
      for (const k of have) if (!keys.has(k)) out.push(`locales/${language}/${ns}.json: key ${k} is not in Dutch (a leftover or a typo?)`);
    }
  }
  return out;
}

function checkFlowTexts(flow: Flow, text: (language: string, key: string) => string | undefined): string[] {
  const out: string[] = [];
  for (const node of flow.nodes) {
    const keys = node.actions.flatMap((a) => (a.kind === "say" ? [qualifyKey(flow, a.say)] : []));
    const choices = node.wait?.choices ?? [];
    const layout = whatsappLayout(choices.length + (flow.safetyChoice ? 1 : 0));
    const limit = labelLimit(layout);
    for (const language of LANGUAGES) {
      for (const key of keys) {
        if (text(language, key) === undefined) out.push(`${where(flow.flow, node.id)}: key ${key} is missing in ${language}`);
      }
      for (const c of choices) {
        const key = qualifyKey(flow, c.label);
        const label = text(language, key);
        if (label === undefined) out.push(`${where(flow.flow, node.id)}: label ${key} of choice ${c.id} is missing in ${language}`);
        else if (charCount(label) > limit) {
          out.push(
            `${where(flow.flow, node.id)}: label of choice ${c.id} in ${language} "${label}" is ${charCount(label)} characters; ` +
              `WhatsApp allows ${limit} for ${layout.kind === "buttons" ? "reply buttons" : "list rows"}`,
          );
        }
      }
    }
    for (const c of choices) {
      try {
        choicePayload(flow.flow, node.id, c.id);
      } catch (err) {
        if (!(err instanceof PayloadTooLongError)) throw err;
        out.push(`${where(flow.flow, node.id)}: choice ${c.id} makes a ${err.bytes}-byte payload; Telegram allows ${TELEGRAM_CALLBACK_DATA_BYTES}`);
      }
    }
  }
  return out;
}

/** Every `show` names a directory entry, and every entry says what it does in every language. */
function checkDirectory(loaded: LoadedFlows, directory: ReadonlyMap<string, DirectoryEntry>, text: (language: string, key: string) => string | undefined): string[] {
  const out: string[] = [];
  for (const flow of loaded.flows.values()) {
    for (const node of flow.nodes) {
      for (const a of node.actions) {
        if (a.kind === "show" && !directory.has(a.show)) out.push(`${where(flow.flow, node.id)}: shows "${a.show}", which is not in directory/places.yaml`);
      }
    }
  }
  for (const entry of directory.values()) {
    for (const language of LANGUAGES) {
      if (text(language, `directory:${entry.id}.what`) === undefined) out.push(`locales/${language}/directory.json: ${entry.id}.what is missing`);
      for (const l of entry.languages) {
        if (text(language, `common:lang.${l}`) === undefined) out.push(`directory/places.yaml › ${entry.id}: language ${l} has no name in common:lang`);
      }
    }
  }
  return out;
}
