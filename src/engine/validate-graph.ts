import type { Exit, Flow, FlowNode } from "./flow-schema.js";

/** One problem in the flows, located by flow and node. */
export type FlowProblem = { flow: string; node?: string | undefined; message: string };

/** Every exit of a node, with a label saying where it is written. */
export function exitsOf(node: FlowNode): { where: string; target: Exit }[] {
  const out: { where: string; target: Exit }[] = [];
  if (node.go) out.push({ where: "go", target: node.go });
  if (node.once) out.push({ where: "once (asked already)", target: node.once.else });
  node.wait?.choices?.forEach((c) => out.push({ where: `choice ${c.id}`, target: c.go }));
  if (node.wait?.text) out.push({ where: "text", target: node.wait.text.go });
  if (node.wait?.other) out.push({ where: "other", target: node.wait.other });
  if (node.wait?.timeout) out.push({ where: "timeout", target: node.wait.timeout.go });
  node.branch?.cases.forEach((c, i) => out.push({ where: `branch case ${i + 1}`, target: c.go }));
  if (node.branch) out.push({ where: "branch default", target: node.branch.default });
  return out;
}

/** Where an exit of a node in `flow` leads (`node` undefined: the flow's start), or undefined for `end`/`stop`. */
export function resolveTarget(flow: Flow, target: Exit): { flow: string; node: string | undefined } | undefined {
  switch (target.kind) {
    case "end":
    case "stop":
      return undefined;
    case "flow":
      return { flow: target.flow, node: target.node };
    case "node":
      return { flow: flow.flow, node: target.node };
  }
}

/**
 * Structural checks: exits to nodes or flows that do not exist, nodes that cannot be reached from
 * their flow's start (or from `entries`, the `flow/node` places the engine starts itself), and waits
 * with no way out (every exit loops back to the same node).
 */
export function validateGraph(flows: ReadonlyMap<string, Flow>, entries: readonly string[] = []): FlowProblem[] {
  const problems: FlowProblem[] = [];
  for (const flow of flows.values()) {
    const ids = new Set(flow.nodes.map((n) => n.id));
    for (const node of flow.nodes) {
      for (const { where, target } of exitsOf(node)) {
        const to = resolveTarget(flow, target);
        if (!to) continue;
        const other = flows.get(to.flow);
        if (!other) {
          problems.push({ flow: flow.flow, node: node.id, message: `${where} goes to flow "${to.flow}", which does not exist` });
        } else if (to.node !== undefined && !other.nodes.some((n) => n.id === to.node)) {
          const inFlow = to.flow === flow.flow ? "" : ` in flow "${to.flow}"`;
          problems.push({ flow: flow.flow, node: node.id, message: `${where} goes to node "${to.node}"${inFlow}, which does not exist` });
        }
      }
      if (node.wait) {
        const away = exitsOf(node).filter(({ target }) => !(target.kind === "node" && target.node === node.id));
        if (away.length === 0) {
          problems.push({ flow: flow.flow, node: node.id, message: "this wait has no way out: every exit comes back to it" });
        }
      }
    }
    // Reachability from the first node and from nodes that other flows enter directly (`@flow/node`).
    const queue = [flow.nodes[0]!.id, ...entries.filter((e) => e.startsWith(`${flow.flow}/`)).map((e) => e.slice(flow.flow.length + 1))];
    for (const other of flows.values()) {
      if (other.flow === flow.flow) continue;
      for (const n of other.nodes) {
        for (const { target } of exitsOf(n)) {
          const to = resolveTarget(other, target);
          if (to && to.flow === flow.flow && to.node) queue.push(to.node);
        }
      }
    }
    const seen = new Set<string>();
    while (queue.length > 0) {
      const id = queue.pop()!;
      if (seen.has(id) || !ids.has(id)) continue;
      seen.add(id);
      const node = flow.nodes.find((n) => n.id === id)!;
      for (const { target } of exitsOf(node)) {
        const to = resolveTarget(flow, target);
        if (to && to.flow === flow.flow && to.node) queue.push(to.node);
      }
    }
    for (const node of flow.nodes) {
      if (!seen.has(node.id)) problems.push({ flow: flow.flow, node: node.id, message: "unreachable: no exit leads here from the flow's start" });
    }
  }
  return problems;
}
