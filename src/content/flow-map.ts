import { qualifyKey } from "../engine/engine.js";
import type { Flow } from "../engine/flow-schema.js";
import { exitsOf, resolveTarget } from "../engine/validate-graph.js";

/** Mermaid-safe label: quotes and brackets escaped, long texts shortened. */
function label(s: string, max = 90): string {
  const one = s.replace(/\s+/g, " ").trim();
  const cut = [...one].length > max ? `${[...one].slice(0, max - 1).join("")}…` : one;
  return cut.replace(/"/g, "#quot;").replace(/[[\]{}()<>]/g, (c) => `#${c.charCodeAt(0)};`);
}

const nodeRef = (flow: string, node: string) => `${flow}__${node}`.replace(/-/g, "_");

/**
 * A Mermaid flowchart of one flow with its texts in one language: rectangles wait for the resident,
 * rounded boxes speak and move on, diamonds route on an earlier answer, double boxes are other flows.
 */
export function flowDiagram(flow: Flow, text: (key: string) => string): string {
  const lines = ["flowchart TD"];
  const external = new Set<string>();
  for (const node of flow.nodes) {
    const says = node.actions.flatMap((a) => (a.kind === "say" ? [text(qualifyKey(flow, a.say))] : a.kind === "show" ? [`📍 ${a.show}`] : []));
    const extras = node.actions.flatMap((a) =>
      a.kind === "emit" ? [`⚑ ${a.emit}`] : a.kind === "emergency" ? ["⚑ emergency"] : a.kind === "set" ? [`${a.set} = ${String(a.value)}`] : [],
    );
    const body = [`<b>${node.id}</b>`, ...says.map((s) => label(s)), ...extras].join("<br/>");
    lines.push(`  ${nodeRef(flow.flow, node.id)}${node.wait ? `["${body}"]` : node.branch ? `{"${body}"}` : `("${body}")`}`);
  }
  for (const node of flow.nodes) {
    const from = nodeRef(flow.flow, node.id);
    for (const { where, target } of exitsOf(node)) {
      const choice = node.wait?.choices?.find((c) => where === `choice ${c.id}`);
      const edge = choice ? label(text(qualifyKey(flow, choice.label)), 40) : where.replace(/^branch /, "");
      const to = resolveTarget(flow, target);
      let ref: string;
      if (!to) {
        ref = `${flow.flow}__${target.kind}`;
        external.add(`  ${ref}(["${target.kind === "end" ? "↩ terug / menu" : "■ stop"}"])`);
      } else if (to.flow !== flow.flow) {
        ref = `ext__${to.flow}${to.node ? `__${to.node}` : ""}`.replace(/-/g, "_");
        external.add(`  ${ref}[["➜ ${to.flow}${to.node ? ` / ${to.node}` : ""}"]]`);
      } else {
        ref = nodeRef(flow.flow, to.node!);
      }
      lines.push(`  ${from} -->|"${edge}"| ${ref}`);
    }
  }
  return [...lines, ...external].join("\n");
}

/** The Markdown file for one flow. */
export function flowMapMarkdown(flow: Flow, text: (key: string) => string): string {
  return `# ${flow.flow}\n\n${flow.title ?? ""}\n\n\`\`\`mermaid\n${flowDiagram(flow, text)}\n\`\`\`\n`;
}
