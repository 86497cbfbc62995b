import type { Flow } from "./flow-schema.js";

/** The i18n key with its namespace: `intro` in flow money is `money:intro` (a flow's `namespace`, else its id). */
export function qualifyKey(flow: Flow, key: string): string {
  return key.includes(":") ? key : `${flow.namespace ?? flow.flow}:${key}`;
}
