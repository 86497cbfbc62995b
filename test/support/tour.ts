import type { RenderedMessage } from "../../src/channels/rendered-message.js";
import { renderTelegram } from "../../src/channels/telegram/telegram-render.js";
import { WHATSAPP_LIMITS, whatsappLayout } from "../../src/channels/whatsapp/whatsapp-limits.js";
import { renderWhatsApp } from "../../src/channels/whatsapp/whatsapp-render.js";
import { SERVICE_FLOWS, type Content } from "../../src/content/content.js";
import { renderEvents } from "../../src/conversation/render-events.js";
import { choicePayload, FlowEngine, type EngineInput } from "../../src/engine/engine.js";
import type { Exit, Flow } from "../../src/engine/flow-schema.js";
import { newSessionState, type SessionState } from "../../src/engine/session-state.js";

const NOW = new Date("2026-11-01T10:00:00Z");

/** Text a tour types where a flow asks for it (a key figure's activity), by the field it is saved in. */
const SAMPLE_TEXT: Readonly<Record<string, string>> = {
  draft_title: "Koffieochtend voor vrouwen",
  draft_date: "14-12",
  draft_time: "10:00",
  draft_place: "Buurthuis, Korvelplein 1",
  draft_description: "Samen koffie drinken en kennismaken.",
  handoff_phone: "06 12345678",
};

/** Fields a flow also takes one step early (a key figure's description typed at the topic question): typed only at their own question. */
const SAMPLE_AT: Readonly<Record<string, string>> = { draft_description: "description" };

/** Shortest choice paths from a flow's first node to each of its nodes (inside the flow). */
function pathsWithin(flow: Flow): Map<string, string[]> {
  const paths = new Map<string, string[]>([[flow.nodes[0]!.id, []]]);
  const queue = [flow.nodes[0]!.id];
  while (queue.length > 0) {
    const id = queue.shift()!;
    const node = flow.nodes.find((n) => n.id === id)!;
    const next: { go: Exit; via?: string }[] = [];
    for (const c of node.wait?.choices ?? []) next.push({ go: c.go, via: c.id });
    if (node.go) next.push({ go: node.go });
    if (node.branch) for (const c of [...node.branch.cases.map((x) => x.go), node.branch.default]) next.push({ go: c });
    for (const { go, via } of next) {
      if (go.kind !== "node" || paths.has(go.node)) continue;
      paths.set(go.node, via ? [...paths.get(id)!, `${node.id}|${via}`] : paths.get(id)!);
      queue.push(go.node);
    }
  }
  return paths;
}

/** Problems with a rendered message on either platform; empty when it is within every limit. */
export function platformProblems(m: RenderedMessage): string[] {
  const out: string[] = [];
  const options = m.choices.length + (m.safety ? 1 : 0);
  const wa = renderWhatsApp("31600000000", m) as { type: string; interactive?: { body?: { text: string }; action: { buttons?: { reply: { id: string; title: string } }[]; sections?: { rows: { id: string; title: string }[] }[] } } };
  if (options > 0) {
    const layout = whatsappLayout(options);
    const limit = layout.kind === "buttons" ? WHATSAPP_LIMITS.replyButtonTitle : WHATSAPP_LIMITS.listRowTitle;
    for (const c of [...m.choices, ...(m.safety ? [m.safety] : [])]) {
      if ([...c.label].length > limit) out.push(`label "${c.label}" over ${limit}`);
      if (Buffer.byteLength(c.payload) > 64) out.push(`payload ${c.payload} over 64 bytes`);
    }
    if ([...m.text].length > WHATSAPP_LIMITS.interactiveBody) out.push(`body over ${WHATSAPP_LIMITS.interactiveBody}`);
    if (layout.kind === "buttons" && wa.interactive?.action.buttons?.length !== options) out.push("buttons missing");
    if (layout.kind !== "buttons" && (wa.interactive?.action.sections?.[0]?.rows.length ?? 0) > WHATSAPP_LIMITS.listRows) out.push("too many rows");
  } else if ([...m.text].length > WHATSAPP_LIMITS.text) out.push("text too long");
  if ([...renderTelegram(m).text].length > 4096) out.push("telegram text too long");
  return out;
}

/** How one rendered message looks on both platforms, for a transcript. */
function describe(m: RenderedMessage): string[] {
  const lines = m.text.split("\n").map((l) => `< ${l}`);
  const wa = renderWhatsApp("31600000000", m) as { type: string; interactive?: { type: string; action: { buttons?: { reply: { title: string } }[]; button?: string; sections?: { rows: { title: string }[] }[] } } };
  if (wa.type === "interactive" && wa.interactive) {
    const i = wa.interactive;
    const titles = i.type === "button" ? i.action.buttons!.map((b) => b.reply.title) : i.action.sections![0]!.rows.map((r) => r.title);
    lines.push(`  whatsapp ${i.type}${i.type === "list" ? ` "${i.action.button}"` : ""}: ${titles.map((t) => `[${t}]`).join(" ")}`);
  } else lines.push(`  whatsapp ${wa.type}`);
  const tg = renderTelegram(m).reply_markup?.inline_keyboard ?? [];
  if (tg.length > 0) lines.push(`  telegram keyboard: ${tg.map((row) => `[${row[0]!.text}]`).join(" ")}`);
  return lines;
}

/**
 * A tour of one flow in one language: for every node not yet seen, the shortest path of taps from the
 * main menu to it, then the first choice each time until the resident is back at the menu. Every
 * message is rendered for WhatsApp and Telegram and checked against their limits. `engine` lets a test
 * watch every step (the same flows and texts as `content`).
 */
export function tourFlow(
  content: Content,
  flowId: string,
  language: string,
  fields: SessionState["fields"] = {},
  engine: FlowEngine = new FlowEngine(content.engine),
): { text: string; problems: string[]; visited: Set<string> } {
  const flow = content.engine.flows.get(flowId)!;
  const paths = pathsWithin(flow);
  const visited = new Set<string>();
  const lines: string[] = [`# tour of flow ${flowId} in ${language}`];
  const problems: string[] = [];
  for (const [target, path] of paths) {
    if (visited.has(target)) continue;
    let state: SessionState = newSessionState({ language, onboarded: true, neighbourhood: "korvel", ...fields });
    state = engine.step(state, { kind: "text", text: "menu" }, NOW).state;
    lines.push("", `## to ${target}`);
    const steps: EngineInput[] = [...entryInputs(flowId, language), ...path.map((p): EngineInput => ({ kind: "choice", payload: choicePayload(flowId, ...(p.split("|") as [string, string])) }))];
    if (flowId === "onboarding") state = newSessionState();
    if (flowId === "welcome-back") state = { ...state, waitingSince: new Date(NOW.getTime() - 3 * 86_400_000).toISOString() };
    if (SERVICE_ENTERED.has(flowId)) {
      // Started by the conversation service (a linked key figure typed "activiteit"), not by a tap.
      lines.push("> (a linked key figure types “activiteit”)");
      const r = engine.enter(state, flowId, NOW);
      state = r.state;
      if (state.at) visited.add(state.at.node);
      for (const m of renderEvents(r.events, language, content.translator, { directory: content.directory })) lines.push(...describe(m));
    }
    const seenThisRun = new Set<string>();
    let guard = 0;
    for (let i = 0; guard++ < 40; i++) {
      const input = steps[i];
      if (input === undefined) {
        // Past the path: take the first choice while still in this flow.
        const at = state.at;
        if (!at || at.flow !== flowId) break;
        const node = flow.nodes.find((n) => n.id === at.node)!;
        const field = node.wait?.text?.save;
        const sample = field && (SAMPLE_AT[field] ?? node.id) === node.id ? SAMPLE_TEXT[field] : undefined;
        if (sample && !seenThisRun.has(`${node.id}#typed`)) {
          seenThisRun.add(`${node.id}#typed`);
          steps.push({ kind: "text", text: sample });
          i -= 1;
          continue;
        }
        const choices = node.wait?.choices ?? [];
        // Prefer a node this tour has not seen yet, then a way out of the flow, so tours stay short.
        const next =
          choices.find((c) => c.go.kind === "node" && !visited.has(c.go.node) && !seenThisRun.has(c.go.node)) ??
          choices.find((c) => c.go.kind === "flow" || c.go.kind === "end") ??
          choices[0];
        if (!next || seenThisRun.size > 30) break;
        steps.push({ kind: "choice", payload: choicePayload(flowId, node.id, next.id) });
        i -= 1;
        continue;
      }
      const payload = input.kind === "choice" ? input.payload : input.kind === "text" ? input.text : input.kind;
      lines.push(input.kind === "choice" ? `> (tap ${payload})` : `> ${payload}`);
      const r = engine.step(state, input, NOW);
      state = r.state;
      if (state.at?.flow === flowId) {
        visited.add(state.at.node);
        seenThisRun.add(state.at.node);
      }
      const rendered = renderEvents(r.events, language, content.translator, { directory: content.directory });
      for (const m of rendered) {
        lines.push(...describe(m));
        problems.push(...platformProblems(m).map((p) => `${flowId}/${language} after ${payload}: ${p}`));
        for (const raw of m.text.match(/\b[a-z-]+:[a-z_.]+\b/g) ?? []) problems.push(`${flowId}/${language}: untranslated key ${raw}`);
      }
    }
    for (const p of path) visited.add(p.split("|")[0]!);
    visited.add(target);
  }
  lines.push("");
  return { text: lines.join("\n"), problems, visited };
}

const meeting: EngineInput = { kind: "choice", payload: choicePayload("menu", "main", "meeting") };
const SERVICE_ENTERED: ReadonlySet<string> = new Set(Object.values(SERVICE_FLOWS));

/** How a resident gets into a flow: a menu tap, or what the engine reacts to by itself. */
function entryInputs(flowId: string, language: string): EngineInput[] {
  switch (flowId) {
    case "menu":
      return [{ kind: "text", text: "menu" }];
    case "onboarding":
      return [{ kind: "start" }];
    case "safety":
      return [{ kind: "text", text: "SOS" }];
    case "erase":
      return [{ kind: "text", text: "stop" }];
    case "handoff":
      return [{ kind: "choice", payload: choicePayload("menu", "main", "money") }, { kind: "choice", payload: choicePayload("money", "start", "person") }];
    case "unsubscribe":
      return [{ kind: "text", text: "afmelden" }];
    case "whats-on":
      return [meeting, { kind: "choice", payload: choicePayload("meeting", "pick", "whats-on") }];
    case "updates":
      return [meeting, { kind: "choice", payload: choicePayload("meeting", "pick", "whats-on") }, { kind: "choice", payload: choicePayload("whats-on", "start", "updates") }];
    case "welcome-back":
      return [{ kind: "text", text: language === "nl" ? "hallo" : "hello" }];
    default:
      return SERVICE_ENTERED.has(flowId) ? [] : [{ kind: "choice", payload: choicePayload("menu", "main", flowId) }];
  }
}
