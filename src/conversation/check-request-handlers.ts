import type { Flow } from "../engine/flow-schema.js";
import type { ConversationDesk } from "./conversation-desk.js";
import { CONVERSATION_REQUESTS, REQUEST_HANDLERS } from "./request-names.js";

/**
 * Every request the flows emit has exactly one handler among the service (erase, quiet mode) and its desks,
 * and each desk declares what request-names.ts says it does (which `npm run flows:check` reads). A wiring
 * mistake stops the start instead of silently dropping a request.
 */
export function checkRequestHandlers(flows: Iterable<Flow>, desks: readonly Pick<ConversationDesk, "handles">[]): void {
  const owner = new Map<string, string>();
  const claim = (who: string, names: readonly string[]) => {
    for (const name of names) {
      const other = owner.get(name);
      if (other !== undefined) throw new Error(`request "${name}" is handled twice: by ${other} and by ${who}`);
      owner.set(name, who);
    }
  };
  claim("the conversation service", CONVERSATION_REQUESTS);
  for (const desk of desks) claim(desk.constructor.name, desk.handles);
  const registered = new Set(Object.values(REQUEST_HANDLERS).flat());
  for (const name of owner.keys()) {
    if (!registered.has(name)) throw new Error(`request "${name}" is handled by ${owner.get(name)} but not listed in request-names.ts, so flows:check does not know it`);
  }
  for (const name of registered) {
    if (!owner.has(name)) throw new Error(`request "${name}" is listed in request-names.ts, but no desk given to the conversation service handles it`);
  }
  for (const flow of flows) {
    for (const node of flow.nodes) {
      for (const a of node.actions) {
        if (a.kind === "emit" && !owner.has(a.emit)) throw new Error(`flow ${flow.flow} › node ${node.id}: nobody handles emit '${a.emit}'`);
      }
    }
  }
}
