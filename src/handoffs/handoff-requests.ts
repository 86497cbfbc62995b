/**
 * The flow requests (`emit: <name>`) the handoff desk handles: match a professional for a topic (`topic` as
 * argument) and introduce them, show what would be shared, create the handoff, show where to walk in. A plain
 * constant, so `npm run flows:check` can read it without a database.
 */
export const HANDOFF_REQUESTS = ["handoff", "handoff_preview", "handoff_create", "handoff_visit"] as const;
